package store

import (
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"database/sql"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/opentill/opentill/offline/secretfile"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
)

// KeyFile is the till's journal signing key in its data folder: an Ed25519
// private key in PKCS #8 PEM, mode 0600. It is made at the till's first
// start and never stored in the database.
const KeyFile = "journal.key"

// keySigning is the setting that records the till's signing key.
const keySigning = "journal_signing"

// Signing records the till's journal key: written to the settings when the
// key is made, it says from which entry on the journal is signed.
type Signing struct {
	KeyID      string    `json:"key_id"`
	PublicKey  string    `json:"public_key"`  // base64 (journal.EncodePublic)
	SignedFrom int64     `json:"signed_from"` // the first entry signed with the key
	Created    time.Time `json:"created"`
}

// Public decodes the public key.
func (g Signing) Public() (ed25519.PublicKey, error) { return journal.DecodePublic(g.PublicKey) }

func encodeKey(k *journal.Key) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k.Private())
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Headers: map[string]string{"Key-ID": k.ID()}, Bytes: der}), nil
}

func decodeKey(b []byte) (*journal.Key, error) {
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, errors.New("not a PEM private key")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, err
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("a %T, not an Ed25519 key", k)
	}
	return journal.KeyFrom(priv)
}

// loadKey reads the key file of the data folder dir (peek: without
// narrowing its mode, for a read-only folder).
func loadKey(dir string, peek bool) (*journal.Key, error) {
	read := secretfile.Read
	if peek {
		read = secretfile.Peek
	}
	b, err := read(filepath.Join(dir, KeyFile))
	if err != nil {
		return nil, err
	}
	k, err := decodeKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, KeyFile), err)
	}
	return k, nil
}

// readSigning reads the signing record (ok false if there is none).
func readSigning(ctx context.Context, db *sql.DB) (g Signing, ok bool, err error) {
	var raw string
	err = db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, keySigning).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return g, false, nil
	}
	if err != nil {
		return g, false, err
	}
	if err := json.Unmarshal([]byte(raw), &g); err != nil {
		return g, false, fmt.Errorf("setting %s: %w", keySigning, err)
	}
	return g, true, nil
}

