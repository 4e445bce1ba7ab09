package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/opentill/opentill/pos/journal"
)

// AuditError is a disagreement between the stored transactions and the
// journal, or a gap in the receipt numbers.
type AuditError struct {
	Problem string
}

func (e *AuditError) Error() string { return "journal audit: " + e.Problem }

// Audit checks that the transactions agree with the hash-chained journal:
// every stored transaction has its sale or void entry with the same receipt
// number and the same content, every such entry has its transaction, and the
// till's receipt numbers run without a gap up to the sequence's next number.
// With VerifyJournal it makes an edit to either table, or the removal of a
// sale from both, visible.
func (s *Store) Audit(ctx context.Context) error {
	type entry struct {
		seq       int64
		receiptNo string
		payload   []byte
	}
	entries := map[string]entry{}
	err := s.JournalEach(ctx, func(e journal.Entry) error {
		if e.Kind != journal.Sale && e.Kind != journal.Void {
			return nil
		}
		if _, dup := entries[e.TxnID]; dup {
			return &AuditError{Problem: fmt.Sprintf("transaction %s is journaled twice (entry %d)", e.TxnID, e.Seq)}
		}
		entries[e.TxnID] = entry{seq: e.Seq, receiptNo: e.ReceiptNo, payload: e.Payload}
		return nil
	})
	if err != nil {
		return err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, receipt_no, payload FROM transactions ORDER BY receipt_no`)
	if err != nil {
		return readErr(err, "reading transactions for the audit")
	}
	defer rows.Close()
	maxNo := map[string]int64{} // receipt prefix → highest number
	count := map[string]int64{}
	for rows.Next() {
		var id, no string
		var payload []byte
		if err := rows.Scan(&id, &no, &payload); err != nil {
			return readErr(err, "reading transactions for the audit")
		}
		e, ok := entries[id]
		if !ok {
			return &AuditError{Problem: fmt.Sprintf("transaction %s (receipt %s) has no journal entry", id, no)}
		}
		delete(entries, id)
		if e.receiptNo != no {
			return &AuditError{Problem: fmt.Sprintf("transaction %s has receipt %s but journal entry %d says %s", id, no, e.seq, e.receiptNo)}
		}
		if !sameJSON(payload, e.payload) {
			return &AuditError{Problem: fmt.Sprintf("transaction %s (receipt %s) differs from journal entry %d", id, no, e.seq)}
		}
		if i := strings.LastIndexByte(no, '-'); i > 0 {
			n, err := strconv.ParseInt(no[i+1:], 10, 64)
			if err == nil {
				prefix := no[:i]
				count[prefix]++
				if n > maxNo[prefix] {
					maxNo[prefix] = n
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return readErr(err, "reading transactions for the audit")
	}
	for id, e := range entries {
		return &AuditError{Problem: fmt.Sprintf("journal entry %d records transaction %s (receipt %s), which is not stored", e.seq, id, e.receiptNo)}
	}
	for prefix, m := range maxNo {
		if count[prefix] != m {
			return &AuditError{Problem: fmt.Sprintf("receipts %s-… run to %d but only %d are stored: receipt numbers are missing", prefix, m, count[prefix])}
		}
	}
	var next int64
	err = s.r.QueryRowContext(ctx, `SELECT coalesce(max(next), 1) FROM receipt_sequence`).Scan(&next)
	if err != nil {
		return readErr(err, "reading the receipt sequence for the audit")
	}
	var total int64
	for _, c := range count {
		total += c
	}
	if len(count) <= 1 && next-1 != total {
		return &AuditError{Problem: fmt.Sprintf("the receipt sequence has issued %d numbers but %d transactions are stored", next-1, total)}
	}
	return nil
}

func sameJSON(a, b []byte) bool {
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return bytes.Equal(a, b)
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}
