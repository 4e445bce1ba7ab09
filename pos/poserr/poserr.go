// Package poserr defines the errors the domain returns: each carries a Kind a
// screen can act on (offer a manager override, explain that the till is
// offline, say what input was wrong) and a message key for translation.
package poserr

import (
	"errors"
	"fmt"
)

// Kind classifies an error by what the user can do about it.
type Kind int

// Error kinds.
const (
	Other         Kind = iota
	Invalid            // bad user or device input: say what was wrong
	NotFound           // the thing asked for does not exist
	NotPermitted       // the operator lacks the permission: offer a manager override
	LimitExceeded      // within the permission but over the operator's limit: offer override
	Locked             // operator is locked out: a manager must unlock
	Unauthorized       // wrong credentials
	Offline            // needs the store server, which is unreachable
	Conflict           // not possible in the current state (e.g. suspend with payments)
	Cancelled          // a trigger or the user cancelled
	Device             // a device failed (declined card, timeout, paper out)
	Storage            // the local store failed: nothing was committed
)

var kindNames = map[Kind]string{
	Other: "other", Invalid: "invalid", NotFound: "not_found", NotPermitted: "not_permitted",
	LimitExceeded: "limit_exceeded", Locked: "locked", Unauthorized: "unauthorized", Offline: "offline",
	Conflict: "conflict", Cancelled: "cancelled", Device: "device", Storage: "storage",
}

// String names the kind in snake case.
func (k Kind) String() string { return kindNames[k] }

// Error is a domain error.
type Error struct {
	Kind Kind
	Key  string         // message key for translation, e.g. "error.barcode.check_digit"
	Msg  string         // English message for logs and the headless tool
	Args map[string]any // values for the translated message only; never for control flow
	Err  error          // underlying cause, if any
	// Sentinel is the typed outcome callers test with errors.Is (e.g.
	// pos.ErrNoShift); it does not show in the message.
	Sentinel error
}

// Error returns the English message and the cause.
func (e *Error) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

// Unwrap returns the cause and the sentinel, for errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	switch {
	case e.Err != nil && e.Sentinel != nil:
		return []error{e.Sentinel, e.Err}
	case e.Sentinel != nil:
		return []error{e.Sentinel}
	case e.Err != nil:
		return []error{e.Err}
	}
	return nil
}

// Sentinel builds an Error that errors.Is matches against sentinel.
func Sentinel(sentinel error, kind Kind, key, format string, args ...any) *Error {
	e := E(kind, key, format, args...)
	e.Sentinel = sentinel
	return e
}

// E builds an Error with a formatted English message.
func E(kind Kind, key, format string, args ...any) *Error {
	return &Error{Kind: kind, Key: key, Msg: fmt.Sprintf(format, args...)}
}

// Wrap builds an Error around a cause.
func Wrap(err error, kind Kind, key, format string, args ...any) *Error {
	return &Error{Kind: kind, Key: key, Msg: fmt.Sprintf(format, args...), Err: err}
}

// KindOf returns the kind of the first *Error in err's chain, or Other.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Other
}

// Is reports whether err carries the given kind.
func Is(err error, kind Kind) bool { return err != nil && KindOf(err) == kind }

// StorageFailed wraps a failed change of a store for the register: what
// failed, and that nothing was saved. Domain errors pass through unchanged.
func StorageFailed(err error, what string, args ...any) error {
	if err == nil {
		return nil
	}
	var pe *Error
	if errors.As(err, &pe) {
		return err
	}
	return Wrap(err, Storage, "error.storage.failed", "%s failed in the local store; nothing was saved", fmt.Sprintf(what, args...))
}

// ReadFailed wraps a failed read of a store. Domain errors pass through
// unchanged.
func ReadFailed(err error, what string, args ...any) error {
	if err == nil {
		return nil
	}
	var pe *Error
	if errors.As(err, &pe) {
		return err
	}
	return Wrap(err, Storage, "error.storage.read", "%s failed in the local store", fmt.Sprintf(what, args...))
}
