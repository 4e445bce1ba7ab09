package main

import (
	"context"
	"database/sql"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/journal"
)

var ctx = context.Background()

// soldDay seeds a till and rings up its script's day: the journal is
// 1 sign-in, 2 shift open, 3 and 4 the two sales, 5 sign-out.
func soldDay(t *testing.T) string {
	t.Helper()
	dir := seeded(t)
	script := filepath.Join(t.TempDir(), "s.txt")
	require.NoError(t, os.WriteFile(script, []byte("signin 1001 1234\nshift open 100.00\nscan 4000000000013\npay cash exact\nscan 4000000000020\npay cash exact\nsignout\n"), 0o644))
	out, err := run(t, "sell", "--data", dir, "--script", script)
	require.NoError(t, err, out)
	return dir
}

// edit changes the till's database behind the store's back (dropping its
// guard triggers first, as an attacker with the file would).
func edit(t *testing.T, dir string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName)+"?_pragma=foreign_keys(0)")
	require.NoError(t, err)
	defer func() { require.NoError(t, db.Close()) }()
	for _, q := range append([]string{`DROP TRIGGER journal_no_update`, `DROP TRIGGER journal_no_delete`, `DROP TRIGGER outbox_keep_unacked`}, stmts...) {
		_, err := db.Exec(q)
		require.NoError(t, err, q)
	}
}

func TestJournalVerifyCleanFolder(t *testing.T) {
	dir := soldDay(t)
	out, err := run(t, "journal", "verify", "--data", dir)
	require.NoError(t, err, out)
	for _, want := range []string{"file: integrity check ok", "journal: 5 entries, all signed", "signatures: checked with key ",
		"head: opentill-journal-head/1 seq=5 counter=5 key=", "transactions 2, transaction_lines 2, tenders 2", "journal ok"} {
		assert.Contains(t, out, want)
	}
	head, err := run(t, "journal", "head", "--data", dir, "--out", filepath.Join(t.TempDir(), "head"))
	require.NoError(t, err)
	h, err := journal.ParseHead(head)
	require.NoError(t, err)
	assert.EqualValues(t, 5, h.Seq)
	out, err = run(t, "journal", "verify", "--data", dir, "--head", strings.TrimSpace(head))
	require.NoError(t, err, out)
	assert.Contains(t, out, "head kept elsewhere: compared")
}

// TestJournalVerifyFindsTampering edits, deletes and reorders rows of the
// journal and the other tables and expects verify to fail naming the first
// bad record.
func TestJournalVerifyFindsTampering(t *testing.T) {
	clean := soldDay(t)
	headFile := filepath.Join(t.TempDir(), "head")
	_, err := run(t, "journal", "head", "--data", clean, "--out", headFile)
	require.NoError(t, err)
	tests := []struct {
		name string
		sql  []string
		head bool // verify against the head exported before the tampering
		want string
	}{
		{"edit payload", []string{`UPDATE journal SET payload = replace(payload, '"total":', '"total":1') WHERE seq = 4`}, false, "journal: entry 4: content does not match its hash"},
		{"edit operator", []string{`UPDATE journal SET operator = '2001' WHERE seq = 3`}, false, "journal: entry 3"},
		{"delete", []string{`DELETE FROM journal WHERE seq = 4`}, false, "journal: entry 5"},
		{"reorder", []string{`UPDATE journal SET seq = -1 WHERE seq = 3`, `UPDATE journal SET seq = 3 WHERE seq = 4`, `UPDATE journal SET seq = 4 WHERE seq = -1`}, false, "journal: entry 3"},
		{"strip a signature", []string{`UPDATE journal SET sig = '' WHERE seq = 2`}, false, "journal: entry 2: signature fields are incomplete"},
		{"delete last, against the exported head", []string{`DELETE FROM journal WHERE seq = 5`}, true, "head: entry 5: the journal ends at entry 4"},
		{"edit a stored transaction", []string{`UPDATE transactions SET payload = replace(payload, '"total":', '"total":1'), total = total + 1 WHERE receipt_no = 'S0001-T01-000001'`}, false, "differs from journal entry 3"},
		{"edit a line", []string{`UPDATE transaction_lines SET qty = 3000 WHERE line_no = 1 AND txn_id = (SELECT id FROM transactions WHERE receipt_no = 'S0001-T01-000002')`}, false, "transaction_lines: line 1 of transaction"},
		{"edit a tender", []string{`UPDATE tenders SET amount = 1 WHERE txn_id = (SELECT id FROM transactions WHERE receipt_no = 'S0001-T01-000002')`}, false, "tenders: tender 1 of transaction"},
		{"replace an outbox payload", []string{`UPDATE outbox SET payload = '{}' WHERE kind = 'transaction' AND id = (SELECT id FROM transactions WHERE receipt_no = 'S0001-T01-000001')`}, false, "outbox: record"},
		{"edit the open shift", []string{`UPDATE shifts SET payload = replace(payload, '"opened_by":"1001"', '"opened_by":"2001"')`}, false, "shifts: shift"},
		{"delete a sale's journal entry at the tail", []string{`DELETE FROM journal WHERE seq >= 4`}, false, "has no journal entry"},
		{"delete the last sale everywhere", []string{`DELETE FROM journal WHERE seq >= 4`, `DELETE FROM outbox WHERE id IN (SELECT id FROM transactions WHERE receipt_no = 'S0001-T01-000002')`,
			`DELETE FROM transaction_lines WHERE txn_id IN (SELECT id FROM transactions WHERE receipt_no = 'S0001-T01-000002')`, `DELETE FROM tenders WHERE txn_id IN (SELECT id FROM transactions WHERE receipt_no = 'S0001-T01-000002')`,
			`DELETE FROM transactions WHERE receipt_no = 'S0001-T01-000002'`}, false, "issued 2 numbers but 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "till")
			require.NoError(t, os.CopyFS(dir, os.DirFS(clean)))
			edit(t, dir, tt.sql...)
			args := []string{"journal", "verify", "--data", dir}
			if tt.head {
				args = append(args, "--head", headFile)
			}
			out, err := run(t, args...)
			require.Error(t, err, out)
			assert.Contains(t, out, "PROBLEM ")
			assert.Contains(t, err.Error()+"\n"+out, tt.want)
		})
	}
	t.Run("cutting non-sale entries off the tail is seen only against a head", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "till")
		require.NoError(t, os.CopyFS(dir, os.DirFS(clean)))
		edit(t, dir, `DELETE FROM journal WHERE seq = 5`)
		out, err := run(t, "journal", "verify", "--data", dir)
		require.NoError(t, err, out)
		assert.Contains(t, out, "journal ok")
	})
}

func TestJournalVerifyRefusesAMissingFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nope")
	_, err := run(t, "journal", "verify", "--data", dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "there is no data folder")
	assert.NoDirExists(t, dir, "verify makes no folder")
	empty := t.TempDir()
	_, err = run(t, "journal", "verify", "--data", empty)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "holds no till database")
	_, err = run(t, "journal", "head", "--data", dir)
	require.Error(t, err)
	assert.NoDirExists(t, dir)
}

func TestVerifyOutputSaysWhereSigningStarts(t *testing.T) {
	tests := []struct {
		name string
		rep  store.VerifyReport
		want string
	}{
		{"upgraded folder", store.VerifyReport{Integrity: "ok", Entries: 9, Unsigned: 3, SignedFrom: 4, KeyID: "k1", KeySource: "data folder"},
			"journal: 9 entries; entries 1-3 are unsigned (written before the till had a signing key), signing starts at entry 4"},
		{"old folder not yet opened", store.VerifyReport{Integrity: "ok", Entries: 3, Unsigned: 3}, "journal: 3 entries, none signed"},
		{"new folder", store.VerifyReport{Integrity: "ok", Entries: 3, SignedFrom: 1, KeyID: "k1", KeySource: "given"}, "signatures: checked with key k1 (given)"},
		{"signed, no key", store.VerifyReport{Integrity: "ok", Entries: 3, SignedFrom: 1}, "signatures: NOT checked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			printReport(&b, &tt.rep)
			assert.Contains(t, b.String(), tt.want)
		})
	}
}

// scaleUnits are the test's store servers by URL.
var scaleUnits = map[string]*scaleunit.DB{}

// scaleUnit starts a seeded store server on loopback for the test and
// returns its URL.
func scaleUnit(t *testing.T) string {
	t.Helper()
	st, err := scaleunit.OpenSQLite(t.TempDir())
	require.NoError(t, err)
	require.NoError(t, scaleunit.Seed(ctx, st, 50, nil))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = scaleunit.New(st, nil).Serve(sctx, ln, "", "") }()
	url := "http://" + ln.Addr().String()
	scaleUnits[url] = st
	t.Cleanup(func() { cancel(); <-done; st.Close(); delete(scaleUnits, url) })
	return url
}

// TestJournalVerifyAgainstTheServer syncs a till with a real store server
// and verifies it against the head and key the server holds: a tail cut
// after the sync is found.
func TestJournalVerifyAgainstTheServer(t *testing.T) {
	url := scaleUnit(t)
	code, err := scaleunit.IssueActivationCode(ctx, scaleUnits[url], "S0001/T01", time.Hour)
	require.NoError(t, err)

	dir := soldDay(t)
	out, err := run(t, "sync", "--data", dir, "--server", url, "--code", code, "--quiet")
	require.NoError(t, err, out)
	out, err = run(t, "journal", "verify", "--data", dir, "--server")
	require.NoError(t, err, out)
	assert.Contains(t, out, "server: holds the journal up to entry 5")
	assert.Contains(t, out, "(given)", "the signatures are checked with the key the server registered")

	edit(t, dir, `DELETE FROM journal WHERE seq = 5`)
	out, err = run(t, "journal", "verify", "--data", dir)
	require.NoError(t, err, "on its own the shorter chain is consistent: %s", out)
	out, err = run(t, "journal", "verify", "--data", dir, "--server")
	require.Error(t, err, out)
	assert.Contains(t, err.Error(), "the journal ends at entry 4")
}
