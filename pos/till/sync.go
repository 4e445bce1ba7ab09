package till

import (
	"context"
	"errors"
	"time"
)

// SyncState is the till's link to its store server as the screens show it.
type SyncState int

// Sync states.
const (
	// SyncOffline: the server cannot be reached (or the till is not
	// activated). The till sells as usual; the outbox grows.
	SyncOffline SyncState = iota
	// SyncOnline: the last exchange with the server succeeded.
	SyncOnline
	// SyncDegraded: the server answers but fails or refuses.
	SyncDegraded
)

// String returns online, offline or degraded.
func (s SyncState) String() string {
	switch s {
	case SyncOnline:
		return "online"
	case SyncDegraded:
		return "degraded"
	}
	return "offline"
}

// SyncStatus is what a sync indicator shows.
type SyncStatus struct {
	State     SyncState
	Activated bool   // the till was activated with a server
	Server    string // the server's URL
	Pending   int64  // outbox records waiting for the server
	Parked    int64  // of those, records the server refused as invalid, set aside for a person
	Syncing   bool   // a pass is running
	Dataset   string // the feed being pulled, while pulling
	Done      int64  // changes of Dataset applied in this pass
	Total     int64  // changes of Dataset in this pass (0 if unknown)
	LastSync  time.Time
	LastError string // the last failure in the engine's words, "" after a good pass
}

// Activation is what the server said when it took the till on.
type Activation struct {
	StoreID, TerminalID string
}

// Sync is the till's sync with its store server as the screens use it
// (offline/synclink adapts the sync engine to it).
type Sync interface {
	// Subscribe calls fn with the status now and after every change, from
	// any goroutine; the returned function unsubscribes.
	Subscribe(fn func(SyncStatus)) (cancel func())
	// SyncNow asks for a sync pass now and returns at once.
	SyncNow()
	// Activate registers the till with the server at serverURL with a
	// one-time code; a failure says why through SyncProblemOf.
	Activate(ctx context.Context, serverURL, code, deviceName string) (Activation, error)
}

// ParkedRecords is the optional part of a Sync that lists the records the
// store server refused (parked: kept, not sent again) and sends one again.
type ParkedRecords interface {
	Parked(ctx context.Context) ([]ParkedRecord, error)
	Requeue(ctx context.Context, id string) error
}

// ParkedRecord is a record the store server refused, with its reason.
type ParkedRecord struct {
	ID, Kind string
	Created  time.Time
	Reason   string // the server's words
}

// SyncProblem is what went wrong talking to the store server, for a front
// end to put in its own words.
type SyncProblem int

// Sync problems.
const (
	ProblemUnreachable  SyncProblem = iota + 1 // no connection or a timeout: try again later
	ProblemServerFault                         // the server failed (5xx): try again later
	ProblemBadReply                            // the reply could not be understood
	ProblemRefused                             // the server refused the call
	ProblemBadCode                             // the activation code is unknown, expired or used
	ProblemDeactivated                         // the till was deactivated on the server
	ProblemUnauthorized                        // the till's token is not accepted
	ProblemLocked                              // another program syncs this data folder
)

// String names the problem.
func (p SyncProblem) String() string {
	switch p {
	case ProblemUnreachable:
		return "unreachable"
	case ProblemServerFault:
		return "server fault"
	case ProblemBadReply:
		return "bad reply"
	case ProblemRefused:
		return "refused"
	case ProblemBadCode:
		return "bad activation code"
	case ProblemDeactivated:
		return "deactivated"
	case ProblemUnauthorized:
		return "unauthorized"
	case ProblemLocked:
		return "locked"
	}
	return "unknown"
}

// SyncError is a failure of the store server or of the sync, with its
// problem; it wraps the engine's error.
type SyncError struct {
	Problem SyncProblem
	Err     error
}

func (e *SyncError) Error() string { return e.Err.Error() }

// Unwrap returns the engine's error.
func (e *SyncError) Unwrap() error { return e.Err }

// SyncProblemOf returns the problem err carries, if it is (or wraps) a
// *SyncError.
func SyncProblemOf(err error) (SyncProblem, bool) {
	var se *SyncError
	if errors.As(err, &se) {
		return se.Problem, true
	}
	return 0, false
}
