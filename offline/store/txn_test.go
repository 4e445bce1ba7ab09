package store_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
)

func TestCommitWritesEverythingInOneTransaction(t *testing.T) {
	s, dir := demoStore(t, 100)
	c := sale(t, featured(t, "10000"), featured(t, "10014"), featured(t, "10022"))
	c.Tenders[0].Amount = 2000
	c.Tenders = append(c.Tenders, cart.Tender{No: 2, TypeID: "card", Name: "Card", Kind: cart.Card, Amount: c.Totals.Total - 2000,
		Card: &cart.CardInfo{MaskedPAN: "************4242", Brand: "VISA", AuthCode: "123456", Reference: "T1"}})
	e := entry(journal.Sale, 0)
	require.NoError(t, s.Commit(ctx, c, e))
	assert.Equal(t, "S0001-T01-000001", c.ReceiptNo)

	db := rawDB(t, dir)
	assert.Equal(t, 1, count(t, db, `SELECT count(*) FROM transactions WHERE id = ? AND receipt_no = ? AND status = 'completed'`, c.ID, c.ReceiptNo))
	assert.Equal(t, 3, count(t, db, `SELECT count(*) FROM transaction_lines WHERE txn_id = ?`, c.ID))
	assert.Equal(t, 2, count(t, db, `SELECT count(*) FROM tenders WHERE txn_id = ?`, c.ID))
	assert.Equal(t, 1, count(t, db, `SELECT count(*) FROM tenders WHERE masked_pan = '************4242'`))
	assert.Equal(t, 1, count(t, db, `SELECT count(*) FROM outbox WHERE id = ? AND kind = 'transaction' AND acked_at IS NULL`, c.ID))
	assert.Equal(t, 1, count(t, db, `SELECT count(*) FROM journal WHERE txn_id = ? AND receipt_no = ? AND kind = 'sale'`, c.ID, c.ReceiptNo))
	assert.Equal(t, int(c.Totals.Total), count(t, db, `SELECT total FROM transactions WHERE id = ?`, c.ID))

	// The stored payloads round-trip to the same cart.
	var payload string
	require.NoError(t, db.QueryRow(`SELECT payload FROM transactions WHERE id = ?`, c.ID).Scan(&payload))
	var back cart.Cart
	require.NoError(t, json.Unmarshal([]byte(payload), &back))
	unsigned := *c
	unsigned.Signature = cart.Signature{}
	assert.Equal(t, unsigned, back, "the stored transaction is the cart without its signature")

	var entries []journal.Entry
	require.NoError(t, s.JournalEach(ctx, func(e journal.Entry) error { entries = append(entries, e); return nil }))
	require.Len(t, entries, 1)
	je := entries[0]
	assert.Equal(t, int64(1), je.Seq)
	assert.Equal(t, journal.Genesis, je.PrevHash)
	assert.Equal(t, je.Sum(), je.Hash)
	assert.True(t, je.Time.Equal(t0))
	var fromJournal cart.Cart
	require.NoError(t, json.Unmarshal(je.Payload, &fromJournal))
	assert.Equal(t, unsigned, fromJournal)
	assert.Equal(t, cart.Signature{Seq: 1, Counter: 1, KeyID: s.Signing().KeyID, Hash: je.Hash, Sig: je.Sig}, c.Signature, "the cart carries its entry's signature")
	assert.True(t, journal.CheckSig(s.PublicKey(), je.Hash, je.Sig))

	pending, err := s.OutboxPending(ctx, 10)
	require.NoError(t, err)
	require.Len(t, pending, 1)
	assert.Equal(t, c.ID, pending[0].ID)
	var fromOutbox cart.Cart
	require.NoError(t, json.Unmarshal(pending[0].Payload, &fromOutbox))
	assert.Equal(t, unsigned, fromOutbox)

	// Transaction finds it by receipt number.
	got, returned, err := s.Transaction(ctx, c.ReceiptNo)
	require.NoError(t, err)
	assert.Equal(t, c, got)
	assert.Empty(t, returned)
	_, _, err = s.Transaction(ctx, "S0001-T01-999999")
	assert.True(t, poserr.Is(err, poserr.NotFound))
}

