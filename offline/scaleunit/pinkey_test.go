package scaleunit_test

import (
	"encoding/base64"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
	"github.com/opentill/opentill/pos/staff"
)

// staffHashes reads a store's staff feed from the start: each operator's
// hash as that store's tills get it.
func staffHashes(t *testing.T, st scaleunit.Storage, storeID string) map[string]string {
	t.Helper()
	page, err := st.Feed(ctx, storeID, api.DatasetStaff, 0, api.MaxPageSize, false)
	require.NoError(t, err)
	b, err := json.Marshal(page)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "opentill-sealed", "no till gets the server's sealed form")
	out := map[string]string{}
	for _, c := range page.Changes {
		switch {
		case c.Operator != nil:
			out[c.Operator.ID] = c.Operator.PasswordHash
		case c.Deleted:
			delete(out, strings.TrimPrefix(c.Key, "operator:"))
		}
	}
	return out
}

func putStores(t *testing.T, st scaleunit.Storage, ids ...string) {
	t.Helper()
	for _, id := range ids {
		require.NoError(t, st.PutStore(ctx, scaleunit.StoreInfo{ID: id, Name: "Store " + id}, demo.Setup()))
	}
}

// TestEachStoreGetsItsOwnHash: a PIN set once at the server reaches each
// store's tills as a hash of their own store, which verifies with that
// store's pepper only; a store added later gets its hash without the PIN
// typed again; an operator of one store reaches that store alone.
func TestEachStoreGetsItsOwnHash(t *testing.T) { sutest.Each(t, testEachStoreGetsItsOwnHash) }

func testEachStoreGetsItsOwnHash(t *testing.T, backend string) {
	st, _ := sutest.Open(t, backend)
	putStores(t, st, "A1", "B1")
	require.NoError(t, st.PutOperatorPIN(ctx, staff.Operator{ID: "7001", Name: "Everywhere", RoleID: "cashier"}, "246810", staff.FastParams))
	require.NoError(t, st.PutOperatorPIN(ctx, staff.Operator{ID: "7002", Name: "Only A", RoleID: "cashier", Stores: []string{"A1"}}, "1357", staff.FastParams))
	pa, err := st.PINPepper(ctx, "A1")
	require.NoError(t, err)
	pb, err := st.PINPepper(ctx, "B1")
	require.NoError(t, err)
	require.NoError(t, pa.Valid())
	assert.NotEqual(t, pa, pb, "each store has its own pepper")
	again, err := st.PINPepper(ctx, "A1")
	require.NoError(t, err)
	assert.Equal(t, pa, again, "a store's pepper is derived, the same every time")

	a, b := staffHashes(t, st, "A1"), staffHashes(t, st, "B1")
	require.Contains(t, a, "7001")
	require.Contains(t, a, "7002")
	require.Contains(t, b, "7001")
	assert.NotContains(t, b, "7002", "an operator of store A does not reach store B's tills")
	assert.NotEqual(t, a["7001"], b["7001"], "the feed sends each store its own hash")

	tests := []struct {
		name   string
		hash   string
		pin    string
		pepper staff.Pepper
		ok     bool
		err    error
	}{
		{"A's hash, A's pepper", a["7001"], "246810", pa, true, nil},
		{"A's hash, a wrong PIN", a["7001"], "246811", pa, false, nil},
		{"A's hash, B's pepper", a["7001"], "246810", pb, false, staff.ErrWrongPepper},
		{"B's hash, B's pepper", b["7001"], "246810", pb, true, nil},
		{"B's hash, A's pepper", b["7001"], "246810", pa, false, staff.ErrWrongPepper},
		{"B's hash, no pepper", b["7001"], "246810", nil, false, staff.ErrNoPepper},
		{"A's own operator", a["7002"], "1357", pa, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := staff.Check(tt.pin, tt.hash, tt.pepper)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tt.ok, ok)
		})
	}
	h, err := staff.ParseHash(a["7001"])
	require.NoError(t, err)
	assert.Equal(t, pa.ID(), h.KeyID)
	assert.Equal(t, staff.FastParams.Memory, h.Memory, "the parameters the PIN was set with")

	putStores(t, st, "C1")
	c := staffHashes(t, st, "C1")
	pc, err := st.PINPepper(ctx, "C1")
	require.NoError(t, err)
	ok, err := staff.Check("246810", c["7001"], pc)
	require.NoError(t, err)
	assert.True(t, ok, "a store added later gets the hash of an operator of every store, no PIN typed again")
	assert.NotContains(t, c, "7002")

	// Moving the operator of store A to store B needs no PIN either.
	o, err := st.Operator(ctx, "7002")
	require.NoError(t, err)
	o.Stores = []string{"B1"}
	require.NoError(t, st.PutOperator(ctx, o))
	a, b = staffHashes(t, st, "A1"), staffHashes(t, st, "B1")
	assert.NotContains(t, a, "7002")
	ok, err = staff.Check("1357", b["7002"], pb)
	require.NoError(t, err)
	assert.True(t, ok)
}

