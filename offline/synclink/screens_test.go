package synclink

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/tillsync"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/till"
)

func TestStatusForTheScreens(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 30, 0, 0, time.UTC)
	in := tillsync.Status{State: tillsync.Degraded, Activated: true, Server: "http://127.0.0.1:8640", Pending: 3,
		Syncing: true, Dataset: "products", Done: 40, Total: 100, LastSync: at, LastError: "boom"}
	assert.Equal(t, till.SyncStatus{State: till.SyncDegraded, Activated: true, Server: "http://127.0.0.1:8640", Pending: 3,
		Syncing: true, Dataset: "products", Done: 40, Total: 100, LastSync: at, LastError: "boom"}, status(in))
	for from, to := range map[tillsync.State]till.SyncState{tillsync.Online: till.SyncOnline, tillsync.Offline: till.SyncOffline, tillsync.Degraded: till.SyncDegraded} {
		assert.Equal(t, to, status(tillsync.Status{State: from}).State, from.String())
	}
}

func TestProblemOfEachFailure(t *testing.T) {
	refused := func(code string) error {
		return &tillsync.Error{Kind: tillsync.Refused, Op: "activating", Status: 403, Code: code}
	}
	for _, tc := range []struct {
		name string
		err  error
		want till.SyncProblem // 0: no problem, the error as it is
	}{
		{"unreachable", &tillsync.Error{Kind: tillsync.Unreachable, Op: "activating"}, till.ProblemUnreachable},
		{"server fault", &tillsync.Error{Kind: tillsync.ServerFault, Op: "activating", Status: 503}, till.ProblemServerFault},
		{"bad reply", &tillsync.Error{Kind: tillsync.BadReply, Op: "activating"}, till.ProblemBadReply},
		{"bad code", refused(api.CodeBadCode), till.ProblemBadCode},
		{"deactivated", refused(api.CodeDeactivated), till.ProblemDeactivated},
		{"unauthorized", refused(api.CodeUnauthorized), till.ProblemUnauthorized},
		{"refused otherwise", refused(api.CodeConflict), till.ProblemRefused},
		{"offline stock", poserr.Wrap(&tillsync.Error{Kind: tillsync.Unreachable, Op: "stock"}, poserr.Offline, "sync.stock.offline", "offline"), till.ProblemUnreachable},
		{"locked", fmt.Errorf("opening: %w", tillsync.ErrLocked), till.ProblemLocked},
		{"another failure", errors.New("disk full"), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := problem(tc.err)
			assert.ErrorIs(t, err, tc.err, "the engine's error is kept")
			p, ok := till.SyncProblemOf(err)
			assert.Equal(t, tc.want != 0, ok)
			assert.Equal(t, tc.want, p)
		})
	}
	off := problem(poserr.Wrap(&tillsync.Error{Kind: tillsync.Unreachable, Op: "stock"}, poserr.Offline, "sync.stock.offline", "offline"))
	assert.Equal(t, poserr.Offline, poserr.KindOf(off), "an offline refusal stays one")
}