func TestReceiptNumbersIncreaseAcrossReopen(t *testing.T) {
	s, dir := demoStore(t, 50)
	p := featured(t, "10001")
	var seen []string
	for i := 0; i < 3; i++ {
		c := sale(t, p)
		require.NoError(t, s.Commit(ctx, c, entry(journal.Sale, 0)))
		seen = append(seen, c.ReceiptNo)
	}
	// A voided transaction uses a number too.
	v := sale(t, p)
	v.Status = cart.Voided
	require.NoError(t, s.Commit(ctx, v, entry(journal.Void, 500)))
	seen = append(seen, v.ReceiptNo)
	require.NoError(t, s.Close())

	s2, err := store.Open(dir)
	require.NoError(t, err)
	defer s2.Close()
	for i := 0; i < 2; i++ {
		c := sale(t, p)
		require.NoError(t, s2.Commit(ctx, c, entry(journal.Sale, 0)))
		seen = append(seen, c.ReceiptNo)
	}
	assert.Equal(t, []string{"S0001-T01-000001", "S0001-T01-000002", "S0001-T01-000003", "S0001-T01-000004",
		"S0001-T01-000005", "S0001-T01-000006"}, seen)
	n, err := s2.VerifyJournal(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 6, n)

	_, _, err = s2.Transaction(ctx, v.ReceiptNo)
	assert.True(t, poserr.Is(err, poserr.Conflict), "a voided transaction cannot be returned against: %v", err)
}

func TestFailedCommitLeavesNothing(t *testing.T) {
	s, dir := demoStore(t, 50)
	first := sale(t, featured(t, "10001"), featured(t, "10002"))
	require.NoError(t, s.Commit(ctx, first, entry(journal.Sale, 0)))
	db := rawDB(t, dir)
	snapshot := func() []int {
		var out []int
		for _, table := range []string{"transactions", "transaction_lines", "tenders", "journal", "outbox"} {
			out = append(out, count(t, db, `SELECT count(*) FROM `+table))
		}
		return append(out, count(t, db, `SELECT next FROM receipt_sequence`))
	}
	before := snapshot()

	// The same cart ID again.
	dup := sale(t, featured(t, "10003"))
	dup.ID = first.ID
	err := s.Commit(ctx, dup, entry(journal.Sale, 0))
	require.Error(t, err)
	assert.True(t, poserr.Is(err, poserr.Conflict), "%v", err)
	assert.Empty(t, dup.ReceiptNo)
	assert.Equal(t, before, snapshot())

	// A failure after the transaction row was written (two lines numbered 1).
	bad := sale(t, featured(t, "10003"), featured(t, "10004"))
	bad.Lines[1].No = 1
	err = s.Commit(ctx, bad, entry(journal.Sale, 0))
	require.Error(t, err)
	assert.True(t, poserr.Is(err, poserr.Storage), "%v", err)
	assert.Contains(t, err.Error(), "nothing was saved")
	assert.Empty(t, bad.ReceiptNo)
	assert.Equal(t, before, snapshot())
	assert.Zero(t, count(t, db, `SELECT count(*) FROM transactions WHERE id = ?`, bad.ID))

	// An open cart is refused before anything is written.
	open := sale(t, featured(t, "10003"))
	open.Status = cart.Open
	assert.True(t, poserr.Is(s.Commit(ctx, open, entry(journal.Sale, 0)), poserr.Conflict))
	noID := sale(t, featured(t, "10003"))
	noID.ID = ""
	assert.True(t, poserr.Is(s.Commit(ctx, noID, entry(journal.Sale, 0)), poserr.Invalid))
	assert.Equal(t, before, snapshot())

	// The receipt number was not used up.
	next := sale(t, featured(t, "10003"))
	require.NoError(t, s.Commit(ctx, next, entry(journal.Sale, 0)))
	assert.Equal(t, "S0001-T01-000002", next.ReceiptNo)
	_, err = s.VerifyJournal(ctx)
	require.NoError(t, err)
}

func TestCommitWithoutSetupUsesCartIDs(t *testing.T) {
	s, _ := openStore(t)
	c := sale(t, featured(t, "10001"))
	c.Store, c.Terminal = "S9", "T9"
	require.NoError(t, s.Commit(ctx, c, entry(journal.Sale, 0)))
	assert.Equal(t, "S9-T9-000001", c.ReceiptNo)
	c2 := sale(t, featured(t, "10001"))
	c2.Store, c2.Terminal = "", ""
	err := s.Commit(ctx, c2, entry(journal.Sale, 0))
	assert.True(t, poserr.Is(err, poserr.Conflict), "%v", err)
	assert.Empty(t, c2.ReceiptNo)
}

func TestConcurrentCommitsGetUniqueNumbers(t *testing.T) {
	s, _ := demoStore(t, 50)
	p := featured(t, "10005")
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				c := sale(t, p)
				if err := s.Commit(ctx, c, entry(journal.Sale, 0)); err != nil {
					t.Error(err)
					return
				}
				// Readers see the committed sale at once.
				if _, _, err := s.Transaction(ctx, c.ReceiptNo); err != nil {
					t.Error(err)
				}
				mu.Lock()
				seen[c.ReceiptNo] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Len(t, seen, 40)
	for i := 1; i <= 40; i++ {
		assert.True(t, seen[fmt.Sprintf("S0001-T01-%06d", i)], "receipt %d", i)
	}
	n, err := s.VerifyJournal(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 40, n)
}

