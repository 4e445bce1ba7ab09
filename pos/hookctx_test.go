package pos

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type otherKey struct{}

// A hook's context behaves as the context.WithTimeout it replaces: the
// call's deadline (or the caller's, if sooner), Done closed at the deadline
// or when the call ends, Err saying which, the caller's values and the
// trigger mark.
func TestAHookContextIsATimeoutContext(t *testing.T) {
	r := &Register{}
	parent := context.WithValue(context.Background(), otherKey{}, "v")
	soon := time.Now().Add(30 * time.Millisecond)

	t.Run("values", func(t *testing.T) {
		c := &hookCtx{Context: parent, r: r, deadline: soon}
		assert.Same(t, r, c.Value(triggerKey{}))
		assert.Equal(t, "v", c.Value(otherKey{}))
	})
	t.Run("deadline", func(t *testing.T) {
		c := &hookCtx{Context: parent, r: r, deadline: soon}
		d, ok := c.Deadline()
		assert.True(t, ok)
		assert.Equal(t, soon, d)
		early := time.Now().Add(time.Millisecond)
		p, cancel := context.WithDeadline(parent, early)
		defer cancel()
		d, _ = (&hookCtx{Context: p, r: r, deadline: soon}).Deadline()
		assert.Equal(t, early, d, "the caller's sooner deadline")
	})
	t.Run("overrun without Done", func(t *testing.T) {
		c := &hookCtx{Context: parent, r: r, deadline: time.Now().Add(5 * time.Millisecond)}
		assert.NoError(t, c.Err())
		time.Sleep(10 * time.Millisecond)
		assert.ErrorIs(t, c.Err(), context.DeadlineExceeded)
		assert.True(t, c.overran())
	})
	t.Run("Done at the deadline", func(t *testing.T) {
		c := &hookCtx{Context: parent, r: r, deadline: time.Now().Add(5 * time.Millisecond)}
		select {
		case <-c.Done():
		case <-time.After(2 * time.Second):
			t.Fatal("Done was not closed at the deadline")
		}
		assert.ErrorIs(t, c.Err(), context.DeadlineExceeded)
		c.end()
		assert.ErrorIs(t, c.Err(), context.DeadlineExceeded, "the first reason stays")
	})
	t.Run("ended", func(t *testing.T) {
		for _, askedFirst := range []bool{false, true} {
			c := &hookCtx{Context: parent, r: r, deadline: time.Now().Add(time.Hour)}
			if askedFirst {
				_ = c.Done()
			}
			c.end()
			select {
			case <-c.Done():
			default:
				t.Fatal("Done is open after the call ended")
			}
			assert.ErrorIs(t, c.Err(), context.Canceled)
		}
	})
	t.Run("the caller cancels", func(t *testing.T) {
		p, cancel := context.WithCancel(parent)
		c := &hookCtx{Context: p, r: r, deadline: time.Now().Add(time.Hour)}
		done := c.Done()
		cancel()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatal("Done was not closed when the caller cancelled")
		}
		require.ErrorIs(t, c.Err(), context.Canceled)
	})
}
