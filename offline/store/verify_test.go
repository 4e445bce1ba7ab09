package store_test

import (
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/peripherals/paysim"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/script"
)

// dayScript is a trading day: two shifts, cash and card sales, a return by
// receipt, a void, cash movements, a cart left suspended in each shift and
// a Z report. Receipts: 1 sale, 2 card sale, 3 return of receipt 1 line 2,
// 4 void, 5 sale in the second shift.
const dayScript = `signin 2001 2468
shift open 100.00
scan 4000000000198
scan 4000000000013
pay cash 20
scan 4000000000020 qty=2
pay card
return S0001-T01-000001 2
pay cash exact
scan 4000000000013
void
income LOTTERY 5.00 "lottery"
safedrop 20.00 "midday drop"
scan 4000000000150
suspend
declare cash 50x1 20x1 10x1 5x1
shift close reason="a note missing, reported"
shift open 50.00
scan 4000000000013
pay cash exact
scan 4000000000020
suspend
signout
`

// tradingDay seeds a till, runs dayScript on it and closes it; it returns
// the data folder.
func tradingDay(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "till")
	_, err := demo.Seed(ctx, dir, 200, nil)
	require.NoError(t, err)
	runScript(t, dir, dayScript)
	return dir
}

func runScript(t *testing.T, dir, text string) {
	t.Helper()
	s, err := store.Open(dir)
	require.NoError(t, err)
	setup, err := s.LoadSetup(ctx)
	require.NoError(t, err)
	term := paysim.New()
	reg := pos.NewRegister(setup, s, pos.Options{Terminal: term})
	steps, err := script.Parse(strings.NewReader(text), setup.Currency.Digits)
	require.NoError(t, err)
	require.NoError(t, script.Run(ctx, reg, steps, script.Options{}))
	require.NoError(t, s.Close())
}

// verify opens dir read-only and verifies it.
func verify(t *testing.T, dir string, opt store.VerifyOptions) *store.VerifyReport {
	t.Helper()
	s, err := store.OpenReadOnly(dir)
	require.NoError(t, err)
	defer func() { require.NoError(t, s.Close()) }()
	rep, err := s.Verify(ctx, opt)
	require.NoError(t, err)
	return rep
}

// tamper edits the folder's database behind the store's back, as someone
// with the file would: the guard triggers dropped, foreign keys off.
func tamper(t *testing.T, dir string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName)+"?_pragma=foreign_keys(0)")
	require.NoError(t, err)
	defer func() { require.NoError(t, db.Close()) }()
	for _, trig := range []string{"journal_no_update", "journal_no_delete", "outbox_keep_unacked"} {
		_, err := db.Exec(`DROP TRIGGER IF EXISTS ` + trig)
		require.NoError(t, err)
	}
	for _, q := range stmts {
		res, err := db.Exec(q)
		require.NoError(t, err, q)
		n, err := res.RowsAffected()
		require.NoError(t, err)
		require.NotZero(t, n, "the tampering changed nothing: %s", q)
	}
}

func query1(t *testing.T, dir, q string, args ...any) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName)+"?mode=ro")
	require.NoError(t, err)
	defer db.Close()
	var v string
	require.NoError(t, db.QueryRow(q, args...).Scan(&v), q)
	return v
}

func TestVerifyCleanDay(t *testing.T) {
	dir := tradingDay(t)
	rep := verify(t, dir, store.VerifyOptions{})
	require.NoError(t, rep.Err())
	assert.Equal(t, "ok", rep.Integrity)
	assert.Equal(t, rep.Entries, rep.Verified)
	assert.EqualValues(t, 0, rep.Unsigned)
	assert.EqualValues(t, 1, rep.SignedFrom, "a new till signs from its first entry")
	assert.Equal(t, rep.Head.Seq, rep.Head.Counter)
	assert.Equal(t, "data folder", rep.KeySource)
	assert.Equal(t, 5, rep.Checked["transactions"])
	assert.Equal(t, 2, rep.Checked["shifts"])
	assert.Equal(t, 1, rep.Checked["z_reports"])
	assert.Equal(t, 2, rep.Checked["suspended"])
	assert.Greater(t, rep.Checked["outbox"], 5)
	assert.Greater(t, rep.Checked["transaction_lines"], 5)
	assert.Greater(t, rep.Checked["tenders"], 3)

	head := rep.Head
	rep = verify(t, dir, store.VerifyOptions{Head: &head})
	require.NoError(t, rep.Err())
	assert.True(t, rep.HeadChecked)
}