func TestTransactionReturnedQuantities(t *testing.T) {
	s, _ := demoStore(t, 50)
	orig := sale(t, featured(t, "10000"), featured(t, "10014"), featured(t, "10020"))
	orig.Lines[0].Qty = 3 * catalog.One
	require.NoError(t, s.Commit(ctx, orig, entry(journal.Sale, 0)))

	ret := func(status cart.Status, lines ...[2]int) *cart.Cart {
		c := sale(t)
		c.Status = status
		for i, l := range lines {
			ol := orig.Line(l[0])
			c.Lines = append(c.Lines, cart.Line{No: i + 1, ProductID: ol.ProductID, ItemID: ol.ItemID, Name: ol.Name,
				Qty: catalog.Qty(-l[1]), UnitPrice: ol.UnitPrice, TaxGroup: ol.TaxGroup,
				ReturnOf: &cart.ReturnRef{TxnID: orig.ID, ReceiptNo: orig.ReceiptNo, LineNo: l[0]}})
		}
		return c
	}
	// Completed returns count.
	require.NoError(t, s.Commit(ctx, ret(cart.Completed, [2]int{1, 1000}, [2]int{3, 1000}), entry(journal.Sale, 114)))
	require.NoError(t, s.Commit(ctx, ret(cart.Completed, [2]int{1, 1000}), entry(journal.Sale, 114)))
	// A voided return does not.
	require.NoError(t, s.Commit(ctx, ret(cart.Voided, [2]int{1, 1000}, [2]int{2, 1000}), entry(journal.Void, 500)))
	// A voided line of a completed return does not.
	r := ret(cart.Completed, [2]int{2, 1000})
	r.Lines[0].Voided = true
	require.NoError(t, s.Commit(ctx, r, entry(journal.Sale, 114)))
	// Another transaction's return does not.
	other := sale(t, featured(t, "10000"))
	require.NoError(t, s.Commit(ctx, other, entry(journal.Sale, 0)))

	got, returned, err := s.Transaction(ctx, orig.ReceiptNo)
	require.NoError(t, err)
	assert.Equal(t, orig.ID, got.ID)
	assert.Equal(t, map[int]catalog.Qty{1: 2000, 3: 1000}, returned)
}

func TestSuspendRecall(t *testing.T) {
	s, _ := demoStore(t, 50)
	a := sale(t, featured(t, "10000"), featured(t, "10001"))
	a.Status, a.Tenders = cart.Suspended, nil
	b := sale(t, featured(t, "10002"))
	b.Status, b.Tenders = cart.Suspended, nil
	b.Operator = "1002"

	ea := entry(journal.Suspend, 503)
	ea.Time = t0.Add(2 * time.Minute)
	require.NoError(t, s.Suspend(ctx, a, ea))
	eb := entry(journal.Suspend, 503)
	eb.Time = t0.Add(time.Minute)
	require.NoError(t, s.Suspend(ctx, b, eb))
	assert.True(t, poserr.Is(s.Suspend(ctx, b, eb), poserr.Conflict), "suspending twice")

	list, err := s.Suspended(ctx)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, b.ID, list[0].ID, "oldest first")
	assert.Equal(t, "1002", list[0].Operator)
	assert.Equal(t, 1, list[0].Lines)
	assert.Equal(t, int64(b.Totals.Total), list[0].Total)
	at, err := time.Parse(time.RFC3339, list[0].At)
	require.NoError(t, err)
	assert.True(t, at.Equal(eb.Time))
	assert.Equal(t, 2, list[1].Lines)

	got, err := s.Recall(ctx, a.ID, entry(journal.Recall, 504))
	require.NoError(t, err)
	assert.Equal(t, a, got)
	_, err = s.Recall(ctx, a.ID, entry(journal.Recall, 504))
	assert.True(t, poserr.Is(err, poserr.NotFound))
	list, err = s.Suspended(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, b.ID, list[0].ID)

	var kinds []journal.Kind
	require.NoError(t, s.JournalEach(ctx, func(e journal.Entry) error { kinds = append(kinds, e.Kind); return nil }))
	assert.Equal(t, []journal.Kind{journal.Suspend, journal.Suspend, journal.Recall}, kinds)
	n, err := s.VerifyJournal(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 3, n)
}

