package store

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/pos/tender"
)

// Verify checks the data folder against its journal, reading one consistent
// snapshot (a running till may go on selling meanwhile):
//
//   - SQLite's integrity_check of the file;
//   - the journal: every entry's link, hash and signature (with
//     VerifyOptions.Key or the key the folder records), the signature
//     counter, no unsigned entry after signing began and signing from the
//     entry the key was made at; and VerifyOptions.Head, if given;
//   - every transaction, its lines and tenders (and so the returned
//     quantities, which are summed from the lines) against its sale or void
//     entry, and the receipt numbers for gaps;
//   - every outbox record against the entry it carries to the server, and
//     that no journaled transaction or shift event is missing from it;
//   - every shift row against the state its last journal entry recorded,
//     and every stored Z report against the Z the journal gives;
//   - every suspended transaction against its suspend entry.
//
// Problems are in the report (the first of each table); the error is for
// a store that cannot be read.
func (s *Store) Verify(ctx context.Context, opt VerifyOptions) (*VerifyReport, error) {
	rep := &VerifyReport{Checked: map[string]int{}, Unchecked: map[string]int{}}
	conn, err := s.r.Conn(ctx)
	if err != nil {
		return nil, readErr(err, "opening the local store for verifying")
	}
	defer conn.Close() // a read: nothing to lose
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, readErr(err, "opening a read snapshot for verifying")
	}
	defer func() { _ = tx.Rollback() }() // a read-only snapshot: ending it loses nothing
	v := &verifier{s: s, q: tx, rep: rep}
	steps := []struct {
		what string
		fn   func(context.Context) error
	}{
		{"checking the file's integrity", v.integrity},
		{"verifying the journal", func(ctx context.Context) error { return v.chain(ctx, v.key(opt), opt.Head) }},
		{"comparing the transactions with the journal", v.transactions},
		{"comparing the outbox with the journal", v.outbox},
		{"comparing the shifts with the journal", v.shifts},
		{"comparing the suspended transactions with the journal", v.suspended},
	}
	for _, st := range steps {
		if err := st.fn(ctx); err != nil {
			return nil, readErr(err, "%s", st.what)
		}
	}
	return rep, nil
}

// verifier holds what one Verify run gathered from the journal.
type verifier struct {
	s   *Store
	q   *sql.Tx
	rep *VerifyReport

	txns      map[string]txnRef    // sale and void entries by transaction ID
	shiftRefs map[string]*shiftRef // shift events by shift ID
	events    map[string]int64     // shift event outbox ID → the entry's sequence
	susp      map[string]suspRef   // suspended transactions by ID
}

type txnRef struct {
	seq     int64
	receipt string
}

type shiftRef struct {
	openSeq, lastSeq, closeSeq int64
	lastKind                   journal.Kind
	state                      json.RawMessage // the shift after the last event ("" before signing)
}

type suspRef struct {
	seq int64
	own bool // the entry's payload is not the cart (a caller's own)
}

func (v *verifier) integrity(ctx context.Context) error {
	rows, err := v.q.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var first string
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			return err
		}
		if first == "" {
			first = msg
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	v.rep.Integrity = first
	if first != "ok" {
		v.rep.addf("file", FileName, "SQLite's integrity check fails: %s", first)
	}
	return nil
}

// key picks the public key the signatures are checked with, and holds the
// folder's records of the key against each other.
func (v *verifier) key(opt VerifyOptions) ed25519.PublicKey {
	g := v.s.signing
	var folder ed25519.PublicKey
	if g.PublicKey != "" {
		pub, err := g.Public()
		switch {
		case err != nil:
			v.rep.addf("settings", keySigning, "the recorded public key is unreadable (%v): the record was altered", err)
		case journal.KeyID(pub) != g.KeyID:
			v.rep.addf("settings", keySigning, "the recorded public key is key %s, not the recorded key ID %s: the record was altered", journal.KeyID(pub), g.KeyID)
		default:
			folder = pub
		}
	}
	if k, err := loadKey(v.s.Dir(), true); err == nil && folder != nil && k.ID() != journal.KeyID(folder) {
		v.rep.addf("settings", KeyFile, "the key file holds key %s, but the journal's signing record says %s: one of them was replaced", k.ID(), g.KeyID)
	}
	if opt.Key != nil {
		v.rep.KeyID, v.rep.KeySource = journal.KeyID(opt.Key), "given"
		if folder != nil && journal.KeyID(folder) != v.rep.KeyID {
			v.rep.addf("settings", keySigning, "the folder records key %s, but the till's key is %s: the journal was re-signed with another key", g.KeyID, v.rep.KeyID)
		}
		return opt.Key
	}
	if folder != nil {
		v.rep.KeyID, v.rep.KeySource = g.KeyID, "data folder"
	}
	return folder
}