// TestVerifyFindsTampering is the tamper suite: each edit of the folder is
// found, and the problem names the table and the first bad record.
func TestVerifyFindsTampering(t *testing.T) {
	clean := tradingDay(t)
	rep := verify(t, clean, store.VerifyOptions{})
	require.NoError(t, rep.Err())
	head := rep.Head
	r1 := "S0001-T01-000001"
	ret := "S0001-T01-000003"
	id1 := query1(t, clean, `SELECT id FROM transactions WHERE receipt_no = ?`, r1)
	shift1 := query1(t, clean, `SELECT id FROM shifts WHERE status = 'closed'`)
	shift2 := query1(t, clean, `SELECT id FROM shifts WHERE status = 'open'`)
	closeSeq := query1(t, clean, `SELECT seq FROM journal WHERE kind = 'shift_close'`)
	saleSeq := query1(t, clean, `SELECT seq FROM journal WHERE txn_id = ? AND kind = 'sale'`, id1)
	lastSeq := query1(t, clean, `SELECT max(seq) FROM journal`)

	tests := []struct {
		name   string
		stmts  []string
		edit   func(t *testing.T, dir string) // instead of stmts
		opt    store.VerifyOptions
		table  string
		record string // the first bad record, as named
		reason string
	}{
		// The transactions and what hangs off them.
		{name: "transaction payload and total", table: "transactions", record: r1, reason: "differs from journal entry " + saleSeq,
			stmts: []string{`UPDATE transactions SET payload = replace(payload, '"total":1118', '"total":118'), total = 118 WHERE receipt_no = '` + r1 + `'`}},
		{name: "transaction total column", table: "transactions", record: r1, reason: "column total",
			stmts: []string{`UPDATE transactions SET total = 1 WHERE receipt_no = '` + r1 + `'`}},
		{name: "transaction status (a return voided to return the goods again)", table: "transactions", record: ret, reason: "column status",
			stmts: []string{`UPDATE transactions SET status = 'voided' WHERE receipt_no = '` + ret + `'`}},
		{name: "transaction deleted with its lines", table: "transactions", record: r1, reason: "journal entry " + saleSeq + " records it, but it is not stored",
			stmts: []string{`DELETE FROM transaction_lines WHERE txn_id = '` + id1 + `'`, `DELETE FROM tenders WHERE txn_id = '` + id1 + `'`, `DELETE FROM transactions WHERE id = '` + id1 + `'`}},
		{name: "line quantity", table: "transaction_lines", record: "line 2 of transaction " + id1, reason: "qty=5000 in the table, qty=1000 in journal entry " + saleSeq,
			stmts: []string{`UPDATE transaction_lines SET qty = 5000 WHERE txn_id = '` + id1 + `' AND line_no = 2`}},
		{name: "line deleted", table: "transaction_lines", record: "line 2 of transaction " + id1, reason: "missing from the table",
			stmts: []string{`DELETE FROM transaction_lines WHERE txn_id = '` + id1 + `' AND line_no = 2`}},
		{name: "line added", table: "transaction_lines", record: "line 9 of transaction " + id1, reason: "is not in journal entry",
			stmts: []string{`INSERT INTO transaction_lines(txn_id, line_no, product_id, item_id, qty, net) VALUES('` + id1 + `', 9, '10000', '10000', 1000, 119)`}},
		{name: "returned quantity (the return points at another line)", table: "transaction_lines", record: ret, reason: "return_of_line",
			stmts: []string{`UPDATE transaction_lines SET return_of_line = 1 WHERE return_of_txn = '` + id1 + `'`}},
		{name: "tender amount", table: "tenders", record: "tender 1 of transaction " + id1, reason: "amount=5000 in the table, amount=2000",
			stmts: []string{`UPDATE tenders SET amount = 5000 WHERE txn_id = '` + id1 + `' AND no = 1`}},
		{name: "rows of an unknown transaction", table: "tenders", record: "transaction nope", reason: "not stored",
			stmts: []string{`INSERT INTO tenders(txn_id, no, type, kind, amount) VALUES('nope', 1, 'cash', 'cash', 100)`}},

		// The outbox: what the server gets.
		{name: "outbox payload replaced", table: "outbox", record: "record " + id1 + " (transaction)", reason: "differs from journal entry " + saleSeq,
			stmts: []string{`UPDATE outbox SET payload = replace(payload, '"total":1118', '"total":118') WHERE id = '` + id1 + `'`}},
		{name: "outbox record deleted", table: "outbox", record: "record " + id1 + " (transaction)", reason: "is missing",
			stmts: []string{`DELETE FROM outbox WHERE id = '` + id1 + `'`}},
		{name: "outbox record added", table: "outbox", record: "record 01ffffff-0000-7000-8000-000000000000 (transaction)", reason: "has no journal entry",
			stmts: []string{`INSERT INTO outbox(id, kind, payload, created) VALUES('01ffffff-0000-7000-8000-000000000000', 'transaction', '{}', '2026-01-01T00:00:00.000000000Z')`}},
		{name: "outbox Z report replaced", table: "outbox", record: "record " + shift1 + ":" + closeSeq + " (shift_event)", reason: "Z report that differs",
			stmts: []string{`UPDATE outbox SET payload = replace(payload, '"net_sales":', '"net_sales":1') WHERE id = '` + shift1 + `:` + closeSeq + `'`}},
		{name: "outbox shift entry replaced", table: "outbox", record: "record " + shift1 + ":" + closeSeq + " (shift_event)", reason: "in its payload",
			stmts: []string{`UPDATE outbox SET payload = replace(payload, '"closed_by":"2001"', '"closed_by":"1001"') WHERE id = '` + shift1 + `:` + closeSeq + `'`}},

		// Shifts, their Z reports and the suspended carts.
		{name: "closed shift set back to suspended", table: "shifts", record: "shift " + shift1, reason: "differs from the state journal entry " + closeSeq,
			stmts: []string{`UPDATE shifts SET status = 'suspended', payload = replace(payload, '"status":"closed"', '"status":"suspended"') WHERE id = '` + shift1 + `'`}},
		{name: "shift status column", table: "shifts", record: "shift " + shift2, reason: "column status",
			stmts: []string{`UPDATE shifts SET status = 'suspended' WHERE id = '` + shift2 + `'`}},
		{name: "shift start moved", table: "shifts", record: "shift " + shift2, reason: "column start_seq",
			stmts: []string{`UPDATE shifts SET start_seq = 1 WHERE id = '` + shift2 + `'`}},
		{name: "stored Z edited", table: "z_reports", record: "Z report of shift " + shift1, reason: "net_sales",
			stmts: []string{`UPDATE shifts SET z_report = replace(z_report, '"net_sales":', '"net_sales":1') WHERE id = '` + shift1 + `'`}},
		{name: "stored Z removed", table: "shifts", record: "shift " + shift1, reason: "has no Z report",
			stmts: []string{`UPDATE shifts SET z_report = NULL WHERE id = '` + shift1 + `'`}},
		{name: "suspended cart edited", table: "suspended", record: "suspended transaction", reason: "column total",
			stmts: []string{`UPDATE suspended SET total = 1 WHERE at = (SELECT min(at) FROM suspended)`}},
		{name: "suspended cart removed", table: "suspended", record: "suspended transaction", reason: "it was removed",
			stmts: []string{`DELETE FROM suspended WHERE at = (SELECT min(at) FROM suspended)`}},

		// The journal itself.
		{name: "entry payload", table: "journal", record: "entry " + saleSeq, reason: "content does not match its hash",
			stmts: []string{`UPDATE journal SET payload = replace(payload, '"total":1118', '"total":118') WHERE seq = ` + saleSeq}},
		{name: "entry deleted", table: "journal", record: "entry " + next(saleSeq), reason: "missing or out of order",
			stmts: []string{`DELETE FROM journal WHERE seq = ` + saleSeq}},
		{name: "entries reordered", table: "journal", record: "entry " + saleSeq, reason: "altered",
			stmts: []string{`UPDATE journal SET seq = -1 WHERE seq = ` + saleSeq, `UPDATE journal SET seq = ` + saleSeq + ` WHERE seq = ` + next(saleSeq), `UPDATE journal SET seq = ` + next(saleSeq) + ` WHERE seq = -1`}},
		{name: "entry time", table: "journal", record: "entry " + saleSeq, reason: "not a time",
			stmts: []string{`UPDATE journal SET time = 'yesterday' WHERE seq = ` + saleSeq}},
		{name: "one hash recomputed", table: "journal", record: "entry " + saleSeq, reason: "signature does not verify", edit: rehashOne(saleSeq)},
		{name: "signatures stripped", table: "journal", record: "entry 1", reason: "signatures were removed", edit: stripSignatures},
		{name: "tail dropped", table: "head", record: "entry " + lastSeq, reason: "tail was dropped", opt: store.VerifyOptions{Head: &head},
			stmts: []string{`DELETE FROM journal WHERE seq = ` + lastSeq}},
		{name: "chain rewritten with a new key", table: "head", record: "entry " + lastSeq, reason: "another key", opt: store.VerifyOptions{Head: &head}, edit: resign},
		{name: "chain rewritten with a new key, the server's key given", table: "settings", record: "journal_signing", reason: "re-signed with another key", edit: resign,
			opt: store.VerifyOptions{Key: serverKey(t, clean)}},
		{name: "key record replaced", table: "settings", record: "journal.key", reason: "one of them was replaced",
			stmts: []string{`UPDATE settings SET value = '{"key_id":"` + journal.KeyID(make([]byte, 32)) + `","public_key":"` + journal.EncodePublic(make([]byte, 32)) + `","signed_from":1}' WHERE key = 'journal_signing'`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyFolder(t, clean)
			if tt.edit != nil {
				tt.edit(t, dir)
			} else {
				tamper(t, dir, tt.stmts...)
			}
			rep := verify(t, dir, tt.opt)
			err := rep.Err()
			require.Error(t, err, "the tampering went unnoticed")
			var p *store.Problem
			for i := range rep.Problems {
				if rep.Problems[i].Table == tt.table {
					p = &rep.Problems[i]
				}
			}
			require.NotNil(t, p, "no %s problem in %v", tt.table, rep.Problems)
			assert.Contains(t, p.Record, tt.record, p.String())
			assert.Contains(t, p.Reason, tt.reason, p.String())
		})
	}
}

