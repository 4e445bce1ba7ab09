package store_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/storetest"
)

// TestConformance runs the store suite that pos/memstore passes too.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, seed storetest.Seed) pos.Store {
		s, err := store.Open(t.TempDir())
		require.NoError(t, err)
		t.Cleanup(func() { s.Close() })
		seed.Apply(t, s)
		return s
	})
}
