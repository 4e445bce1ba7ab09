package zvt

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/opentill/opentill/internal/atomicfile"
	"github.com/opentill/opentill/pos/money"
)

// A card payment whose outcome the terminal has not told must survive the
// till: if the till stops (crash, power cut) between sending an
// authorisation and reading its answer, the next start must still ask the
// terminal what became of it before charging anyone again. With
// Config.PendingPath set, each payment is written there (synced) before it
// is sent and removed once its outcome is known; New takes a file it finds
// as the payment still to settle.

// pendingFile is the stored form of an attempt.
type pendingFile struct {
	Reference  string       `json:"reference"` // the till's request reference
	Command    uint16       `json:"command"`
	Amount     money.Amount `json:"amount"` // minor units
	Started    time.Time    `json:"started"`
	LastTrace  uint32       `json:"last_trace"`
	TraceKnown bool         `json:"trace_known"`
}

// loadPending reads a payment left unsettled by an earlier run; nil when
// there is none.
func loadPending(path string) (*attempt, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the unsettled card payment in %s: %w", path, err)
	}
	var p pendingFile
	if err := json.Unmarshal(b, &p); err != nil || p.Amount <= 0 || p.Started.IsZero() {
		return nil, fmt.Errorf("%s is damaged, so the till cannot tell which card payment is unsettled: check the terminal's last receipt (reverse it there if no sale recorded it), then delete the file", path)
	}
	return &attempt{ref: p.Reference, cmd: p.Command, amount: p.Amount, started: p.Started, lastTrace: p.LastTrace, traceKnown: p.TraceKnown}, nil
}

// savePending writes a payment about to be sent, synced, replacing the
// file atomically.
func savePending(path string, a *attempt) error {
	b, err := json.Marshal(pendingFile{Reference: a.ref, Command: a.cmd, Amount: a.amount, Started: a.started.UTC(),
		LastTrace: a.lastTrace, TraceKnown: a.traceKnown})
	if err != nil {
		return err
	}
	return atomicfile.Write(path, b, 0o600)
}

// clearPending removes the file of a settled payment.
func clearPending(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return atomicfile.SyncDir(filepath.Dir(path))
}