func next(seq string) string {
	n, err := strconv.ParseInt(seq, 10, 64)
	if err != nil {
		panic(err)
	}
	return i64(n + 1)
}

// copyFolder copies a closed till's data folder.
func copyFolder(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "copy")
	require.NoError(t, os.CopyFS(dst, os.DirFS(src)))
	return dst
}

// readJournal reads every entry of a folder's journal.
func readJournal(t *testing.T, dir string) []journal.Entry {
	t.Helper()
	s, err := store.OpenReadOnly(dir)
	require.NoError(t, err)
	defer s.Close()
	var es []journal.Entry
	require.NoError(t, s.JournalEach(ctx, func(e journal.Entry) error { es = append(es, e); return nil }))
	return es
}

// rewrite replaces the journal rows with es.
func rewrite(t *testing.T, dir string, es []journal.Entry, extra ...string) {
	t.Helper()
	stmts := []string{`DELETE FROM journal`}
	for _, e := range es {
		p := "NULL"
		if len(e.Payload) > 0 {
			p = sqlQuote(string(e.Payload))
		}
		stmts = append(stmts, `INSERT INTO journal(seq, time, kind, op, txn_id, receipt_no, operator, approver, payload, prev_hash, hash, key_id, counter, sig) VALUES(`+
			i64(e.Seq)+`, `+sqlQuote(e.Time.Format(time.RFC3339Nano))+`, `+sqlQuote(string(e.Kind))+`, `+i64(int64(e.Operation))+`, `+sqlQuote(e.TxnID)+`, `+
			sqlQuote(e.ReceiptNo)+`, `+sqlQuote(e.Operator)+`, `+sqlQuote(e.Approver)+`, `+p+`, `+sqlQuote(e.PrevHash)+`, `+sqlQuote(e.Hash)+`, `+
			sqlQuote(e.KeyID)+`, `+i64(e.Counter)+`, `+sqlQuote(e.Sig)+`)`)
	}
	tamper(t, dir, append(stmts, extra...)...)
}

func sqlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// rehashOne edits an entry and gives it the hash its new content has (the
// chain after it relinked), without the till's key.
func rehashOne(seq string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		es := readJournal(t, dir)
		n, err := strconv.ParseInt(seq, 10, 64)
		require.NoError(t, err)
		for i := range es {
			if es[i].Seq == n {
				es[i].Operator = "9999"
				es[i].Hash = es[i].Sum()
				if i+1 < len(es) {
					// Relinking the rest would need the key; the next link is
					// mended only to show the signature is what fails first.
					es[i+1].PrevHash = es[i].Hash
				}
			}
		}
		rewrite(t, dir, es)
	}
}

// stripSignatures rewrites the chain as if it had never been signed.
func stripSignatures(t *testing.T, dir string) {
	es := readJournal(t, dir)
	var h journal.Head
	for i := range es {
		journal.Seal(&es[i], h.Seq, h.Hash)
		h = es[i].Head()
	}
	rewrite(t, dir, es)
}

// resign rewrites the whole chain with a new key, and everything that
// carries an entry or the head (the outbox's shift events, the Z reports),
// and puts the new key in the folder's key file and signing record: the
// folder is consistent again.
func resign(t *testing.T, dir string) {
	k, err := journal.NewKey(nil)
	require.NoError(t, err)
	es := readJournal(t, dir)
	bySeq := map[int64]journal.Entry{}
	var h journal.Head
	for i := range es {
		journal.SealSigned(&es[i], h, k)
		h = es[i].Head()
		bySeq[es[i].Seq] = es[i]
	}
	var extra []string
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName)+"?mode=ro")
	require.NoError(t, err)
	rows, err := db.Query(`SELECT id, payload FROM outbox WHERE kind = 'shift_event'`)
	require.NoError(t, err)
	for rows.Next() {
		var id, payload string
		require.NoError(t, rows.Scan(&id, &payload))
		var ev store.ShiftEvent
		require.NoError(t, json.Unmarshal([]byte(payload), &ev))
		ev.Entry = bySeq[ev.Entry.Seq]
		if ev.Z != nil {
			ev.Z.Journal = ev.Entry.Head()
			b, err := json.Marshal(ev.Z)
			require.NoError(t, err)
			extra = append(extra, `UPDATE shifts SET z_report = `+sqlQuote(string(b))+` WHERE id = `+sqlQuote(ev.Shift))
		}
		b, err := json.Marshal(ev)
		require.NoError(t, err)
		extra = append(extra, `UPDATE outbox SET payload = `+sqlQuote(string(b))+` WHERE id = `+sqlQuote(id))
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	require.NoError(t, db.Close())
	require.NoError(t, os.Remove(filepath.Join(dir, store.KeyFile)))
	extra = append(extra, `UPDATE settings SET value = '{"key_id":"`+k.ID()+`","public_key":"`+journal.EncodePublic(k.Public())+`","signed_from":1}' WHERE key = 'journal_signing'`)
	rewrite(t, dir, es, extra...)
	// The rewritten folder passes on its own: only a key or head kept
	// elsewhere tells.
	require.NoError(t, verify(t, dir, store.VerifyOptions{}).Err())
}

