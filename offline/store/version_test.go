package store_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/internal/version"
	"github.com/opentill/opentill/offline/store"
)

// Each OpenTill version that opens a data folder is recorded once; opening
// it again with the same build writes nothing.
func TestOpenRecordsTheVersion(t *testing.T) {
	s, dir := openStore(t)
	list, err := s.OpenedBy(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, version.Get().Version, list[0].Version)
	assert.Equal(t, store.SchemaVersion(), list[0].Schema)
	require.NoError(t, s.Close())

	db := rawDB(t, dir)
	var before string
	require.NoError(t, db.QueryRow(`SELECT value FROM settings WHERE key = 'opened_by'`).Scan(&before))
	require.NoError(t, db.Close())
	s, err = store.Open(dir)
	require.NoError(t, err)
	list, err = s.OpenedBy(ctx)
	require.NoError(t, err)
	assert.Len(t, list, 1, "the same build adds no entry")
	require.NoError(t, s.Close())

	// A folder an older release opened (its entry, as v0.1.0 would have
	// none, stands for any older build) gets this one appended.
	db = rawDB(t, dir)
	old, _ := json.Marshal([]store.OpenedBy{{Version: "v0.0.1", Commit: "088c1f0", Schema: 3}})
	_, err = db.Exec(`UPDATE settings SET value = ? WHERE key = 'opened_by'`, string(old))
	require.NoError(t, err)
	require.NoError(t, db.Close())
	s, err = store.Open(dir)
	require.NoError(t, err)
	list, err = s.OpenedBy(ctx)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "v0.0.1", list[0].Version)
	assert.Equal(t, version.Get().Version, list[1].Version)
	require.NoError(t, s.Close())
}

// A downgrade is refused with the version that last opened the folder, and
// the folder is left as it was.
func TestDowngradeIsRefusedNamingTheNewerVersion(t *testing.T) {
	s, dir := openStore(t)
	require.NoError(t, s.Close())
	db := rawDB(t, dir)
	newer, _ := json.Marshal([]store.OpenedBy{{Version: "v0.9.0", Commit: "abc", Schema: store.SchemaVersion() + 1}})
	_, err := db.Exec(`UPDATE settings SET value = ? WHERE key = 'opened_by'`, string(newer))
	require.NoError(t, err)
	_, err = db.Exec(`PRAGMA user_version = 42`)
	require.NoError(t, err)
	require.NoError(t, db.Close())

	_, err = store.Open(dir)
	require.Error(t, err)
	assert.True(t, errors.Is(err, store.ErrNewerSchema))
	assert.Contains(t, err.Error(), "has schema version 42 (last opened by OpenTill v0.9.0) but this OpenTill ("+version.Get().Version+")")
	assert.Contains(t, err.Error(), "a downgrade is not possible; install OpenTill v0.9.0 or newer; the data was not changed")

	db = rawDB(t, dir)
	assert.Equal(t, 42, count(t, db, `PRAGMA user_version`))
	var after string
	require.NoError(t, db.QueryRow(`SELECT value FROM settings WHERE key = 'opened_by'`).Scan(&after))
	assert.JSONEq(t, string(newer), after)
}
