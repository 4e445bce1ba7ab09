package memstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/memstore"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/storetest"
)

var ctx = context.Background()

func open(t *testing.T, seed storetest.Seed) *memstore.Store {
	s := memstore.New()
	seed.Apply(t, s)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, seed storetest.Seed) pos.Store { return open(t, seed) })
}

func completed(id string) *cart.Cart {
	return &cart.Cart{ID: id, Store: "S1", Terminal: "T1", Operator: "1001", Currency: money.EUR, Status: cart.Completed,
		Started: time.Now(), Lines: []cart.Line{{No: 1, ProductID: "10001", Qty: 1000, Net: 129}}}
}

func TestFailCommit(t *testing.T) {
	s := open(t, storetest.Default(t))
	disk := errors.New("disk full")
	s.FailCommit = disk
	c := completed("txn-1")
	err := s.Commit(ctx, c, journal.Entry{Kind: journal.Sale})
	require.Error(t, err)
	assert.Equal(t, poserr.Storage, poserr.KindOf(err))
	assert.ErrorIs(t, err, disk)
	assert.Contains(t, err.Error(), "nothing was saved")
	assert.Empty(t, c.ReceiptNo)
	n, err := s.VerifyJournal(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "nothing journaled")

	s.FailCommit = nil
	require.NoError(t, s.Commit(ctx, c, journal.Entry{Kind: journal.Sale}))
	assert.Equal(t, "S1-T1-000001", c.ReceiptNo, "the failed commit used up no number")
}

func TestClosedStoreFails(t *testing.T) {
	s := open(t, storetest.Default(t))
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "closing twice is harmless")
	tests := []struct {
		name string
		call func() error
	}{
		{"Commit", func() error { return s.Commit(ctx, completed("txn-1"), journal.Entry{Kind: journal.Sale}) }},
		{"ByBarcode", func() error { _, err := s.ByBarcode(ctx, "4006381333931"); return err }},
		{"Operator", func() error { _, err := s.Operator(ctx, storetest.Cashier); return err }},
		{"AppendJournal", func() error { return s.AppendJournal(ctx, journal.Entry{Kind: journal.SignIn}) }},
		{"Suspended", func() error { _, err := s.Suspended(ctx); return err }},
		{"LastZ", func() error { _, err := s.LastZ(ctx); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.Error(t, err)
			assert.Equal(t, poserr.Storage, poserr.KindOf(err), "%v", err)
		})
	}
}

func TestSetupAndJournalReaders(t *testing.T) {
	s := memstore.New()
	_, err := s.LoadSetup(ctx)
	assert.Equal(t, poserr.NotFound, poserr.KindOf(err))
	require.NoError(t, s.SaveSetup(ctx, pos.Setup{StoreID: "S1", TerminalID: "T1", StoreName: "Test"}))
	setup, err := s.LoadSetup(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Test", setup.StoreName)

	for i := 0; i < 3; i++ {
		require.NoError(t, s.AppendJournal(ctx, journal.Entry{Kind: journal.SignIn}))
	}
	stop := errors.New("stop")
	var seen []int64
	err = s.JournalEach(ctx, func(e journal.Entry) error {
		seen = append(seen, e.Seq)
		if e.Seq == 2 {
			return stop
		}
		return nil
	})
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, []int64{1, 2}, seen, "JournalEach stops at the first error")
	n, err := s.VerifyJournal(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(3), n)
}
