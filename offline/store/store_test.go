package store_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/poserr"
)

func TestMigrateFromEmptyAndReopen(t *testing.T) {
	s, dir := openStore(t)
	st, err := s.Stats(ctx)
	require.NoError(t, err)
	assert.Equal(t, store.SchemaVersion(), st.SchemaVersion)
	assert.GreaterOrEqual(t, st.SchemaVersion, 1)
	require.NoError(t, s.SaveSetup(ctx, demo.Setup()))
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "closing twice is harmless")

	// Reopening migrates nothing and keeps the data.
	for i := 0; i < 2; i++ {
		s2, err := store.Open(dir)
		require.NoError(t, err)
		setup, err := s2.LoadSetup(ctx)
		require.NoError(t, err)
		assert.Equal(t, demo.StoreID, setup.StoreID)
		st, err := s2.Stats(ctx)
		require.NoError(t, err)
		assert.Equal(t, store.SchemaVersion(), st.SchemaVersion)
		require.NoError(t, s2.Close())
	}

	db := rawDB(t, dir)
	for _, table := range []string{"settings", "products", "barcodes", "products_fts", "operators", "roles", "transactions",
		"transaction_lines", "tenders", "receipt_sequence", "journal", "outbox", "suspended"} {
		assert.Equal(t, 1, count(t, db, `SELECT count(*) FROM sqlite_schema WHERE name = ?`, table), table)
	}
	var mode string
	require.NoError(t, db.QueryRow(`PRAGMA journal_mode`).Scan(&mode))
	assert.Equal(t, "wal", mode)
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	s, dir := openStore(t)
	require.NoError(t, s.Close())
	db := rawDB(t, dir)
	_, err := db.Exec(`PRAGMA user_version = 999`)
	require.NoError(t, err)
	require.NoError(t, db.Close())

	_, err = store.Open(dir)
	require.Error(t, err)
	assert.True(t, errors.Is(err, store.ErrNewerSchema))
	assert.True(t, poserr.Is(err, poserr.Storage))
	assert.Contains(t, err.Error(), "data folder was written by a newer OpenTill")
	assert.Contains(t, err.Error(), "999")

	// The file was not touched.
	db = rawDB(t, dir)
	assert.Equal(t, 999, count(t, db, `PRAGMA user_version`))
}

func TestOpenRejectsNonDatabase(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, store.FileName), []byte(strings.Repeat("not a database ", 100)), 0o644))
	_, err := store.Open(dir)
	require.Error(t, err)
	assert.True(t, poserr.Is(err, poserr.Storage))
}

func TestOpenCreatesFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	s, err := store.Open(dir)
	require.NoError(t, err)
	defer s.Close()
	assert.FileExists(t, filepath.Join(dir, store.FileName))
	assert.Equal(t, filepath.Join(dir, store.FileName), s.Path())
}

func TestSetupRoundTrip(t *testing.T) {
	s, _ := openStore(t)
	_, err := s.LoadSetup(ctx)
	assert.True(t, poserr.Is(err, poserr.NotFound), "%v", err)

	want := demo.Setup()
	require.NoError(t, s.SaveSetup(ctx, want))
	got, err := s.LoadSetup(ctx)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	bad := want
	bad.TerminalID = ""
	assert.True(t, poserr.Is(s.SaveSetup(ctx, bad), poserr.Invalid))
}

func TestSettings(t *testing.T) {
	s, _ := openStore(t)
	type cursor struct{ Products string }
	var c cursor
	assert.True(t, poserr.Is(s.Setting(ctx, "sync.cursor", &c), poserr.NotFound))
	require.NoError(t, s.PutSetting(ctx, "sync.cursor", cursor{"abc"}))
	require.NoError(t, s.PutSetting(ctx, "sync.cursor", cursor{"def"}))
	require.NoError(t, s.Setting(ctx, "sync.cursor", &c))
	assert.Equal(t, "def", c.Products)
}

func TestStaff(t *testing.T) {
	s, _ := openStore(t)
	roles, ops := demo.Staff()
	for _, r := range roles {
		require.NoError(t, s.PutRole(ctx, r))
	}
	for _, o := range ops {
		require.NoError(t, s.PutOperator(ctx, o.Operator))
	}
	for _, r := range roles {
		got, err := s.Role(ctx, r.ID)
		require.NoError(t, err)
		assert.Equal(t, r, got)
	}
	for _, o := range ops {
		got, err := s.Operator(ctx, o.ID)
		require.NoError(t, err)
		assert.Equal(t, o.Operator, got)
	}
	all, err := s.Operators(ctx)
	require.NoError(t, err)
	assert.Len(t, all, len(ops))

	_, err = s.Operator(ctx, "9999")
	assert.True(t, poserr.Is(err, poserr.NotFound))
	assert.Contains(t, err.Error(), `operator "9999" not found`)
	_, err = s.Role(ctx, "nobody")
	assert.True(t, poserr.Is(err, poserr.NotFound))

	// A plain PIN is refused.
	plain := ops[0].Operator
	plain.PasswordHash = "1234"
	assert.True(t, poserr.Is(s.PutOperator(ctx, plain), poserr.Invalid))

	// Lockout state and its journal entry go together.
	e := entry("locked_out", 700)
	require.NoError(t, s.SetOperatorState(ctx, "1001", 5, true, e))
	o, err := s.Operator(ctx, "1001")
	require.NoError(t, err)
	assert.Equal(t, 5, o.FailedLogins)
	assert.True(t, o.Locked)
	err = s.SetOperatorState(ctx, "9999", 1, false, e)
	assert.True(t, poserr.Is(err, poserr.NotFound))
	n, err := s.VerifyJournal(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, n, "the failed update journaled nothing")
}
