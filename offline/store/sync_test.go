package store_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/journal"
)

func TestApplyPage(t *testing.T) {
	prod := func(id, name, code string) *api.Product {
		return &api.Product{ID: id, ItemID: id, Name: name, Unit: "ea", Price: 100, TaxGroup: demo.TaxStandard, Barcodes: []string{code}}
	}
	_, ops := demo.Staff()
	op := ops[0].Operator
	tests := []struct {
		name       string
		dataset    string
		changes    []api.Change
		next       int64
		wantErr    string
		wantCursor int64
		check      func(t *testing.T, s *store.Store)
	}{
		{"products upserted with barcodes and search", api.DatasetProducts,
			[]api.Change{{Seq: 1, Key: "N1", Product: prod("N1", "Oolong tea", "4006381333931")}}, 1, "", 1,
			func(t *testing.T, s *store.Store) {
				p, err := s.ByBarcode(ctx, "4006381333931")
				require.NoError(t, err)
				assert.Equal(t, "N1", p.ID)
				hits, err := s.Search(ctx, "oolong", 5)
				require.NoError(t, err)
				assert.Len(t, hits, 1)
			}},
		{"a bad change fails the whole page", api.DatasetProducts,
			[]api.Change{
				{Seq: 1, Key: "N1", Product: prod("N1", "Oolong tea", "4006381333931")},
				{Seq: 2, Key: "N2", Product: prod("N2", "Copy", "4006381333931")},
			}, 2, "barcode", 0,
			func(t *testing.T, s *store.Store) {
				_, err := s.ByID(ctx, "N1")
				assert.Error(t, err, "nothing of the page was applied")
			}},
		{"price change", api.DatasetPrices,
			[]api.Change{{Seq: 4, Key: "10000", Price: &api.PriceChange{ProductID: "10000", Price: 12345}},
				{Seq: 5, Key: "gone", Price: &api.PriceChange{ProductID: "gone", Price: 1}}}, 7, "", 7,
			func(t *testing.T, s *store.Store) {
				p, err := s.ByID(ctx, "10000")
				require.NoError(t, err)
				assert.EqualValues(t, 12345, p.Price)
			}},
		{"product removed", api.DatasetProducts, []api.Change{{Seq: 3, Key: "10000", Deleted: true}}, 3, "", 3,
			func(t *testing.T, s *store.Store) {
				_, err := s.ByID(ctx, "10000")
				assert.Error(t, err)
			}},
		{"operator update keeps the local lock", api.DatasetStaff,
			[]api.Change{{Seq: 9, Key: "operator:" + op.ID, Operator: &api.Operator{ID: op.ID, Name: "Renamed", RoleID: op.RoleID, PasswordHash: op.PasswordHash}}}, 9, "", 9,
			func(t *testing.T, s *store.Store) {
				o, err := s.Operator(ctx, op.ID)
				require.NoError(t, err)
				assert.Equal(t, "Renamed", o.Name)
				assert.True(t, o.Locked)
			}},
		{"plain-text password refused", api.DatasetStaff,
			[]api.Change{{Seq: 9, Key: "operator:x", Operator: &api.Operator{ID: "x", Name: "X", RoleID: "cashier", PasswordHash: "1234"}}}, 9, "argon2id", 0, nil},
		{"config saved with the till's IDs", api.DatasetConfig,
			[]api.Change{{Seq: 2, Key: "setup", Setup: func() *api.Setup { s := demo.Setup(); s.TerminalID = "T07"; return new(apimap.SetupOf(s)) }()}}, 2, "", 2,
			func(t *testing.T, s *store.Store) {
				su, err := s.LoadSetup(ctx)
				require.NoError(t, err)
				assert.Equal(t, "T07", su.TerminalID)
			}},
		{"unknown dataset", "nonsense", nil, 1, "unknown sync dataset", 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := demoStore(t, 50)
			require.NoError(t, s.PutRole(ctx, demo.Roles()[0]))
			require.NoError(t, s.PutOperator(ctx, op))
			require.NoError(t, s.SetOperatorState(ctx, op.ID, 5, true, entry(journal.SignIn, 0)))
			err := s.ApplyPage(ctx, tc.dataset, tc.changes, tc.next)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
			} else {
				require.NoError(t, err)
			}
			if api.ValidDataset(tc.dataset) {
				cur, err := s.SyncCursor(ctx, tc.dataset)
				require.NoError(t, err)
				assert.Equal(t, tc.wantCursor, cur)
			}
			if tc.check != nil {
				tc.check(t, s)
			}
		})
	}
}

