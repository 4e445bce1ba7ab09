package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/shift"
)

// OutboxShiftEvent is the outbox kind of shift events (the scale-unit API's
// upload kind "shift_event").
const OutboxShiftEvent = "shift_event"

// ShiftEvent is what the store server receives for each shift event: the
// journal entry as it was sealed (hash chain fields included), and, when the
// event closed the shift, its Z report.
type ShiftEvent struct {
	ID    string         `json:"id"` // client ID: shift ID and journal sequence
	Shift string         `json:"shift"`
	Entry journal.Entry  `json:"entry"`
	Z     *shift.Report  `json:"z_report,omitempty"`
	State *shift.Shift   `json:"state,omitempty"`
	Extra map[string]any `json:"extra,omitempty"`
}

// enqueueShiftEvent queues a sealed shift journal entry for the store
// server inside tx, keyed by shift ID and sequence so a retry never makes a
// second event.
func enqueueShiftEvent(ctx context.Context, tx *sql.Tx, shiftID string, e journal.Entry, state *shift.Shift, z *shift.Report) error {
	ev := ShiftEvent{ID: fmt.Sprintf("%s:%d", shiftID, e.Seq), Shift: shiftID, Entry: e, State: state, Z: z}
	payload, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO outbox(id, kind, payload, created) VALUES(?, ?, ?, ?)`, ev.ID, OutboxShiftEvent, string(payload), nowText())
	return err
}