// chain verifies the journal and gathers what the table checks need.
func (v *verifier) chain(ctx context.Context, pub ed25519.PublicKey, head *journal.Head) error {
	v.txns, v.shiftRefs, v.events, v.susp = map[string]txnRef{}, map[string]*shiftRef{}, map[string]int64{}, map[string]suspRef{}
	jv := journal.Verifier{Key: pub}
	var hm *journal.HeadMatch
	if head != nil {
		hm = &journal.HeadMatch{Want: *head}
	}
	broken := false
	rows, err := v.q.QueryContext(ctx, `SELECT `+v.s.journalCols()+` FROM journal ORDER BY seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEntry(rows)
		var bt *badTimeError
		if errors.As(err, &bt) {
			if !broken {
				v.rep.addf("journal", fmt.Sprintf("entry %d", e.Seq), "its time %q is not a time: the entry was altered", bt.text)
				broken = true
			}
		} else if err != nil {
			return err
		}
		v.rep.Entries++
		if !broken {
			if err := jv.Add(e); err != nil {
				var be *journal.BreakError
				if !errors.As(err, &be) {
					return err
				}
				v.rep.addf("journal", fmt.Sprintf("entry %d", be.Seq), "%s", be.Reason)
				broken = true
			}
		}
		if hm != nil {
			hm.Add(e)
		}
		v.collect(e)
		v.rep.Head = e.Head()
	}
	if err := rows.Err(); err != nil {
		return err
	}
	v.rep.Verified, v.rep.Unsigned, v.rep.SignedFrom = jv.Count(), jv.Unsigned(), jv.SignedFrom()
	if hm != nil {
		v.rep.HeadChecked = true
		if err := hm.Err(); err != nil {
			var be *journal.BreakError
			if errors.As(err, &be) {
				v.rep.addf("head", fmt.Sprintf("entry %d", be.Seq), "%s (head given: %s)", be.Reason, head)
			}
		}
	}
	if g := v.s.signing; !broken && g.SignedFrom > 0 && v.rep.Head.Seq >= g.SignedFrom && jv.SignedFrom() != g.SignedFrom {
		first := "no entry is signed"
		if jv.SignedFrom() > 0 {
			first = fmt.Sprintf("the first signed entry is %d", jv.SignedFrom())
		}
		v.rep.addf("journal", fmt.Sprintf("entry %d", g.SignedFrom),
			"the till signs every entry from %d on (its key %s was made then), but %s: signatures were removed or the chain rewritten", g.SignedFrom, g.KeyID, first)
	}
	if v.s.signing.KeyID == "" && jv.SignedFrom() > 0 && pub == nil {
		v.rep.addf("settings", keySigning, "the journal is signed from entry %d on, but the folder has no record of the key: the record was removed", jv.SignedFrom())
	}
	return nil
}

// shiftKinds are the entries the shift store methods write.
var shiftKinds = map[journal.Kind]bool{journal.ShiftOpen: true, journal.ShiftSuspend: true, journal.ShiftResume: true,
	journal.ShiftBlindClose: true, journal.ShiftClose: true}

// collect keeps what the table checks need of an entry.
func (v *verifier) collect(e journal.Entry) {
	switch {
	case e.Kind == journal.Sale || e.Kind == journal.Void:
		if e.TxnID == "" {
			return
		}
		if ref, dup := v.txns[e.TxnID]; dup {
			v.rep.addf("journal", fmt.Sprintf("entry %d", e.Seq), "transaction %s is journaled twice (entries %d and %d)", e.TxnID, ref.seq, e.Seq)
			return
		}
		v.txns[e.TxnID] = txnRef{seq: e.Seq, receipt: e.ReceiptNo}
		delete(v.susp, e.TxnID)
	case e.Kind == journal.Suspend:
		var id struct {
			ID string `json:"id"`
		}
		own := json.Unmarshal(e.Payload, &id) != nil || id.ID != e.TxnID
		v.susp[e.TxnID] = suspRef{seq: e.Seq, own: own}
	case e.Kind == journal.Recall:
		delete(v.susp, e.TxnID)
	case shiftKinds[e.Kind]:
		var ev struct {
			Shift  string          `json:"shift"`
			Voided []string        `json:"voided"`
			State  json.RawMessage `json:"state"`
		}
		if json.Unmarshal(e.Payload, &ev) != nil || ev.Shift == "" {
			return // not a shift's event (non-drawer mode), or not JSON: the chain says whether it is authentic
		}
		ref := v.shiftRefs[ev.Shift]
		if ref == nil {
			ref = &shiftRef{}
			v.shiftRefs[ev.Shift] = ref
		}
		if e.Kind == journal.ShiftOpen && ref.openSeq == 0 {
			ref.openSeq = e.Seq
		}
		ref.lastSeq, ref.lastKind, ref.state = e.Seq, e.Kind, ev.State
		if e.Kind == journal.ShiftClose {
			ref.closeSeq = e.Seq
			for _, id := range ev.Voided {
				delete(v.susp, id)
			}
		}
		v.events[shiftEventID(ev.Shift, e.Seq)] = e.Seq
	case e.Kind == journal.CashMovement:
		var m struct {
			Shift string `json:"shift"`
		}
		if json.Unmarshal(e.Payload, &m) == nil && m.Shift != "" {
			v.events[shiftEventID(m.Shift, e.Seq)] = e.Seq
		}
	}
}

func shiftEventID(shiftID string, seq int64) string { return fmt.Sprintf("%s:%d", shiftID, seq) }

// entryAt reads the entry at seq.
func (v *verifier) entryAt(ctx context.Context, seq int64) (journal.Entry, error) {
	e, err := scanEntry(v.q.QueryRowContext(ctx, `SELECT `+v.s.journalCols()+` FROM journal WHERE seq = ?`, seq))
	var bt *badTimeError
	if errors.As(err, &bt) {
		return e, nil // reported by the chain check
	}
	return e, err
}

// sortedKeys returns the keys of m ordered by their journal sequence.
func sortedKeys[V any](m map[string]V, seq func(V) int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return int(seq(m[a]) - seq(m[b])) })
	return keys
}

func txnRecord(id, receipt string) string {
	return fmt.Sprintf("transaction %s (receipt %s)", id, receipt)
}

// transactions compares every transaction, its lines and tenders with its
// entry, and checks the receipt numbers for gaps.
func (v *verifier) transactions(ctx context.Context) error {
	rows, err := v.q.QueryContext(ctx, `SELECT id, receipt_no, store, terminal, status, operator, started, finished, currency, total, payload
		FROM transactions ORDER BY receipt_no`)
	if err != nil {
		return err
	}
	defer rows.Close()
	seen := map[string]bool{}
	maxNo := map[string]int64{} // receipt prefix → highest number
	count := map[string]int64{}
	for rows.Next() {
		var id, no, storeID, terminal, status, operator, started, finished, currency string
		var total int64
		var payload []byte
		if err := rows.Scan(&id, &no, &storeID, &terminal, &status, &operator, &started, &finished, &currency, &total, &payload); err != nil {
			return err
		}
		v.rep.Checked["transactions"]++
		seen[id] = true
		if i := strings.LastIndexByte(no, '-'); i > 0 {
			if n, err := strconv.ParseInt(no[i+1:], 10, 64); err == nil {
				count[no[:i]]++
				maxNo[no[:i]] = max(maxNo[no[:i]], n)
			}
		}
		rec := txnRecord(id, no)
		ref, ok := v.txns[id]
		if !ok {
			v.rep.addf("transactions", rec, "has no journal entry")
			continue
		}
		if ref.receipt != no {
			v.rep.addf("transactions", rec, "has receipt %s but journal entry %d says %s", no, ref.seq, ref.receipt)
			continue
		}
		e, err := v.entryAt(ctx, ref.seq)
		if err != nil {
			return err
		}
		if !sameJSON(payload, e.Payload) {
			v.rep.addf("transactions", rec, "differs from journal entry %d", ref.seq)
			continue
		}
		var c cart.Cart
		if err := json.Unmarshal(e.Payload, &c); err != nil {
			v.rep.addf("transactions", rec, "journal entry %d does not hold a transaction: %v", ref.seq, err)
			continue
		}
		cols := []struct {
			name      string
			got, want string
		}{
			{"receipt_no", no, c.ReceiptNo},
			{"store and terminal", storeID + "-" + terminal + "-", no[:max(0, strings.LastIndexByte(no, '-')+1)]},
			{"status", status, string(c.Status)},
			{"operator", operator, c.Operator},
			{"started", started, formatTime(c.Started)},
			{"currency", currency, c.Currency.Code},
			{"total", strconv.FormatInt(total, 10), strconv.FormatInt(int64(c.Totals.Total), 10)},
		}
		if !c.Finished.IsZero() {
			cols = append(cols, struct{ name, got, want string }{"finished", finished, formatTime(c.Finished)})
		}
		for _, col := range cols {
			if col.got != col.want {
				v.rep.addf("transactions", rec, "column %s is %q but journal entry %d says %q", col.name, col.got, ref.seq, col.want)
				break
			}
		}
		if err := v.lines(ctx, rec, id, ref.seq, &c); err != nil {
			return err
		}
		if err := v.tenders(ctx, rec, id, ref.seq, &c); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	for _, id := range sortedKeys(v.txns, func(r txnRef) int64 { return r.seq }) {
		if !seen[id] {
			ref := v.txns[id]
			v.rep.addf("transactions", txnRecord(id, ref.receipt), "journal entry %d records it, but it is not stored", ref.seq)
			break
		}
	}
	for prefix, m := range maxNo {
		if count[prefix] != m {
			v.rep.addf("transactions", "receipts "+prefix+"-…", "they run to %d but only %d are stored: receipt numbers are missing", m, count[prefix])
		}
	}
	var next int64
	if err := v.q.QueryRowContext(ctx, `SELECT coalesce(max(next), 1) FROM receipt_sequence`).Scan(&next); err != nil {
		return err
	}
	var total int64
	for _, c := range count {
		total += c
	}
	if len(count) <= 1 && next-1 != total {
		v.rep.addf("transactions", "receipt_sequence", "the receipt sequence has issued %d numbers but %d transactions are stored", next-1, total)
	}
	for _, t := range []string{"transaction_lines", "tenders"} {
		var txn string
		err := v.q.QueryRowContext(ctx, `SELECT txn_id FROM `+t+` WHERE txn_id NOT IN (SELECT id FROM transactions) LIMIT 1`).Scan(&txn)
		if err == nil {
			v.rep.addf(t, "transaction "+txn, "rows of a transaction that is not stored: they were added")
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	return nil
}

// lineRow is a transaction_lines row (or what it must be).
type lineRow struct {
	Product    string `json:"product_id"`
	Item       string `json:"item_id"`
	Qty        int64  `json:"qty"`
	Net        int64  `json:"net"`
	Voided     bool   `json:"voided"`
	ReturnTxn  string `json:"return_of_txn"`
	ReturnLine int64  `json:"return_of_line"`
}

func (v *verifier) lines(ctx context.Context, rec, id string, seq int64, c *cart.Cart) error {
	want := map[int64]lineRow{}
	for _, l := range c.Lines {
		w := lineRow{Product: l.ProductID, Item: l.ItemID, Qty: int64(l.Qty), Net: int64(l.Net), Voided: l.Voided}
		if l.ReturnOf != nil {
			w.ReturnTxn, w.ReturnLine = l.ReturnOf.TxnID, int64(l.ReturnOf.LineNo)
		}
		want[int64(l.No)] = w
	}
	return compareRows(ctx, v, "transaction_lines", "line", rec, seq, want, func(r *sql.Rows) (int64, lineRow, error) {
		var no int64
		var got lineRow
		err := r.Scan(&no, &got.Product, &got.Item, &got.Qty, &got.Net, &got.Voided, &got.ReturnTxn, &got.ReturnLine)
		return no, got, err
	}, `SELECT line_no, product_id, item_id, qty, net, voided, coalesce(return_of_txn, ''), coalesce(return_of_line, 0)
		FROM transaction_lines WHERE txn_id = ? ORDER BY line_no`, id)
}

// tenderRow is a tenders row (or what it must be).
type tenderRow struct {
	Type      string `json:"type"`
	Kind      string `json:"kind"`
	Amount    int64  `json:"amount"`
	MaskedPAN string `json:"masked_pan"`
	Voided    bool   `json:"voided"`
}

func (v *verifier) tenders(ctx context.Context, rec, id string, seq int64, c *cart.Cart) error {
	want := map[int64]tenderRow{}
	for _, t := range c.Tenders {
		w := tenderRow{Type: t.TypeID, Kind: string(t.Kind), Amount: int64(t.Amount), Voided: t.Voided}
		if t.Card != nil {
			w.MaskedPAN = t.Card.MaskedPAN
		}
		want[int64(t.No)] = w
	}
	return compareRows(ctx, v, "tenders", "tender", rec, seq, want, func(r *sql.Rows) (int64, tenderRow, error) {
		var no int64
		var got tenderRow
		err := r.Scan(&no, &got.Type, &got.Kind, &got.Amount, &got.MaskedPAN, &got.Voided)
		return no, got, err
	}, `SELECT no, type, kind, amount, coalesce(masked_pan, ''), voided FROM tenders WHERE txn_id = ? ORDER BY no`, id)
}

// compareRows holds the numbered rows a query returns (scanned by scan)
// against what journal entry seq says they must be, reporting under table
// the first row added, differing or missing.
func compareRows[T comparable](ctx context.Context, v *verifier, table, what, rec string, seq int64, want map[int64]T,
	scan func(*sql.Rows) (int64, T, error), query string, args ...any) error {
	rows, err := v.q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		no, got, err := scan(rows)
		if err != nil {
			return err
		}
		v.rep.Checked[table]++
		w, ok := want[no]
		delete(want, no)
		switch {
		case !ok:
			v.rep.addf(table, fmt.Sprintf("%s %d of %s", what, no, rec), "is not in journal entry %d: it was added", seq)
		case got != w:
			v.rep.addf(table, fmt.Sprintf("%s %d of %s", what, no, rec), "%s in the table, %s in journal entry %d", fields(got, w), fields(w, got), seq)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for no := range want {
		v.rep.addf(table, fmt.Sprintf("%s %d of %s", what, no, rec), "is missing from the table (journal entry %d has it)", seq)
		break
	}
	return nil
}

// fields renders the fields of a that differ from b ("qty=2000 net=238").
func fields[T any](a, b T) string {
	ja, _ := json.Marshal(a) // plain structs of strings, numbers and booleans always marshal
	jb, _ := json.Marshal(b)
	var ma, mb map[string]any
	_ = json.Unmarshal(ja, &ma) // and read back
	_ = json.Unmarshal(jb, &mb)
	var out []string
	for k, va := range ma {
		if fmt.Sprint(va) != fmt.Sprint(mb[k]) {
			out = append(out, fmt.Sprintf("%s=%v", k, va))
		}
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// outbox compares every outbox record with the journal entry it carries,
// and finds journaled records missing from it.
func (v *verifier) outbox(ctx context.Context) error {
	// a folder of a release before purging (verified read-only, not
	// migrated) has no purged column: nothing of it is purged
	purgedCol := "0"
	var n int
	if err := v.q.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('outbox') WHERE name = 'purged'`).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		purgedCol = "purged"
	}
	rows, err := v.q.QueryContext(ctx, `SELECT id, kind, payload, `+purgedCol+`, acked_at IS NOT NULL FROM outbox ORDER BY created, id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var id, kind string
		var payload []byte
		var purged, acked bool
		if err := rows.Scan(&id, &kind, &payload, &purged, &acked); err != nil {
			return err
		}
		rec := fmt.Sprintf("record %s (%s)", id, kind)
		if purged {
			// acknowledged by the server, its payload purged after the
			// retention period: the server's copy is the one to compare
			// (journal verify --server)
			seen[id] = true
			if !acked {
				v.rep.addf("outbox", rec, "is marked purged but the server never acknowledged it: it was altered")
			}
			v.rep.Unchecked["outbox purged"]++
			continue
		}
		switch kind {
		case OutboxTransaction:
			v.rep.Checked["outbox"]++
			seen[id] = true
			ref, ok := v.txns[id]
			if !ok {
				v.rep.addf("outbox", rec, "has no journal entry: it was added")
				continue
			}
			e, err := v.entryAt(ctx, ref.seq)
			if err != nil {
				return err
			}
			if !sameJSON(payload, e.Payload) {
				v.rep.addf("outbox", rec, "differs from journal entry %d (receipt %s): what the server gets was altered", ref.seq, ref.receipt)
			}
		case OutboxShiftEvent:
			v.rep.Checked["outbox"]++
			seen[id] = true
			if err := v.shiftEvent(ctx, rec, id, payload); err != nil {
				return err
			}
		default:
			v.rep.Unchecked["outbox "+kind]++
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range sortedKeys(v.txns, func(r txnRef) int64 { return r.seq }) {
		if !seen[id] {
			ref := v.txns[id]
			v.rep.addf("outbox", "record "+id+" (transaction)", "is missing: journal entry %d (receipt %s) records the transaction, and the server would never get it", ref.seq, ref.receipt)
			break
		}
	}
	for _, id := range sortedKeys(v.events, func(seq int64) int64 { return seq }) {
		if !seen[id] {
			v.rep.addf("outbox", "record "+id+" (shift_event)", "is missing: journal entry %d is a shift event the server would never get", v.events[id])
			break
		}
	}
	return nil
}

// shiftEvent compares a shift event record with its entry, the shift state
// the entry recorded and the stored Z report.
func (v *verifier) shiftEvent(ctx context.Context, rec, id string, payload []byte) error {
	var ev ShiftEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		v.rep.addf("outbox", rec, "is not a shift event (%v): it was altered", err)
		return nil
	}
	seq, ok := v.events[id]
	switch {
	case ev.ID != id:
		v.rep.addf("outbox", rec, "carries the ID %q: it was altered", ev.ID)
		return nil
	case !ok:
		v.rep.addf("outbox", rec, "has no journal entry: it was added")
		return nil
	}
	e, err := v.entryAt(ctx, seq)
	if err != nil {
		return err
	}
	if f := entryDiff(ev.Entry, e); f != "" {
		v.rep.addf("outbox", rec, "differs from journal entry %d in its %s: what the server gets was altered", seq, f)
		return nil
	}
	var st struct {
		State json.RawMessage `json:"state"`
	}
	if json.Unmarshal(e.Payload, &st) == nil && len(st.State) > 0 {
		got, err := json.Marshal(ev.State)
		if err != nil {
			return err
		}
		if ok, f := sameValue[*shift.Shift](got, st.State); !ok {
			v.rep.addf("outbox", rec, "carries a shift state that differs from journal entry %d (%s): it was altered", seq, f)
			return nil
		}
	}
	if e.Kind != journal.ShiftClose {
		return nil
	}
	var z sql.NullString
	if err := v.q.QueryRowContext(ctx, `SELECT z_report FROM shifts WHERE id = ?`, ev.Shift).Scan(&z); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	got, err := json.Marshal(ev.Z)
	if err != nil {
		return err
	}
	if ev.Z == nil || !z.Valid {
		if ev.Z != nil || z.Valid {
			v.rep.addf("outbox", rec, "and the stored shift %s disagree on whether there is a Z report", ev.Shift)
		}
		return nil
	}
	if ok, f := sameValue[shift.Report](got, []byte(z.String)); !ok {
		v.rep.addf("outbox", rec, "carries a Z report that differs from the stored Z report of shift %s (%s)", ev.Shift, f)
	}
	return nil
}

// entryDiff names the first field in which two entries differ ("" if none).
func entryDiff(a, b journal.Entry) string {
	switch {
	case a.Seq != b.Seq:
		return "sequence"
	case !a.Time.Equal(b.Time):
		return "time"
	case a.Kind != b.Kind:
		return "kind"
	case a.Operation != b.Operation, a.TxnID != b.TxnID, a.ReceiptNo != b.ReceiptNo, a.Operator != b.Operator, a.Approver != b.Approver:
		return "header"
	case !sameJSON(a.Payload, b.Payload):
		return "payload"
	case a.PrevHash != b.PrevHash, a.Hash != b.Hash:
		return "hash"
	case a.KeyID != b.KeyID, a.Counter != b.Counter, a.Sig != b.Sig:
		return "signature"
	}
	return ""
}

// shiftStatusAfter is the status a shift has after an event of this kind
// (for entries written before they recorded the state).
var shiftStatusAfter = map[journal.Kind]shift.Status{journal.ShiftOpen: shift.Open, journal.ShiftResume: shift.Open,
	journal.ShiftSuspend: shift.Suspended, journal.ShiftBlindClose: shift.BlindClosed, journal.ShiftClose: shift.Closed}

// shifts compares every shift row with the journal and recomputes every
// stored Z report from it.
func (v *verifier) shifts(ctx context.Context) error {
	loc, zone, err := v.timeZone(ctx)
	if err != nil {
		return err
	}
	rows, err := v.q.QueryContext(ctx, `SELECT id, store_id, terminal_id, status, opened_at, closed_at, start_seq, payload, z_report FROM shifts ORDER BY opened_at, id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	type closed struct {
		sh  shift.Shift
		ref *shiftRef
		z   string
	}
	var zs []closed
	seen := map[string]bool{}
	for rows.Next() {
		var id, storeID, terminal, status, opened, closedAt string
		var startSeq int64
		var payload []byte
		var z sql.NullString
		if err := rows.Scan(&id, &storeID, &terminal, &status, &opened, &closedAt, &startSeq, &payload, &z); err != nil {
			return err
		}
		v.rep.Checked["shifts"]++
		seen[id] = true
		rec := "shift " + id
		ref, ok := v.shiftRefs[id]
		if !ok {
			v.rep.addf("shifts", rec, "has no journal entry: it was added")
			continue
		}
		var sh shift.Shift
		if err := json.Unmarshal(payload, &sh); err != nil {
			v.rep.addf("shifts", rec, "its payload is not a shift (%v): it was altered", err)
			continue
		}
		if ref.state != nil {
			if ok, f := sameValue[shift.Shift](payload, ref.state); !ok {
				v.rep.addf("shifts", rec, "differs from the state journal entry %d recorded (%s)", ref.lastSeq, f)
				continue
			}
		} else if want := shiftStatusAfter[ref.lastKind]; sh.Status != want {
			v.rep.addf("shifts", rec, "is %s, but its last journal entry %d (%s) leaves it %s", sh.Status, ref.lastSeq, ref.lastKind, want)
			continue
		}
		cols := []struct{ name, got, want string }{
			{"start_seq", strconv.FormatInt(startSeq, 10), strconv.FormatInt(ref.openSeq, 10)},
			{"start_seq of the payload", strconv.FormatInt(sh.StartSeq, 10), strconv.FormatInt(ref.openSeq, 10)},
			{"status", status, string(sh.Status)},
			{"terminal_id", terminal, sh.Terminal},
			{"store_id", storeID, sh.Store},
			{"opened_at", opened, formatTime(sh.Opened)},
			{"closed_at", closedAt, formatTime(sh.Closed)},
		}
		bad := false
		for _, c := range cols {
			if c.got != c.want {
				v.rep.addf("shifts", rec, "column %s is %q but the journal says %q", c.name, c.got, c.want)
				bad = true
				break
			}
		}
		switch {
		case bad:
		case sh.Status == shift.Closed && !z.Valid:
			v.rep.addf("shifts", rec, "is closed but has no Z report: it was removed")
		case sh.Status != shift.Closed && z.Valid:
			v.rep.addf("shifts", rec, "is %s but has a Z report: it was added", sh.Status)
		case z.Valid:
			zs = append(zs, closed{sh: sh, ref: ref, z: z.String})
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	for _, id := range sortedKeys(v.shiftRefs, func(r *shiftRef) int64 { return r.openSeq }) {
		if !seen[id] {
			v.rep.addf("shifts", "shift "+id, "journal entry %d opens it, but it is not stored", v.shiftRefs[id].openSeq)
			break
		}
	}
	for _, c := range zs {
		v.rep.Checked["z_reports"]++
		if err := v.zReport(ctx, c.sh, c.ref, c.z, loc, zone); err != nil {
			return err
		}
	}
	return nil
}

// zReport recomputes a stored Z report from the journal: the tenders (names,
// order, cash or not) are taken from the stored report itself, the time zone
// of the hourly figures from the store's setup.
func (v *verifier) zReport(ctx context.Context, sh shift.Shift, ref *shiftRef, stored string, loc *time.Location, zone string) error {
	var z shift.Report
	rec := "Z report of shift " + sh.ID
	if err := json.Unmarshal([]byte(stored), &z); err != nil {
		v.rep.addf("z_reports", rec, "is not a report (%v): it was altered", err)
		return nil
	}
	if ref.closeSeq == 0 {
		v.rep.addf("z_reports", rec, "the journal has no closing entry for the shift")
		return nil
	}
	tenders := make([]tender.Type, 0, len(z.Tenders))
	for _, t := range z.Tenders {
		k := cart.Card
		if t.Cash {
			k = cart.Cash
		}
		tenders = append(tenders, tender.Type{ID: t.Tender, Name: t.Name, Kind: k})
	}
	var entries []journal.Entry
	rows, err := v.q.QueryContext(ctx, `SELECT `+v.s.journalCols()+` FROM journal WHERE seq >= ? AND seq <= ? ORDER BY seq`, sh.StartSeq, ref.closeSeq)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEntry(rows)
		var bt *badTimeError
		if err != nil && !errors.As(err, &bt) {
			return err
		}
		entries = append(entries, e)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	want, err := shift.Build(shift.Z, sh, entries, tenders, loc)
	if err != nil {
		v.rep.addf("z_reports", rec, "the journal does not give a report: %v", err)
		return nil
	}
	var old struct {
		TaxRates json.RawMessage `json:"tax_rates"`
	}
	if json.Unmarshal([]byte(stored), &old) == nil && old.TaxRates == nil {
		// A Z report stored before reports carried the tax per rate: the
		// rest of it is still checked.
		want.TaxRates = nil
	}
	wb, err := json.Marshal(want)
	if err != nil {
		return err
	}
	if ok, f := sameValue[shift.Report]([]byte(stored), wb); !ok {
		v.rep.addf("z_reports", rec, "differs from the Z report journal entries %d–%d give (%s; hours in %s): it was altered", sh.StartSeq, ref.closeSeq, f, zone)
	}
	return nil
}

// timeZone is the store's time zone from its setup (UTC if none).
func (v *verifier) timeZone(ctx context.Context) (*time.Location, string, error) {
	var raw string
	err := v.q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, keySetup).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return time.UTC, "UTC", nil
	}
	if err != nil {
		return nil, "", err
	}
	var setup pos.Setup
	if json.Unmarshal([]byte(raw), &setup) != nil || setup.Header.TimeZone == "" {
		return time.UTC, "UTC", nil
	}
	loc, err := time.LoadLocation(setup.Header.TimeZone)
	if err != nil {
		return time.UTC, "UTC", nil
	}
	return loc, setup.Header.TimeZone, nil
}