// TestDatabaseHoldsNothingToGuessAgainst: what the database keeps of a PIN
// is sealed under the PIN key, which it does not hold (a check value of
// it only): a leaked database gives no hash a guess can be tried on.
func TestDatabaseHoldsNothingToGuessAgainst(t *testing.T) {
	sutest.Each(t, testDatabaseHoldsNothingToGuessAgainst)
}

func testDatabaseHoldsNothingToGuessAgainst(t *testing.T, backend string) {
	st, where := sutest.Open(t, backend)
	putStores(t, st, "A1")
	require.NoError(t, st.PutOperatorPIN(ctx, staff.Operator{ID: "7001", Name: "Kim", RoleID: "cashier"}, "1234", staff.FastParams))
	payloads, check, err := scaleunit.StaffRows(ctx, st)
	require.NoError(t, err)
	require.Len(t, payloads, 1)
	var c api.Change
	require.NoError(t, json.Unmarshal([]byte(payloads[0]), &c))
	require.NotNil(t, c.Operator)
	assert.True(t, strings.HasPrefix(c.Operator.PasswordHash, "$opentill-sealed$v=1$m=8192,t=1,p=1,key="), c.Operator.PasswordHash)
	assert.ErrorIs(t, staff.ValidateHash(c.Operator.PasswordHash), staff.ErrBadHash, "not a hash anything can check a PIN against")

	keyFile, err := os.ReadFile(st.PINKeyPath())
	require.NoError(t, err)
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(keyFile)))
	require.NoError(t, err)
	require.Len(t, key, 32)
	pepper, err := st.PINPepper(ctx, "A1")
	require.NoError(t, err)
	assert.Len(t, check, 64, "the database records a check value of the key")
	for _, secret := range [][]byte{key, pepper} {
		for _, form := range []string{base64.StdEncoding.EncodeToString(secret), base64.RawStdEncoding.EncodeToString(secret), string(secret)} {
			assert.NotContains(t, payloads[0]+check, form, "neither the key nor a pepper is in the database")
		}
	}
	if backend == "sqlite" {
		var all []byte
		for _, name := range []string{scaleunit.DBFile, scaleunit.DBFile + "-wal"} {
			b, err := os.ReadFile(filepath.Join(where, name))
			if !os.IsNotExist(err) {
				require.NoError(t, err)
			}
			all = append(all, b...)
		}
		require.Contains(t, string(all), "opentill-sealed", "the scan reads the database")
		assert.NotContains(t, string(all), base64.StdEncoding.EncodeToString(key))
		assert.NotContains(t, string(all), base64.StdEncoding.EncodeToString(pepper))
	}

	// A sealed PIN moved to another operator does not open there.
	err = st.PutOperator(ctx, staff.Operator{ID: "7002", Name: "Thief", RoleID: "cashier", PasswordHash: c.Operator.PasswordHash})
	require.ErrorIs(t, err, scaleunit.ErrInvalid)
	assert.Contains(t, err.Error(), "set the PIN again")
}

// TestHashesBeforePeppers: an operator stored with an argon2id hash
// without a pepper (set before this server made peppered ones) keeps going
// to the tills as it is and verifies there until the PIN is set again; a
// hash peppered for one store is refused, since the feed would send it to
// the others.
func TestHashesBeforePeppers(t *testing.T) { sutest.Each(t, testHashesBeforePeppers) }

