package store

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/opentill/opentill/pos/journal"
)

// Problem is one disagreement Verify found: the table, the first bad record
// of its kind, and what is wrong with it.
type Problem struct {
	Table  string // journal, transactions, transaction_lines, tenders, outbox, shifts, suspended, settings, file
	Record string // "entry 17", "transaction 0192… (receipt S0001-T01-000003)", …
	Reason string
}

func (p Problem) String() string { return p.Table + ": " + p.Record + ": " + p.Reason }

// AuditError is what a failed verification returns: every problem found,
// the first of each table; Error names the first.
type AuditError struct {
	Problems []Problem
}

func (e *AuditError) Error() string {
	if len(e.Problems) == 0 {
		return "journal audit: no problem"
	}
	s := "journal audit: " + e.Problems[0].String()
	if n := len(e.Problems) - 1; n > 0 {
		s += fmt.Sprintf(" (and %d more)", n)
	}
	return s
}

// VerifyOptions say what Verify holds the data folder against besides
// itself.
type VerifyOptions struct {
	// Head is a head kept elsewhere (exported with posctl journal head, or
	// the store server's): the chain must still hold it. Without it a
	// dropped tail of entries other than sales, or a chain consistently
	// rewritten with the folder's own key, cannot be seen.
	Head *journal.Head
	// Key is the till's public key from outside the folder (the store
	// server's record of it). Without it the key recorded in the folder is
	// used, which whoever rewrote the folder could have replaced too.
	Key ed25519.PublicKey
}

// VerifyReport is what Verify checked and found.
type VerifyReport struct {
	Integrity   string       // SQLite's integrity_check: "ok" or its first complaint
	Entries     int64        // journal entries read
	Verified    int64        // entries whose chain link, hash and signature verified
	Unsigned    int64        // verified entries before signing began
	SignedFrom  int64        // the first signed entry (0: none)
	KeyID       string       // the key the signatures were checked with ("" if none)
	KeySource   string       // where that key came from: "given", "data folder"
	Head        journal.Head // the chain's last entry
	HeadChecked bool         // VerifyOptions.Head was held against the chain
	Checked     map[string]int
	Unchecked   map[string]int // rows Verify has no journal record for (outbox kinds such as customer)
	Problems    []Problem
}

// Err returns nil when no problem was found, else an *AuditError.
func (r *VerifyReport) Err() error {
	if len(r.Problems) == 0 {
		return nil
	}
	return &AuditError{Problems: r.Problems}
}

// add records p unless its table has a problem already (the first bad
// record of each table is the one to look at).
func (r *VerifyReport) add(p Problem) {
	for _, q := range r.Problems {
		if q.Table == p.Table {
			return
		}
	}
	r.Problems = append(r.Problems, p)
}

func (r *VerifyReport) addf(table, record, format string, args ...any) {
	r.add(Problem{Table: table, Record: record, Reason: fmt.Sprintf(format, args...)})
}

// Audit runs Verify and returns its problems as an *AuditError (nil if
// there are none).
func (s *Store) Audit(ctx context.Context) error {
	rep, err := s.Verify(ctx, VerifyOptions{})
	if err != nil {
		return err
	}
	return rep.Err()
}

func sameJSON(a, b []byte) bool {
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return bytes.Equal(a, b)
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}

// sameValue reports whether two JSON documents decode to equal values of
// type T (field order and omitted zero fields do not matter), naming the
// first top-level field that differs.
func sameValue[T any](a, b []byte) (bool, string) {
	var va, vb T
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return sameJSON(a, b), ""
	}
	ja, errA := json.Marshal(va)
	jb, errB := json.Marshal(vb)
	if errA != nil || errB != nil {
		return sameJSON(a, b), ""
	}
	if bytes.Equal(ja, jb) {
		return true, ""
	}
	return false, firstDiff(ja, jb)
}

// firstDiff names the first top-level field of two JSON objects that
// differs ("" if it cannot tell).
func firstDiff(a, b []byte) string {
	var ma, mb map[string]json.RawMessage
	if json.Unmarshal(a, &ma) != nil || json.Unmarshal(b, &mb) != nil {
		return ""
	}
	var keys []string
	for k := range ma {
		keys = append(keys, k)
	}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			keys = append(keys, k)
		}
	}
	var diff []string
	for _, k := range keys {
		if !sameJSON(ma[k], mb[k]) {
			diff = append(diff, k)
		}
	}
	if len(diff) == 0 {
		return ""
	}
	slices.Sort(diff)
	return strings.Join(diff, ", ")
}
