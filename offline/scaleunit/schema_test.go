package scaleunit

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
)

func rawDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, DBFile))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// v010Schema is the tills table as v0.1.0 created it; the rest of its
// schema is unchanged.
const v010Tills = `CREATE TABLE tills (
    id          TEXT PRIMARY KEY,
    store_id    TEXT NOT NULL REFERENCES stores(id),
    terminal_id TEXT NOT NULL,
    device_name TEXT NOT NULL DEFAULT '',
    token_hash  TEXT UNIQUE,
    activated   TEXT NOT NULL DEFAULT '',
    deactivated INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;`

// A database that v0.1.0 wrote (no user_version, tills without the client
// columns) opens, gains them, keeps its tills and uploads, and is version 2.
func TestUpgradeFromV010Database(t *testing.T) {
	dir := t.TempDir()
	db := rawDB(t, dir)
	_, err := db.Exec(`CREATE TABLE stores (id TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;` + v010Tills +
		`INSERT INTO stores VALUES('S0001','Demo');
		 INSERT INTO tills(id, store_id, terminal_id, device_name, token_hash, activated) VALUES('S0001/T01','S0001','T01','front','h1','2026-11-01T00:00:00Z');`)
	require.NoError(t, err)
	require.NoError(t, db.Close())

	st, err := OpenSQLite(dir)
	require.NoError(t, err)
	ts, err := st.Tills(context.Background())
	require.NoError(t, err)
	require.Len(t, ts, 1)
	assert.Equal(t, "front", ts[0].DeviceName)
	assert.True(t, ts[0].Active)
	assert.Empty(t, ts[0].Client.Version, "a till of v0.1.0 never said its version")
	require.NoError(t, st.CheckIn(context.Background(), "S0001/T01", api.ClientInfo{Version: "v0.2.0", OS: "linux", Arch: "amd64", Schema: 3}, 4, time.Now()))
	require.NoError(t, st.Close())

	db = rawDB(t, dir)
	var v int
	require.NoError(t, db.QueryRow(`PRAGMA user_version`).Scan(&v))
	assert.Equal(t, SchemaVersion, v)
	require.NoError(t, db.Close())

	// Opening again changes nothing and keeps what was recorded.
	st, err = OpenSQLite(dir)
	require.NoError(t, err)
	ts, err = st.Tills(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "v0.2.0", ts[0].Client.Version)
	assert.EqualValues(t, 4, ts[0].Pending)
	require.NoError(t, st.Close())
}

// A database a newer scale unit wrote is refused, untouched.
func TestNewerDatabaseIsRefused(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenSQLite(dir)
	require.NoError(t, err)
	require.NoError(t, st.Close())
	db := rawDB(t, dir)
	_, err = db.Exec(`PRAGMA user_version = 99`)
	require.NoError(t, err)
	require.NoError(t, db.Close())

	_, err = OpenSQLite(dir)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrNewerSchema))
	assert.Contains(t, err.Error(), "has schema version 99 but this scale unit")
	assert.Contains(t, err.Error(), "install the newer scale unit; the data was not changed")
	db = rawDB(t, dir)
	var v int
	require.NoError(t, db.QueryRow(`PRAGMA user_version`).Scan(&v))
	assert.Equal(t, 99, v)
}

// A database of schema version 7 holds transactions uploaded before the
// customers' purchase index: opened by this server, the index is built
// from them, and the customer's history lists them.
func TestHistoryIndexBuiltFromEarlierUploads(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenSQLite(dir)
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, st.PutStore(ctx, StoreInfo{ID: demo.StoreID, Name: "One"}, demo.Setup()))
	t1, err := st.PutTill(ctx, demo.StoreID, "T01")
	require.NoError(t, err)
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	body := []byte(`{"id":"tx-1","receipt_no":"S0001-T01-000001","store":"S0001","terminal":"T01","status":"completed","customer":"C42","finished":"` +
		at.Format(time.RFC3339Nano) + `","totals":{"total":250},"lines":[{"product_id":"p1","item_id":"p1","qty":2000,"net":250}]}`)
	_, _, err = st.Upload(ctx, t1, api.KindTransaction, "tx-1", body)
	require.NoError(t, err)
	require.NoError(t, st.Close())
	db := rawDB(t, dir)
	for _, table := range []string{"customer_purchases", "sales_index", "returned_lines"} {
		_, err = db.Exec(`DROP TABLE ` + table)
		require.NoError(t, err)
	}
	_, err = db.Exec(`PRAGMA user_version = 7`)
	require.NoError(t, err)
	require.NoError(t, db.Close())

	st, err = OpenSQLite(dir)
	require.NoError(t, err)
	defer st.Close()
	h, err := st.CustomerHistory(ctx, []string{"C42"}, "another till")
	require.NoError(t, err)
	require.Len(t, h.Purchases, 1)
	assert.Equal(t, "tx-1", h.Purchases[0].ID)
	assert.Equal(t, "One", h.Purchases[0].StoreName)
	require.Len(t, h.Items, 1)
	assert.EqualValues(t, 2000, h.Items[0].Qty)
	h, err = st.CustomerHistory(ctx, []string{"C42"}, t1.ID)
	require.NoError(t, err)
	assert.Empty(t, h.Purchases, "the calling till's own are left out")
	t2, err := st.PutTill(ctx, demo.StoreID, "T02")
	require.NoError(t, err)
	sale, err := st.Sale(ctx, t2, "S0001-T01-000001", false)
	require.NoError(t, err, "the receipt index is built too")
	assert.Contains(t, string(sale.Transaction), `"tx-1"`)
}
