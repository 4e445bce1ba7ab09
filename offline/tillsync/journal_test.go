package tillsync_test

import (
	"crypto/x509"
	"database/sql"
	"encoding/pem"
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
	"github.com/opentill/opentill/offline/tillsync"
	"github.com/opentill/opentill/pos/journal"
)

// tamperTill edits a till's database behind its store's back, the guard
// triggers dropped.
func tamperTill(t *testing.T, dir string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName)+"?_pragma=busy_timeout(5000)")
	require.NoError(t, err)
	defer func() { require.NoError(t, db.Close()) }()
	for _, q := range append([]string{`DROP TRIGGER IF EXISTS journal_no_update`, `DROP TRIGGER IF EXISTS journal_no_delete`}, stmts...) {
		_, err := db.Exec(q)
		require.NoError(t, err, q)
	}
}

func TestJournalGoesUpAndIsChecked(t *testing.T) {
	s := startServer(t, 50)
	tl := newTill(t, s, "T01", s.URL)
	require.NoError(t, tl.Eng.Pass(ctx))
	sell(t, tl.St, 3)
	res, err := tl.Eng.PassResult(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 3, res.Journaled)

	local, err := tl.St.JournalHead(ctx)
	require.NoError(t, err)
	h, err := s.St.JournalHead(ctx, demo.StoreID+"/T01")
	require.NoError(t, err)
	assert.Equal(t, local, apimap.JournalHeadFrom(h), "the server keeps the till's head")
	assert.Equal(t, tl.St.Signing().KeyID, h.KeyID, "the key registered at activation")

	res, err = tl.Eng.PassResult(ctx)
	require.NoError(t, err)
	assert.Zero(t, res.Journaled, "nothing twice")

	t.Run("the token is in a 0600 file, not the database", func(t *testing.T) {
		fi, err := os.Stat(filepath.Join(tl.St.Dir(), tillsync.TokenFile))
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
		var raw string
		require.NoError(t, tl.St.Setting(ctx, tillsync.SettingKey, new(map[string]any)))
		db, err := sql.Open("sqlite", "file:"+filepath.Join(tl.St.Dir(), store.FileName)+"?mode=ro")
		require.NoError(t, err)
		defer db.Close()
		require.NoError(t, db.QueryRow(`SELECT value FROM settings WHERE key = ?`, tillsync.SettingKey).Scan(&raw))
		assert.NotContains(t, raw, "token")
	})
}

func TestServerFindsTheTillsJournalTampered(t *testing.T) {
	tests := []struct {
		name    string
		tamper  func(t *testing.T, tl *till)
		message string
	}{
		{"tail dropped", func(t *testing.T, tl *till) {
			tamperTill(t, tl.St.Dir(), `DELETE FROM journal WHERE seq > (SELECT max(seq) - 2 FROM journal)`)
		}, "lost its tail"},
		{"entry rewritten", func(t *testing.T, tl *till) {
			tamperTill(t, tl.St.Dir(), `UPDATE journal SET hash = '`+journal.Genesis+`' WHERE seq = (SELECT max(seq) FROM journal)`)
		}, "was rewritten"},
		{"outbox payload replaced", func(t *testing.T, tl *till) {
			ids := sell(t, tl.St, 1)
			tamperTill(t, tl.St.Dir(), `UPDATE outbox SET payload = replace(payload, '"operator":"1001"', '"operator":"1002"') WHERE id = '`+ids[0]+`'`)
		}, "the till's outbox or journal was altered"},
		{"key replaced", func(t *testing.T, tl *till) {
			// The whole folder re-keyed: a new key file and signing record.
			k, err := journal.NewKey(nil)
			require.NoError(t, err)
			require.NoError(t, tl.Eng.Close())
			require.NoError(t, tl.St.Close())
			tamperTill(t, tl.Dir, `UPDATE settings SET value = '{"key_id":"`+k.ID()+`","public_key":"`+journal.EncodePublic(k.Public())+`","signed_from":1}' WHERE key = 'journal_signing'`)
			der, err := x509.MarshalPKCS8PrivateKey(k.Private())
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(tl.Dir, store.KeyFile), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600))
			tl.St, err = store.Open(tl.Dir)
			require.NoError(t, err)
			t.Cleanup(func() { tl.St.Close() })
			tl.Eng, err = tillsync.Open(tl.Dir, tl.St, fastOptions())
			require.NoError(t, err)
			t.Cleanup(func() { tl.Eng.Close() })
		}, "the till's key was replaced"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, 50)
			tl := newTill(t, s, "T01", s.URL)
			require.NoError(t, tl.Eng.Pass(ctx))
			sell(t, tl.St, 3)
			require.NoError(t, tl.Eng.Pass(ctx))
			tt.tamper(t, tl)
			err := tl.Eng.Pass(ctx)
			require.Error(t, err)
			assert.Equal(t, tillsync.Refused, tillsync.KindOf(err), err.Error())
			assert.Contains(t, err.Error(), tt.message)
			assert.Equal(t, tillsync.Degraded, tl.Eng.Status().State)
		})
	}
}