// serverKey is the till's public key as the store server registered it.
func serverKey(t *testing.T, dir string) []byte {
	s, err := store.OpenReadOnly(dir)
	require.NoError(t, err)
	defer s.Close()
	return s.PublicKey()
}

func TestOpenReadOnly(t *testing.T) {
	t.Run("a missing folder is refused, not made", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "nope")
		_, err := store.OpenReadOnly(dir)
		require.Error(t, err)
		assert.Equal(t, "error.storage.no_folder", keyOf(err))
		assert.NoDirExists(t, dir)
	})
	t.Run("an empty folder is refused and left empty", func(t *testing.T) {
		dir := t.TempDir()
		_, err := store.OpenReadOnly(dir)
		require.Error(t, err)
		assert.Equal(t, "error.storage.empty_folder", keyOf(err))
		left, err := os.ReadDir(dir)
		require.NoError(t, err)
		assert.Empty(t, left)
	})
	t.Run("a closed folder is read without a trace", func(t *testing.T) {
		dir := tradingDay(t)
		before := listing(t, dir)
		s, err := store.OpenReadOnly(dir)
		require.NoError(t, err)
		rep, err := s.Verify(ctx, store.VerifyOptions{})
		require.NoError(t, err)
		require.NoError(t, rep.Err())
		err = s.AppendJournal(ctx, journal.Entry{Kind: journal.SignIn})
		require.Error(t, err, "a read-only store writes nothing")
		assert.Equal(t, "error.storage.read_only", keyOf(err))
		require.NoError(t, s.Close())
		assert.Equal(t, before, listing(t, dir), "no -wal, -shm or other file appeared, nothing changed")
	})
	t.Run("a running till's folder is read with its log", func(t *testing.T) {
		dir := tradingDay(t)
		live, err := store.Open(dir)
		require.NoError(t, err)
		defer live.Close()
		require.NoError(t, live.AppendJournal(ctx, journal.Entry{Kind: journal.SignIn, Operator: "1001"}))
		rep := verify(t, dir, store.VerifyOptions{})
		require.NoError(t, rep.Err())
		h, err := live.JournalHead(ctx)
		require.NoError(t, err)
		assert.Equal(t, h, rep.Head, "the entry still in the write-ahead log is read")
	})
}

