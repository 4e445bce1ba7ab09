package pos_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos"
)

// reopen opens the till's data folder again, as after a restart.
func reopen(t *testing.T, tl *till) *till {
	t.Helper()
	s, err := store.Open(tl.dir)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	setup, err := s.LoadSetup(context.Background())
	require.NoError(t, err)
	return &till{Register: pos.NewRegister(setup, s, pos.Options{Terminal: tl.term}), store: s, term: tl.term, dir: tl.dir}
}