func TestJournalVerifyFindsTampering(t *testing.T) {
	tests := []struct {
		name    string
		tamper  []string
		wantSeq int64
	}{
		{"update", []string{`DROP TRIGGER journal_no_update`, `UPDATE journal SET operator = 'x' WHERE seq = 2`}, 2},
		{"update payload", []string{`DROP TRIGGER journal_no_update`, `UPDATE journal SET payload = '{"total":1}' WHERE seq = 3`}, 3},
		{"delete", []string{`DROP TRIGGER journal_no_delete`, `DELETE FROM journal WHERE seq = 2`}, 3},
		{"delete first", []string{`DROP TRIGGER journal_no_delete`, `DELETE FROM journal WHERE seq = 1`}, 2},
		{"reorder", []string{`DROP TRIGGER journal_no_update`,
			`UPDATE journal SET seq = 100 WHERE seq = 2`, `UPDATE journal SET seq = 2 WHERE seq = 3`, `UPDATE journal SET seq = 3 WHERE seq = 100`}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, dir := demoStore(t, 20)
			for i := 0; i < 4; i++ {
				require.NoError(t, s.Commit(ctx, sale(t, featured(t, "10000")), entry(journal.Sale, 0)))
			}
			require.NoError(t, s.AppendJournal(ctx, journal.Entry{Kind: journal.Reprint, Operation: 115, Operator: "2001",
				Payload: json.RawMessage(`{"receipt_no": "S0001-T01-000001"}`)}))
			n, err := s.VerifyJournal(ctx)
			require.NoError(t, err)
			require.EqualValues(t, 5, n)

			db := rawDB(t, dir)
			// The triggers refuse edits made without dropping them first.
			_, err = db.Exec(`UPDATE journal SET operator = 'x' WHERE seq = 2`)
			require.ErrorContains(t, err, "append-only")
			_, err = db.Exec(`DELETE FROM journal WHERE seq = 2`)
			require.ErrorContains(t, err, "append-only")

			for _, q := range tt.tamper {
				_, err := db.Exec(q)
				require.NoError(t, err, q)
			}
			_, err = s.VerifyJournal(ctx)
			var be *journal.BreakError
			require.ErrorAs(t, err, &be)
			assert.Equal(t, tt.wantSeq, be.Seq)
		})
	}
}

func TestOutbox(t *testing.T) {
	s, dir := demoStore(t, 20)
	var cs []*cart.Cart
	for i := 0; i < 3; i++ {
		c := sale(t, featured(t, "10000"))
		require.NoError(t, s.Commit(ctx, c, entry(journal.Sale, 0)))
		cs = append(cs, c)
	}
	require.NoError(t, s.Enqueue(ctx, uuid.Must(uuid.NewV7()).String(), "shift_event", json.RawMessage(`{"shift":1}`)))
	assert.True(t, poserr.Is(s.Enqueue(ctx, cs[0].ID, "transaction", nil), poserr.Conflict))

	pending, err := s.OutboxPending(ctx, 2)
	require.NoError(t, err)
	require.Len(t, pending, 2)
	assert.Equal(t, cs[0].ID, pending[0].ID, "oldest first")
	assert.Equal(t, cs[1].ID, pending[1].ID)

	require.NoError(t, s.OutboxFailed(ctx, cs[0].ID, "timeout"))
	require.NoError(t, s.OutboxAck(ctx, cs[0].ID))
	require.NoError(t, s.OutboxAck(ctx, cs[0].ID), "acknowledging twice is harmless")
	assert.True(t, poserr.Is(s.OutboxAck(ctx, "nope"), poserr.NotFound))
	assert.True(t, poserr.Is(s.OutboxFailed(ctx, cs[0].ID, "x"), poserr.NotFound), "acked records are not retried")

	p, total, err := s.OutboxCount(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 3, p)
	assert.EqualValues(t, 4, total)
	pending, err = s.OutboxPending(ctx, 0)
	require.NoError(t, err)
	require.Len(t, pending, 3)
	assert.Equal(t, cs[1].ID, pending[0].ID)
	assert.Equal(t, "shift_event", pending[2].Kind)

	// An unacknowledged record cannot be deleted, even directly; an
	// acknowledged one can (a later purge).
	db := rawDB(t, dir)
	_, err = db.Exec(`DELETE FROM outbox WHERE id = ?`, cs[1].ID)
	require.ErrorContains(t, err, "not acknowledged")
	_, err = db.Exec(`DELETE FROM outbox WHERE id = ?`, cs[0].ID)
	require.NoError(t, err)
	p, total, err = s.OutboxCount(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 3, p)
	assert.EqualValues(t, 3, total)
}