// TestServerRefusesARewrittenChainFromAnyClient uploads a tampered chain
// with the API client directly, bypassing the engine's own checks: the
// server finds it, refuses it and keeps the alert.
func TestServerRefusesARewrittenChainFromAnyClient(t *testing.T) {
	s := startServer(t, 50)
	tl := newTill(t, s, "T01", s.URL)
	require.NoError(t, tl.Eng.Pass(ctx))
	sell(t, tl.St, 3)
	require.NoError(t, tl.Eng.Pass(ctx))
	cfg, err := tillsync.LoadConfig(ctx, tl.St)
	require.NoError(t, err)
	c, err := tillsync.NewClient(s.URL, cfg.Token, tillsync.ClientOptions{Retries: -1})
	require.NoError(t, err)

	// The tail is cut by one entry and the till sells on: the new entry
	// takes the dropped one's number with another hash.
	tamperTill(t, tl.Dir, `DELETE FROM journal WHERE seq = (SELECT max(seq) FROM journal)`)
	sell(t, tl.St, 1)
	es, err := tl.St.JournalPage(ctx, 1, 100)
	require.NoError(t, err)
	last := es[len(es)-1]
	_, err = c.UploadJournal(ctx, api.JournalBatch{ID: api.JournalBatchID(last.KeyID, last.Seq, last.Seq), Entries: []api.JournalEntry{apimap.JournalEntryOf(last)}})
	require.Error(t, err)
	assert.Equal(t, tillsync.Refused, tillsync.KindOf(err))
	assert.Contains(t, err.Error(), "journal_mismatch")
	assert.Contains(t, err.Error(), "rewritten")
	alert, err := s.St.JournalAlert(ctx, demo.StoreID+"/T01")
	require.NoError(t, err)
	assert.Contains(t, alert, "journal entry 3")
}

// TestTillActivatedBeforeKeysRegistersItsKey: a till activated by an older
// OpenTill (no key at activation, token in its settings) registers its key
// once and uploads its journal, the unsigned prefix with its payloads.
func TestTillActivatedBeforeKeysRegistersItsKey(t *testing.T) {
	s := startServer(t, 50)
	dir := t.TempDir()
	st, err := store.Open(dir)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	// Activation as the older till did it: no key, the token in the settings.
	c, err := tillsync.NewClient(s.URL, "", tillsync.ClientOptions{})
	require.NoError(t, err)
	a, err := c.Activate(ctx, s.code(t, "T01"), "old till", nil)
	require.NoError(t, err)
	require.NoError(t, st.PutSetting(ctx, tillsync.SettingKey, map[string]string{"url": s.URL, "token": a.Token, "till_id": a.TillID,
		"store_id": a.StoreID, "terminal_id": a.TerminalID}))
	h, err := s.St.JournalHead(ctx, a.TillID)
	require.NoError(t, err)
	require.Empty(t, h.KeyID)

	eng, err := tillsync.Open(dir, st, fastOptions())
	require.NoError(t, err)
	t.Cleanup(func() { eng.Close() })
	require.NoError(t, eng.Pass(ctx))
	sell(t, st, 2)
	require.NoError(t, eng.Pass(ctx))
	h, err = s.St.JournalHead(ctx, a.TillID)
	require.NoError(t, err)
	assert.Equal(t, st.Signing().KeyID, h.KeyID, "the key was registered on the first pass")
	assert.EqualValues(t, 2, h.Seq)
	fi, err := os.Stat(filepath.Join(dir, tillsync.TokenFile))
	require.NoError(t, err, "the token moved out of the settings")
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	// Another key for the same till is refused until a new activation.
	k, err := journal.NewKey(nil)
	require.NoError(t, err)
	cfg, err := tillsync.LoadConfig(ctx, st)
	require.NoError(t, err)
	c, err = tillsync.NewClient(s.URL, cfg.Token, tillsync.ClientOptions{Retries: -1})
	require.NoError(t, err)
	_, err = c.RegisterKey(ctx, a.TillID, k.Public())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "key_conflict")
}

// TestUnsignedPrefixGoesUp: a folder of an older OpenTill, with unsigned
// entries, uploads them with their payloads (their hashes cover the
// payloads), then its signed entries.
func TestUnsignedPrefixGoesUp(t *testing.T) {
	s := startServer(t, 50)
	dir := t.TempDir()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName))
	require.NoError(t, err)
	for _, f := range []string{"0001_init.sql", "0002_sync.sql", "0003_shifts.sql"} {
		b, err := os.ReadFile(filepath.Join("..", "store", "migrations", f))
		require.NoError(t, err)
		_, err = db.Exec(string(b))
		require.NoError(t, err, f)
	}
	_, err = db.Exec(`PRAGMA user_version = 3`)
	require.NoError(t, err)
	var h journal.Head
	for i := 0; i < 3; i++ {
		e := journal.Entry{Time: t0.Add(time.Duration(i) * time.Minute), Kind: journal.Override, Operator: "1001", Approver: "2001",
			Payload: []byte(`{"operation": 104, "name": "Price override"}`)}
		journal.Seal(&e, h.Seq, h.Hash)
		h = e.Head()
		_, err := db.Exec(`INSERT INTO journal(seq, time, kind, op, txn_id, receipt_no, operator, approver, payload, prev_hash, hash) VALUES(?, ?, ?, 0, '', '', ?, ?, ?, ?, ?)`,
			e.Seq, e.Time.Format(time.RFC3339Nano), string(e.Kind), e.Operator, e.Approver, string(e.Payload), e.PrevHash, e.Hash)
		require.NoError(t, err)
	}
	require.NoError(t, db.Close())

	st, err := store.Open(dir)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	_, err = tillsync.Activate(ctx, st, s.URL, s.code(t, "T01"), "upgraded")
	require.NoError(t, err)
	eng, err := tillsync.Open(dir, st, fastOptions())
	require.NoError(t, err)
	t.Cleanup(func() { eng.Close() })
	require.NoError(t, eng.Pass(ctx))
	sell(t, st, 1)
	res, err := eng.PassResult(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, res.Journaled)
	sh, err := s.St.JournalHead(ctx, demo.StoreID+"/T01")
	require.NoError(t, err)
	assert.EqualValues(t, 4, sh.Seq)
	assert.EqualValues(t, 1, sh.Counter, "signing started after the unsigned prefix")
}