// setUpKey loads the till's signing key, making it (and recording it in the
// settings) at the first start: entries from the head on are signed, those
// before are the unsigned prefix of a folder written by an older OpenTill.
// A missing or different key file for a journal already signed is refused:
// signing on with another key would break the chain.
func (s *Store) setUpKey(ctx context.Context) error {
	dir := filepath.Dir(s.path)
	path := filepath.Join(dir, KeyFile)
	g, have, err := readSigning(ctx, s.w)
	if err != nil {
		return poserr.Wrap(err, poserr.Storage, "error.storage.key_read", "reading the journal signing record of %s", s.path)
	}
	var signed bool // has an entry been signed with the recorded key?
	if have {
		if err := s.w.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM journal WHERE key_id = ?)`, g.KeyID).Scan(&signed); err != nil {
			return poserr.Wrap(err, poserr.Storage, "error.storage.key_read", "reading the journal of %s", s.path)
		}
	}
	k, err := loadKey(dir, false)
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrNotExist) && signed:
		return poserr.E(poserr.Storage, "error.storage.key_missing",
			"the journal signing key %s is missing, but the journal is signed with key %s since entry %d: put the till's journal.key back from its backup (a new key would break the chain); nothing was changed",
			path, g.KeyID, g.SignedFrom)
	case errors.Is(err, fs.ErrNotExist):
		// A first start, or a key lost before it signed anything (a copy of
		// the database alone): nothing depends on it, make one.
		if k, err = journal.NewKey(nil); err != nil {
			return poserr.Wrap(err, poserr.Storage, "error.storage.key_read", "making the journal signing key")
		}
		b, err := encodeKey(k)
		if err != nil {
			return poserr.Wrap(err, poserr.Storage, "error.storage.key_read", "encoding the journal signing key")
		}
		if err := secretfile.Create(path, b); errors.Is(err, secretfile.ErrExists) {
			// Another process made it first: use that one.
			if k, err = loadKey(dir, false); err != nil {
				return poserr.Wrap(err, poserr.Storage, "error.storage.key_read", "reading the journal signing key %s", path)
			}
		} else if err != nil {
			return poserr.Wrap(err, poserr.Storage, "error.storage.key_read", "saving the journal signing key %s (is the data folder writable?)", path)
		}
	default:
		return poserr.Wrap(err, poserr.Storage, "error.storage.key_read",
			"reading the journal signing key %s (it must be the till's own PKCS #8 Ed25519 key, readable by the till's user)", path)
	}
	if have && g.KeyID != k.ID() {
		if signed {
			return poserr.E(poserr.Storage, "error.storage.key_mismatch",
				"the journal signing key %s is key %s, but the journal is signed with key %s: put the till's own journal.key back; nothing was changed",
				path, k.ID(), g.KeyID)
		}
		// The recorded key signed nothing: record this one instead.
		if _, err := s.w.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, keySigning); err != nil {
			return poserr.Wrap(err, poserr.Storage, "error.storage.key_read", "replacing the unused journal key record of %s", s.path)
		}
		have = false
	}
	if !have {
		var head int64
		if err := s.w.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM journal`).Scan(&head); err != nil {
			return poserr.Wrap(err, poserr.Storage, "error.storage.key_read", "reading the journal head of %s", s.path)
		}
		g = Signing{KeyID: k.ID(), PublicKey: journal.EncodePublic(k.Public()), SignedFrom: head + 1, Created: time.Now().UTC()}
		b, err := json.Marshal(g)
		if err != nil {
			return poserr.Wrap(err, poserr.Storage, "error.storage.key_read", "recording the journal signing key")
		}
		// Only if no other process recorded one meanwhile (it would have
		// used the same key file).
		if _, err := s.w.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO NOTHING`, keySigning, string(b)); err != nil {
			return poserr.Wrap(err, poserr.Storage, "error.storage.key_read", "recording the journal signing key in %s", s.path)
		}
		if g, _, err = readSigning(ctx, s.w); err != nil {
			return poserr.Wrap(err, poserr.Storage, "error.storage.key_read", "reading the journal signing record of %s", s.path)
		}
	}
	s.key, s.signing = k, g
	return nil
}

// Dir returns the data folder.
func (s *Store) Dir() string { return filepath.Dir(s.path) }

// Signing returns the record of the till's signing key (the zero value in
// a read-only folder written before signing).
func (s *Store) Signing() Signing { return s.signing }

// PublicKey returns the till's journal public key (nil if the folder has
// none recorded).
func (s *Store) PublicKey() ed25519.PublicKey {
	pub, err := s.signing.Public()
	if err != nil {
		return nil
	}
	return pub
}

// JournalHead returns the head of the journal (the zero Head when empty).
func (s *Store) JournalHead(ctx context.Context) (journal.Head, error) {
	var h journal.Head
	err := s.r.QueryRowContext(ctx, `SELECT seq, hash, `+s.sigCols()+` FROM journal ORDER BY seq DESC LIMIT 1`).
		Scan(&h.Seq, &h.Hash, &h.KeyID, &h.Counter, new(string))
	if errors.Is(err, sql.ErrNoRows) {
		return journal.Head{}, nil
	}
	return h, readErr(err, "reading the journal head")
}

// JournalPage returns up to limit journal entries from sequence from on, in
// order (the sync engine uploads them).
func (s *Store) JournalPage(ctx context.Context, from int64, limit int) ([]journal.Entry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+s.journalCols()+` FROM journal WHERE seq >= ? ORDER BY seq LIMIT ?`, from, limit)
	if err != nil {
		return nil, readErr(err, "reading the journal from entry %d", from)
	}
	defer rows.Close()
	var out []journal.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, readErr(err, "reading the journal from entry %d", from)
		}
		out = append(out, e)
	}
	return out, readErr(rows.Err(), "reading the journal from entry %d", from)
}
