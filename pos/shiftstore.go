package pos

import (
	"context"

	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/shift"
)

// ReportBuilder computes a Z report from a shift and its journal entries; the
// store calls it inside the closing transaction so that the stored Z is
// exactly what the journal says.
type ReportBuilder func(sh shift.Shift, entries []journal.Entry) (shift.Report, error)

// ShiftLedger is what the register needs from the store for shifts and cash
// management. As everywhere in Store, each journal entry is appended in the
// same durable transaction as the change it records.
type ShiftLedger interface {
	// OpenShift stores a new open shift and its opening entry; it sets
	// sh.StartSeq to the entry's sequence. A terminal has at most one open
	// shift (poserr.Conflict).
	OpenShift(ctx context.Context, sh *shift.Shift, e journal.Entry) error
	// Shift returns a shift by ID.
	Shift(ctx context.Context, id string) (shift.Shift, error)
	// OpenShiftOn returns the open shift of a terminal (poserr.NotFound if none).
	OpenShiftOn(ctx context.Context, terminal string) (shift.Shift, error)
	// Shifts lists the store's shifts in the given statuses, oldest first.
	Shifts(ctx context.Context, statuses ...shift.Status) ([]shift.Shift, error)
	// UpdateShift stores a shift's new status, terminal or users if its
	// current status is one of from (otherwise poserr.Conflict), and appends e.
	UpdateShift(ctx context.Context, sh shift.Shift, from []shift.Status, e journal.Entry) error
	// ShiftMovement appends a cash movement entry if the shift's status is
	// one of allowed (otherwise poserr.Conflict).
	ShiftMovement(ctx context.Context, shiftID string, allowed []shift.Status, e journal.Entry) error
	// ShiftJournal returns the journal entries from the shift's opening on.
	ShiftJournal(ctx context.Context, sh shift.Shift) ([]journal.Entry, error)
	// CloseShift closes a shift in one transaction: if voidSuspended, the
	// suspended transactions of the shift are dropped and listed in the
	// closing entry's payload (a shift.Event); the entry is appended; the Z
	// report is built from the shift's journal with build and stored. The
	// shift must be open or blind-closed (otherwise poserr.Conflict).
	CloseShift(ctx context.Context, id string, voidSuspended bool, e journal.Entry, build ReportBuilder) (shift.Report, error)
	// LastZ returns the Z report of the store's most recently closed shift.
	LastZ(ctx context.Context) (shift.Report, error)
}

// ShiftStore is the former name of ShiftLedger.
//
// Deprecated: use ShiftLedger.
type ShiftStore = ShiftLedger
