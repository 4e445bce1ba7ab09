package pos

import (
	"context"

	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/shift"
)

// A quote has no shift: the shift methods of quoteStore find nothing and
// store nothing.

func (quoteStore) OpenShift(context.Context, *shift.Shift, journal.Entry) error { return errQuote }
func (quoteStore) Shift(context.Context, string) (shift.Shift, error)           { return shift.Shift{}, errQuote }
func (quoteStore) OpenShiftOn(context.Context, string) (shift.Shift, error) {
	return shift.Shift{}, poserr.E(poserr.NotFound, "error.shift.none", "a quote has no shift")
}
func (quoteStore) Shifts(context.Context, ...shift.Status) ([]shift.Shift, error) {
	return nil, errQuote
}
func (quoteStore) UpdateShift(context.Context, shift.Shift, []shift.Status, journal.Entry) error {
	return errQuote
}
func (quoteStore) ShiftMovement(context.Context, string, []shift.Status, journal.Entry) error {
	return errQuote
}
func (quoteStore) ShiftJournal(context.Context, shift.Shift) ([]journal.Entry, error) {
	return nil, errQuote
}
func (quoteStore) CloseShift(context.Context, string, bool, journal.Entry, ReportBuilder) (shift.Report, error) {
	return shift.Report{}, errQuote
}
func (quoteStore) LastZ(context.Context) (shift.Report, error) { return shift.Report{}, errQuote }
