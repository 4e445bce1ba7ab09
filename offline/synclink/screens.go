package synclink

import (
	"context"
	"errors"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/tillsync"
	"github.com/opentill/opentill/pos/till"
)

// Sync is a sync engine as the till's screens use it (till.Sync): its
// status, Sync now, activation. Failures carry their till.SyncProblem.
type Sync struct{ eng *tillsync.Engine }

var _ till.Sync = (*Sync)(nil)

// NewSync adapts a running engine for the screens.
func NewSync(e *tillsync.Engine) *Sync { return &Sync{eng: e} }

// Sync is the running sync for the screens, or nil when the till does not
// sync (then OffKey may say why).
func (l *Link) Sync() till.Sync {
	if l.eng == nil {
		return nil
	}
	return NewSync(l.eng)
}

// Subscribe calls fn with the status now and after every change (from the
// engine's goroutine); the returned function unsubscribes.
func (s *Sync) Subscribe(fn func(till.SyncStatus)) (cancel func()) {
	return s.eng.Subscribe(func(st tillsync.Status) { fn(status(st)) })
}

// SyncNow asks the engine for a pass now and returns at once.
func (s *Sync) SyncNow() { s.eng.SyncNow() }

var _ till.ParkedRecords = (*Sync)(nil)

// Parked lists the records the store server refused.
func (s *Sync) Parked(ctx context.Context) ([]till.ParkedRecord, error) {
	items, err := s.eng.Parked(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]till.ParkedRecord, len(items))
	for i, it := range items {
		out[i] = till.ParkedRecord{ID: it.ID, Kind: it.Kind, Created: it.Created, Reason: it.LastError}
	}
	return out, nil
}

// Requeue sends a parked record again with the next pass.
func (s *Sync) Requeue(ctx context.Context, id string) error { return s.eng.Requeue(ctx, id) }

// Activate registers the till with the server at serverURL with a one-time
// code and starts syncing with it.
func (s *Sync) Activate(ctx context.Context, serverURL, code, deviceName string) (till.Activation, error) {
	cfg, err := s.eng.Activate(ctx, serverURL, code, deviceName)
	if err != nil {
		return till.Activation{}, problem(err)
	}
	return till.Activation{StoreID: cfg.StoreID, TerminalID: cfg.TerminalID}, nil
}

// status is the engine's status in the screens' terms.
func status(s tillsync.Status) till.SyncStatus {
	st := till.SyncOffline
	switch s.State {
	case tillsync.Online:
		st = till.SyncOnline
	case tillsync.Degraded:
		st = till.SyncDegraded
	}
	return till.SyncStatus{State: st, Activated: s.Activated, Server: s.Server, Pending: s.Pending, Parked: s.Parked,
		Syncing: s.Syncing, Dataset: s.Dataset, Done: s.Done, Total: s.Total,
		LastSync: s.LastSync, LastError: s.LastError}
}

// problem wraps a failure of the store server (or of the sync lock) in a
// *till.SyncError that says what went wrong; other errors stay as they are.
func problem(err error) error {
	var te *tillsync.Error
	if errors.As(err, &te) {
		var p till.SyncProblem
		switch te.Kind {
		case tillsync.Unreachable:
			p = till.ProblemUnreachable
		case tillsync.ServerFault:
			p = till.ProblemServerFault
		case tillsync.BadReply:
			p = till.ProblemBadReply
		case tillsync.Refused:
			switch te.Code {
			case api.CodeBadCode:
				p = till.ProblemBadCode
			case api.CodeDeactivated:
				p = till.ProblemDeactivated
			case api.CodeUnauthorized:
				p = till.ProblemUnauthorized
			default:
				p = till.ProblemRefused
			}
		default:
			return err
		}
		return &till.SyncError{Problem: p, Err: err}
	}
	if errors.Is(err, tillsync.ErrLocked) {
		return &till.SyncError{Problem: till.ProblemLocked, Err: err}
	}
	return err
}