// listing returns each file of dir with its size and modification time.
func listing(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	es, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range es {
		fi, err := e.Info()
		require.NoError(t, err)
		out[e.Name()] = i64(fi.Size()) + " " + fi.ModTime().String()
	}
	return out
}

func keyOf(err error) string {
	var pe *poserr.Error
	if errors.As(err, &pe) {
		return pe.Key
	}
	return ""
}
func i64(n int64) string { return strconv.FormatInt(n, 10) }

// legacyFolder makes a data folder as OpenTill wrote it before the journal
// was signed (schema version 3), with an unsigned chain of n entries.
func legacyFolder(t *testing.T, n int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "old")
	require.NoError(t, os.Mkdir(dir, 0o755))
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName))
	require.NoError(t, err)
	for _, f := range []string{"0001_init.sql", "0002_sync.sql", "0003_shifts.sql"} {
		b, err := os.ReadFile(filepath.Join("migrations", f))
		require.NoError(t, err)
		_, err = db.Exec(string(b))
		require.NoError(t, err, f)
	}
	_, err = db.Exec(`PRAGMA user_version = 3`)
	require.NoError(t, err)
	var h journal.Head
	for i := 0; i < n; i++ {
		e := journal.Entry{Time: t0.Add(time.Duration(i) * time.Minute), Kind: journal.SignIn, Operator: "1001"}
		journal.Seal(&e, h.Seq, h.Hash)
		h = e.Head()
		_, err := db.Exec(`INSERT INTO journal(seq, time, kind, op, txn_id, receipt_no, operator, approver, payload, prev_hash, hash) VALUES(?, ?, ?, 0, '', '', ?, '', NULL, ?, ?)`,
			e.Seq, e.Time.Format(time.RFC3339Nano), string(e.Kind), e.Operator, e.PrevHash, e.Hash)
		require.NoError(t, err)
	}
	require.NoError(t, db.Close())
	return dir
}

// TestUpgradeSignsFromTheUpgradeOn: a folder of an older OpenTill keeps its
// unsigned chain, is signed from the upgrade on, and verify says where
// signing starts.
func TestUpgradeSignsFromTheUpgradeOn(t *testing.T) {
	dir := legacyFolder(t, 3)

	rep := verify(t, dir, store.VerifyOptions{})
	require.NoError(t, rep.Err(), "an old folder verifies read-only as it is, without being migrated")
	assert.EqualValues(t, 3, rep.Unsigned)
	assert.Zero(t, rep.SignedFrom)
	assert.Empty(t, rep.KeyID)
	assert.NoFileExists(t, filepath.Join(dir, store.KeyFile), "verifying makes no key")

	s, err := store.Open(dir)
	require.NoError(t, err)
	assert.EqualValues(t, 4, s.Signing().SignedFrom, "signing starts after the entries already there")
	require.NoError(t, s.AppendJournal(ctx, journal.Entry{Time: t0.Add(time.Hour), Kind: journal.SignOut, Operator: "1001"}))
	require.NoError(t, s.Close())
	fi, err := os.Stat(filepath.Join(dir, store.KeyFile))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the key file is the till user's only")

	rep = verify(t, dir, store.VerifyOptions{})
	require.NoError(t, rep.Err())
	assert.EqualValues(t, 3, rep.Unsigned, "the unsigned prefix is reported")
	assert.EqualValues(t, 4, rep.SignedFrom)
	assert.EqualValues(t, 1, rep.Head.Counter)

	// Stripping the new signature (and rehashing the entry unsigned) makes
	// it look like part of the prefix: the signing record says it is not.
	stripSignatures(t, dir)
	rep = verify(t, dir, store.VerifyOptions{})
	require.Error(t, rep.Err())
	assert.Contains(t, rep.Problems[0].String(), "journal: entry 4: the till signs every entry from 4 on")
}

