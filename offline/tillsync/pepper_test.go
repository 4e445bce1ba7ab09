package tillsync_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/staff"
)

// TestStorePepper: a till gets its store's PIN pepper at activation and
// keeps it beside its database; the staff feed gives it its own store's
// hash of each PIN, which another store's pepper cannot check; a till
// without the pepper file (activated before peppers) gets it back at its
// next check-in; offline, the till signs in with the pepper it holds, and
// without it refuses with an error that says to sync.
func TestStorePepper(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	n := sisterTill(t, s)
	peppers := map[*till]staff.Pepper{}
	for tl, storeID := range map[*till]string{a: demo.StoreID, n: scaleunit.SisterStoreID} {
		want, err := s.St.PINPepper(ctx, storeID)
		require.NoError(t, err)
		got, err := tl.St.PINPepper(ctx)
		require.NoError(t, err)
		assert.Equal(t, want, got, "store %s: the pepper came with the activation", storeID)
		peppers[tl] = got
	}
	require.NotEqual(t, peppers[a], peppers[n])

	pass(t, a, n)
	oa, err := a.St.Operator(ctx, "2001")
	require.NoError(t, err)
	on, err := n.St.Operator(ctx, "2001")
	require.NoError(t, err)
	assert.NotEqual(t, oa.PasswordHash, on.PasswordHash, "each store's till has its own store's hash")
	for _, c := range []struct {
		hash   string
		pepper staff.Pepper
		err    error
	}{{oa.PasswordHash, peppers[a], nil}, {on.PasswordHash, peppers[n], nil}, {oa.PasswordHash, peppers[n], staff.ErrWrongPepper}, {on.PasswordHash, peppers[a], staff.ErrWrongPepper}} {
		ok, err := staff.Check("2468", c.hash, c.pepper)
		if c.err != nil {
			assert.ErrorIs(t, err, c.err)
			continue
		}
		require.NoError(t, err)
		assert.True(t, ok)
	}

	path := filepath.Join(a.Dir, store.PepperFile)
	require.NoError(t, os.Remove(path))
	pass(t, a)
	got, err := a.St.PINPepper(ctx)
	require.NoError(t, err)
	assert.Equal(t, peppers[a], got, "the check-in brought the pepper back")

	s.stop() // offline from here on
	setup, err := a.St.LoadSetup(ctx)
	require.NoError(t, err)
	reg := pos.NewRegister(setup, a.St, pos.Options{})
	_, err = reg.Do(ctx, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	require.NoError(t, err, "offline sign-in with the store's pepper")
	_, err = reg.Do(ctx, pos.SignOut{})
	require.NoError(t, err)

	require.NoError(t, os.Remove(path))
	_, err = reg.Do(ctx, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	var pe *poserr.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "error.signin.no_pepper", pe.Key)
	assert.Contains(t, err.Error(), "connect the till to the store server and sync")
	op, err := a.St.Operator(ctx, "2001")
	require.NoError(t, err)
	assert.Zero(t, op.FailedLogins, "not counted against the operator")
}
