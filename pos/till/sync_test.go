package till_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/opentill/opentill/pos/till"
)

func TestSyncProblemOf(t *testing.T) {
	engine := errors.New("dial tcp 127.0.0.1:1: connection refused")
	err := fmt.Errorf("activating: %w", &till.SyncError{Problem: till.ProblemUnreachable, Err: engine})
	p, ok := till.SyncProblemOf(err)
	assert.True(t, ok)
	assert.Equal(t, till.ProblemUnreachable, p)
	assert.ErrorIs(t, err, engine, "it wraps the engine's error")
	assert.Equal(t, "activating: dial tcp 127.0.0.1:1: connection refused", err.Error(), "in the engine's words")

	_, ok = till.SyncProblemOf(engine)
	assert.False(t, ok)
	_, ok = till.SyncProblemOf(nil)
	assert.False(t, ok)
}

func TestSyncNames(t *testing.T) {
	for s, want := range map[till.SyncState]string{till.SyncOnline: "online", till.SyncOffline: "offline", till.SyncDegraded: "degraded"} {
		assert.Equal(t, want, s.String())
	}
	for p, want := range map[till.SyncProblem]string{till.ProblemBadCode: "bad activation code", till.ProblemLocked: "locked", 0: "unknown"} {
		assert.Equal(t, want, p.String())
	}
}