func TestApplyPageRefusesACursorGoingBack(t *testing.T) {
	s, _ := demoStore(t, 5)
	require.NoError(t, s.ApplyPage(ctx, api.DatasetPrices, nil, 10))
	err := s.ApplyPage(ctx, api.DatasetPrices, nil, 3)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "behind the till's cursor 10")
	cs, err := s.SyncCursors(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{api.DatasetPrices: 10}, cs)
}

// TestUpgradeKeepsTheOutbox builds a version-1 data folder (schema 0001
// only) with sales waiting for the server: upgrading it to the current
// schema keeps every one of them pending.
func TestUpgradeKeepsTheOutbox(t *testing.T) {
	dir := t.TempDir()
	v1, err := os.ReadFile(filepath.Join("migrations", "0001_init.sql"))
	require.NoError(t, err)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName))
	require.NoError(t, err)
	_, err = db.Exec(string(v1))
	require.NoError(t, err)
	for i := 0; i < 3; i++ {
		_, err = db.Exec(`INSERT INTO outbox(id, kind, payload, created) VALUES(?, 'transaction', '{}', ?)`,
			fmt.Sprintf("0192-%d", i), fmt.Sprintf("2026-11-27T09:00:0%d.000000000Z", i))
		require.NoError(t, err)
	}
	_, err = db.Exec(`PRAGMA user_version = 1`)
	require.NoError(t, err)
	require.NoError(t, db.Close())

	s, err := store.Open(dir)
	require.NoError(t, err)
	defer s.Close()
	st, err := s.Stats(ctx)
	require.NoError(t, err)
	assert.Equal(t, store.SchemaVersion(), st.SchemaVersion)
	assert.EqualValues(t, 3, st.OutboxPending)
	items, err := s.OutboxPending(ctx, 10)
	require.NoError(t, err)
	require.Len(t, items, 3)
	assert.Equal(t, "0192-0", items[0].ID, "still in order")
	cur, err := s.SyncCursor(ctx, api.DatasetProducts)
	require.NoError(t, err)
	assert.Zero(t, cur)
}

// A parked record stays in the outbox, unacknowledged, but is stepped
// over; requeued, it takes its place by age again.
func TestOutboxParking(t *testing.T) {
	st, err := store.Open(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	for _, id := range []string{"a", "b", "c"} {
		require.NoError(t, st.Enqueue(ctx, id, api.KindShiftEvent, json.RawMessage(`{}`)))
		time.Sleep(time.Millisecond)
	}
	require.NoError(t, st.OutboxPark(ctx, "a", "HTTP 400: no such store"))
	items, err := st.OutboxPending(ctx, 10)
	require.NoError(t, err)
	require.Len(t, items, 2)
	assert.Equal(t, "b", items[0].ID, "the parked record is stepped over")
	pending, _, err := st.OutboxCount(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 3, pending, "a parked record is not on the server: still pending")
	n, err := st.OutboxParkedCount(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)
	parked, err := st.OutboxParked(ctx)
	require.NoError(t, err)
	require.Len(t, parked, 1)
	assert.Equal(t, "HTTP 400: no such store", parked[0].LastError)
	assert.Error(t, st.OutboxRequeue(ctx, "b"), "b is not parked")
	require.NoError(t, st.OutboxRequeue(ctx, "a"))
	items, err = st.OutboxPending(ctx, 10)
	require.NoError(t, err)
	assert.Equal(t, "a", items[0].ID, "requeued, in its place by age")
	require.NoError(t, st.OutboxAck(ctx, "a"))
	assert.Error(t, st.OutboxPark(ctx, "a", "x"), "an acknowledged record cannot be parked")
}