func testHashesBeforePeppers(t *testing.T, backend string) {
	st, _ := sutest.Open(t, backend)
	putStores(t, st, "A1")
	old, err := staff.HashPassword("1234", staff.FastParams)
	require.NoError(t, err)
	require.NoError(t, st.PutOperator(ctx, staff.Operator{ID: "7001", Name: "Kim", RoleID: "cashier", PasswordHash: old}))
	got := staffHashes(t, st, "A1")["7001"]
	assert.Equal(t, old, got, "sent as it is")
	ok, err := staff.CheckPassword("1234", got)
	require.NoError(t, err)
	assert.True(t, ok)

	pa, err := st.PINPepper(ctx, "A1")
	require.NoError(t, err)
	peppered, err := staff.HashPeppered("1234", pa, staff.FastParams)
	require.NoError(t, err)
	err = st.PutOperator(ctx, staff.Operator{ID: "7003", Name: "Lee", RoleID: "cashier", PasswordHash: peppered})
	require.ErrorIs(t, err, scaleunit.ErrInvalid)
	assert.Contains(t, err.Error(), "--pin")
	for _, bad := range []string{"1234", ""} {
		err = st.PutOperator(ctx, staff.Operator{ID: "7004", Name: "Plain", RoleID: "cashier", PasswordHash: bad})
		assert.ErrorIs(t, err, scaleunit.ErrInvalid, "a plain PIN %q is refused", bad)
	}

	// Setting the PIN again makes it peppered.
	o, err := st.Operator(ctx, "7001")
	require.NoError(t, err)
	require.NoError(t, st.PutOperatorPIN(ctx, o, "5678", staff.FastParams))
	got = staffHashes(t, st, "A1")["7001"]
	_, err = staff.CheckPassword("5678", got)
	assert.ErrorIs(t, err, staff.ErrNoPepper)
	ok, err = staff.Check("5678", got, pa)
	require.NoError(t, err)
	assert.True(t, ok)
}

// TestPINKeyOnRestart: a server restarted with its PIN key works as
// before; with the key file missing, another key or a damaged file it is
// refused with a message that says what to do, changing nothing, and does
// not serve.
func TestPINKeyOnRestart(t *testing.T) { sutest.Each(t, testPINKeyOnRestart) }

func testPINKeyOnRestart(t *testing.T, backend string) {
	where := sutest.Where(t, backend)
	keys := t.TempDir()
	path := filepath.Join(keys, "chain.key")
	open := func(o scaleunit.Options) *scaleunit.DB {
		st, err := scaleunit.OpenWith(ctx, where, o)
		require.NoError(t, err, "opening needs no key: the commands that do not use it work without")
		t.Cleanup(func() { st.Close() })
		return st
	}
	st := open(scaleunit.Options{PINKeyFile: path})
	id, err := st.PINKeyID(ctx)
	require.NoError(t, err, "the first start makes the key")
	fi, err := os.Stat(path)
	require.NoError(t, err)
	if runtime.GOOS != "windows" {
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	}
	putStores(t, st, "A1")
	require.NoError(t, st.PutOperatorPIN(ctx, staff.Operator{ID: "7001", Name: "Kim", RoleID: "cashier"}, "1234", staff.FastParams))
	pepper, err := st.PINPepper(ctx, "A1")
	require.NoError(t, err)
	require.NoError(t, st.Close())

	other := filepath.Join(keys, "other.key")
	require.NoError(t, os.WriteFile(other, []byte(base64.StdEncoding.EncodeToString(staff.NewPepper())+"\n"), 0o600))
	damaged := filepath.Join(keys, "damaged.key")
	require.NoError(t, os.WriteFile(damaged, []byte("not a key\n"), 0o600))
	missing := filepath.Join(keys, "gone.key")
	tests := []struct {
		name string
		path string
		says string // "" when the server starts
	}{
		{"the same key file", path, ""},
		{"the key file missing", missing, "is missing, but "},
		{"another key", other, "give every server process of the chain the same key file"},
		{"a damaged key file", damaged, "is not a PIN key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := open(scaleunit.Options{PINKeyFile: tt.path})
			got, err := st.PINKeyID(ctx)
			if tt.says == "" {
				require.NoError(t, err)
				assert.Equal(t, id, got)
				p, err := st.PINPepper(ctx, "A1")
				require.NoError(t, err)
				assert.Equal(t, pepper, p, "the tills' peppers stay")
				ok, err := staff.Check("1234", staffHashes(t, st, "A1")["7001"], pepper)
				require.NoError(t, err)
				assert.True(t, ok)
				return
			}
			require.ErrorIs(t, err, scaleunit.ErrPINKey)
			assert.Contains(t, err.Error(), tt.says)
			assert.Contains(t, err.Error(), tt.path)
			_, err = st.PINPepper(ctx, "A1")
			assert.ErrorIs(t, err, scaleunit.ErrPINKey, "no pepper for a till")
			_, err = st.Feed(ctx, "A1", api.DatasetStaff, 0, 100, false)
			assert.ErrorIs(t, err, scaleunit.ErrPINKey, "no staff feed")
			assert.ErrorIs(t, st.PutOperatorPIN(ctx, staff.Operator{ID: "7009", Name: "X", RoleID: "cashier"}, "9999", staff.FastParams), scaleunit.ErrPINKey)
			assert.NoFileExists(t, missing, "a missing key is not made anew")
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			err = scaleunit.New(st, nil).Serve(ctx, ln, "", "")
			assert.ErrorIs(t, err, scaleunit.ErrPINKey, "the server does not start")
		})
	}
	t.Run("no key file named", func(t *testing.T) {
		t.Setenv(scaleunit.EnvPINKey, "")
		st := open(scaleunit.Options{})
		_, err := st.PINKeyID(ctx)
		require.ErrorIs(t, err, scaleunit.ErrPINKey)
		if backend == "postgres" {
			assert.Contains(t, err.Error(), "this process was given no PIN key file: give it with --pin-key FILE or SCALEUNIT_PIN_KEY=FILE")
		} else {
			assert.Contains(t, err.Error(), filepath.Join(where, scaleunit.PINKeyFile)+" is missing", "the folder's own key file is looked for")
		}
	})
}