// suspended compares every suspended transaction with its suspend entry.
func (v *verifier) suspended(ctx context.Context) error {
	rows, err := v.q.QueryContext(ctx, `SELECT id, operator, lines, total, payload, at FROM suspended ORDER BY at, id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var id, operator, at string
		var lines, total int64
		var payload []byte
		if err := rows.Scan(&id, &operator, &lines, &total, &payload, &at); err != nil {
			return err
		}
		v.rep.Checked["suspended"]++
		seen[id] = true
		rec := "suspended transaction " + id
		ref, ok := v.susp[id]
		if !ok {
			v.rep.addf("suspended", rec, "has no suspend entry that was not recalled since: it was added")
			continue
		}
		e, err := v.entryAt(ctx, ref.seq)
		if err != nil {
			return err
		}
		body := e.Payload
		if ref.own {
			body = payload // the entry does not carry the cart: only the columns can be held against it
		} else if !sameJSON(payload, e.Payload) {
			v.rep.addf("suspended", rec, "differs from journal entry %d", ref.seq)
			continue
		}
		var c cart.Cart
		if err := json.Unmarshal(body, &c); err != nil {
			v.rep.addf("suspended", rec, "its payload is not a transaction (%v)", err)
			continue
		}
		cols := []struct{ name, got, want string }{
			{"operator", operator, c.Operator},
			{"lines", strconv.FormatInt(lines, 10), strconv.Itoa(len(c.Active()))},
			{"total", strconv.FormatInt(total, 10), strconv.FormatInt(int64(c.Totals.Total), 10)},
			{"at", at, formatTime(e.Time)},
		}
		for _, col := range cols {
			if col.got != col.want {
				v.rep.addf("suspended", rec, "column %s is %q but journal entry %d says %q", col.name, col.got, ref.seq, col.want)
				break
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range sortedKeys(v.susp, func(r suspRef) int64 { return r.seq }) {
		if !seen[id] {
			v.rep.addf("suspended", "suspended transaction "+id, "journal entry %d suspends it and nothing recalled it, but it is not stored: it was removed", v.susp[id].seq)
			break
		}
	}
	return nil
}