func TestKeyFile(t *testing.T) {
	t.Run("made once, 0600, in a 0700 folder", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "till")
		s, err := store.Open(dir)
		require.NoError(t, err)
		id := s.Signing().KeyID
		require.NoError(t, s.Close())
		for p, mode := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, store.KeyFile): 0o600} {
			fi, err := os.Stat(p)
			require.NoError(t, err)
			assert.Equal(t, mode, fi.Mode().Perm(), p)
		}
		s, err = store.Open(dir)
		require.NoError(t, err)
		assert.Equal(t, id, s.Signing().KeyID, "the same key on every start")
		require.NoError(t, s.Close())
		db := rawDB(t, dir)
		var n int
		require.NoError(t, db.QueryRow(`SELECT count(*) FROM settings WHERE value LIKE '%PRIVATE%'`).Scan(&n))
		assert.Zero(t, n, "the database holds no private key")
	})
	t.Run("a key lost before it signed anything is made again", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "till")
		s, err := store.Open(dir)
		require.NoError(t, err)
		id := s.Signing().KeyID
		require.NoError(t, s.Close())
		require.NoError(t, os.Remove(filepath.Join(dir, store.KeyFile)))
		s, err = store.Open(dir)
		require.NoError(t, err, "a database copied without its key file, before any sale, opens")
		assert.NotEqual(t, id, s.Signing().KeyID)
		require.NoError(t, s.AppendJournal(ctx, journal.Entry{Kind: journal.SignIn}))
		require.NoError(t, s.Close())
		require.NoError(t, verify(t, dir, store.VerifyOptions{}).Err())
	})
	t.Run("a missing key file is refused once the journal is signed", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "till")
		s, err := store.Open(dir)
		require.NoError(t, err)
		require.NoError(t, s.AppendJournal(ctx, journal.Entry{Kind: journal.SignIn}))
		require.NoError(t, s.Close())
		require.NoError(t, os.Remove(filepath.Join(dir, store.KeyFile)))
		_, err = store.Open(dir)
		require.Error(t, err)
		assert.Equal(t, "error.storage.key_missing", keyOf(err))
		assert.NoFileExists(t, filepath.Join(dir, store.KeyFile), "no new key was made")
	})
	t.Run("another till's key file is refused", func(t *testing.T) {
		a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
		for _, d := range []string{a, b} {
			s, err := store.Open(d)
			require.NoError(t, err)
			require.NoError(t, s.AppendJournal(ctx, journal.Entry{Kind: journal.SignIn}))
			require.NoError(t, s.Close())
		}
		kb, err := os.ReadFile(filepath.Join(b, store.KeyFile))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(a, store.KeyFile), kb, 0o600))
		_, err = store.Open(a)
		require.Error(t, err)
		assert.Equal(t, "error.storage.key_mismatch", keyOf(err))
	})
}

// TestVerifyAcceptsZWithoutTaxRates: a Z report stored before reports
// carried the tax per rate (shift.Report.TaxRates) still verifies, and an
// edit of such a report is still found.
func TestVerifyAcceptsZWithoutTaxRates(t *testing.T) {
	clean := tradingDay(t)
	shift1 := query1(t, clean, `SELECT id FROM shifts WHERE status = 'closed'`)
	require.Contains(t, query1(t, clean, `SELECT z_report FROM shifts WHERE id = ?`, shift1), `"tax_rates":[`, "this version stores the tax per rate")
	old := []string{
		`UPDATE shifts SET z_report = json_remove(z_report, '$.tax_rates') WHERE id = '` + shift1 + `'`,
		`UPDATE outbox SET payload = json_remove(payload, '$.z_report.tax_rates') WHERE kind = 'shift_event' AND json_extract(payload, '$.z_report') IS NOT NULL`,
	}
	dir := copyFolder(t, clean)
	tamper(t, dir, old...)
	rep := verify(t, dir, store.VerifyOptions{})
	require.NoError(t, rep.Err(), "a Z of an older version verifies")
	assert.Equal(t, 1, rep.Checked["z_reports"])

	dir = copyFolder(t, clean)
	tamper(t, dir, append(old, `UPDATE shifts SET z_report = replace(z_report, '"net_sales":', '"net_sales":1') WHERE id = '`+shift1+`'`)...)
	require.Error(t, verify(t, dir, store.VerifyOptions{}).Err(), "its figures are still checked")
}