// A SQLite data folder keeps its PIN key beside the database, made at the
// first start; on PostgreSQL, which has no folder, a key file must be named.
func TestPINKeyDefaults(t *testing.T) {
	t.Setenv(scaleunit.EnvPINKey, "")
	dir := t.TempDir()
	st, err := scaleunit.Open(ctx, dir)
	require.NoError(t, err)
	defer st.Close()
	_, err = st.PINKeyID(ctx)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, scaleunit.PINKeyFile), st.PINKeyPath())
	assert.FileExists(t, filepath.Join(dir, scaleunit.PINKeyFile))

	pg, err := scaleunit.Open(ctx, sutest.Where(t, "postgres"))
	require.NoError(t, err)
	defer pg.Close()
	_, err = pg.PINKeyID(ctx)
	require.ErrorIs(t, err, scaleunit.ErrPINKey)
	assert.Contains(t, err.Error(), "no PIN key file was given")
	assert.Contains(t, err.Error(), "every other server process of the chain needs a copy")
	require.NoError(t, pg.PutStore(ctx, scaleunit.StoreInfo{ID: "A1", Name: "A"}, demo.Setup()), "what needs no key works without")

	key := filepath.Join(t.TempDir(), "pin.key")
	t.Setenv(scaleunit.EnvPINKey, key)
	pg2, err := scaleunit.Open(ctx, sutest.Where(t, "postgres"))
	require.NoError(t, err)
	defer pg2.Close()
	_, err = pg2.PINKeyID(ctx)
	require.NoError(t, err)
	assert.FileExists(t, key, "made where the environment says")
}

// TestRotatePINKey: a rotation with the old key seals every PIN again
// under a new key, so each store's tills get a new pepper and new hashes
// of the same PINs; one without it (the key lost or leaked) drops the
// sealed PINs and lists their operators. An interrupted rotation says
// where the new key is.
func TestRotatePINKey(t *testing.T) { sutest.Each(t, testRotatePINKey) }

func testRotatePINKey(t *testing.T, backend string) {
	where := sutest.Where(t, backend)
	path := filepath.Join(t.TempDir(), "chain.key")
	open := func() *scaleunit.DB {
		st, err := scaleunit.OpenWith(ctx, where, scaleunit.Options{PINKeyFile: path})
		require.NoError(t, err)
		t.Cleanup(func() { st.Close() })
		return st
	}
	st := open()
	putStores(t, st, "A1", "B1")
	require.NoError(t, st.PutOperatorPIN(ctx, staff.Operator{ID: "7001", Name: "Kim", RoleID: "cashier"}, "1234", staff.FastParams))
	require.NoError(t, st.PutOperatorPIN(ctx, staff.Operator{ID: "7002", Name: "Lee", RoleID: "manager", Stores: []string{"A1", "B1"}}, "5678", staff.FastParams))
	old, err := staff.HashPassword("1111", staff.FastParams)
	require.NoError(t, err)
	require.NoError(t, st.PutOperator(ctx, staff.Operator{ID: "7003", Name: "Old", RoleID: "cashier", PasswordHash: old}))
	oldID, err := st.PINKeyID(ctx)
	require.NoError(t, err)
	oldPepper, err := st.PINPepper(ctx, "A1")
	require.NoError(t, err)
	oldFile, err := os.ReadFile(path)
	require.NoError(t, err)

	r, err := st.RotatePINKey(ctx, false)
	require.NoError(t, err)
	assert.Equal(t, oldID, r.From)
	assert.NotEqual(t, oldID, r.To)
	assert.Equal(t, 3, r.Resealed, "7001 once, 7002 for each of its stores")
	assert.Empty(t, r.Dropped)
	assert.NoFileExists(t, path+".new")
	newPepper, err := st.PINPepper(ctx, "A1")
	require.NoError(t, err)
	assert.NotEqual(t, oldPepper, newPepper, "the tills get a new pepper")
	for _, c := range []struct{ id, pin string }{{"7001", "1234"}, {"7002", "5678"}} {
		h := staffHashes(t, st, "A1")[c.id]
		ok, err := staff.Check(c.pin, h, newPepper)
		require.NoError(t, err, c.id)
		assert.True(t, ok, "%s: the same PIN, a new hash", c.id)
		_, err = staff.Check(c.pin, h, oldPepper)
		assert.ErrorIs(t, err, staff.ErrWrongPepper, "the old pepper is worthless")
	}
	assert.Equal(t, old, staffHashes(t, st, "A1")["7003"], "a hash from before peppers stays")
	require.NoError(t, st.Close())
	st = open()
	id, err := st.PINKeyID(ctx)
	require.NoError(t, err, "the new key file is in place")
	assert.Equal(t, r.To, id)
	require.NoError(t, st.Close())

	// Interrupted between the database and the file: the old key in place,
	// the new one beside it.
	newFile, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path+".new", newFile, 0o600))
	require.NoError(t, os.WriteFile(path, oldFile, 0o600))
	st = open()
	_, err = st.PINKeyID(ctx)
	require.ErrorIs(t, err, scaleunit.ErrPINKey)
	assert.Contains(t, err.Error(), "a rotation of the key was interrupted; move "+path+".new to "+path)
	require.NoError(t, st.Close())

	// The key lost for good: without --drop-pins nothing changes.
	require.NoError(t, os.Remove(path))
	require.NoError(t, os.Remove(path+".new"))
	st = open()
	_, err = st.RotatePINKey(ctx, false)
	require.ErrorIs(t, err, scaleunit.ErrPINKey)
	assert.Contains(t, err.Error(), "--drop-pins")
	assert.NoFileExists(t, path)
	r, err = st.RotatePINKey(ctx, true)
	require.NoError(t, err)
	assert.Empty(t, r.From)
	require.Len(t, r.Dropped, 2, "each operator once")
	assert.ElementsMatch(t, []string{"7001", "7002"}, []string{r.Dropped[0].ID, r.Dropped[1].ID})
	hashes := staffHashes(t, st, "A1")
	assert.NotContains(t, hashes, "7001", "gone from the tills")
	assert.NotContains(t, hashes, "7002")
	assert.Equal(t, old, hashes["7003"])
	_, err = st.Operator(ctx, "7001")
	assert.ErrorIs(t, err, scaleunit.ErrNotFound)
	require.NoError(t, st.PutOperatorPIN(ctx, r.Dropped[0], "2468", staff.FastParams), "added again with a new PIN")
	id, err = st.PINKeyID(ctx)
	require.NoError(t, err)
	assert.Equal(t, r.To, id)
}
