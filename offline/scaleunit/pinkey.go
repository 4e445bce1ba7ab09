package scaleunit

// The chain's PIN key (SQLite schema 14, PostgreSQL migration 12): a
// secret the server keeps outside its database (PINKeyFile), which makes
// the PIN hashes the tills check offline worthless without it
// (docs/security.md).
//
//   - Each store's pepper is HMAC-SHA256(key, "opentill pin pepper v1\x00" +
//     store ID). A till gets its store's at activation and at every
//     check-in, and keeps it beside its database (offline/store.PepperFile).
//   - When an operator's PIN is set the server stretches it once (argon2id,
//     staff.DefaultParams) and keeps the stretched key sealed with
//     AES-256-GCM under a key derived from the PIN key, in the operator's
//     change of the staff feed. Nothing in the database can be guessed
//     against without the PIN key.
//   - The staff feed gives a till of store S the operator's hash for S:
//     HMAC-SHA256(pepper_S, stretched key), in argon2id PHC form with the
//     pepper's keyid (staff.Peppered). A hash of store A does not verify
//     with store B's pepper, and a store added later gets its hashes without
//     anyone typing the PINs again.
//   - The database records a check value of the key (pin_key): a server
//     process with another key, or with none while the database has one, is
//     refused before it serves anything.

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/opentill/opentill/internal/atomicfile"
	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/secretfile"
	"github.com/opentill/opentill/pos/staff"
)

// PINKeyFile is the chain's PIN key in a SQLite data folder: 32 random
// bytes in base64, mode 0600, made at the first start.
const PINKeyFile = "pin.key"

// EnvPINKey names the PIN key file when no --pin-key is given: a
// PostgreSQL database has no data folder, so one of them is needed there.
const EnvPINKey = "SCALEUNIT_PIN_KEY"

// ErrPINKey is wrapped by the errors of a PIN key that is missing, damaged
// or not the database's.
var ErrPINKey = errors.New("the chain's PIN key is missing or is not the database's")

var pinKeySchema = []string{
	`CREATE TABLE IF NOT EXISTS pin_key (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    check_value TEXT NOT NULL,
    created     TEXT NOT NULL)`,
}

// pinKey is the chain's PIN key and what is derived from it.
type pinKey struct {
	check string      // hex HMAC-SHA256(key, "opentill pin key check v1"): kept in the database
	path  string      // the file it came from
	key   []byte      // the key itself
	aead  cipher.AEAD // seals the stretched PIN keys
}

func derive(key []byte, label string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(label))
	return m.Sum(nil)
}

func newPINKey(key []byte, path string) (*pinKey, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("a PIN key has 32 bytes, not %d", len(key))
	}
	block, err := aes.NewCipher(derive(key, "opentill pin seal v1"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &pinKey{check: hex.EncodeToString(derive(key, "opentill pin key check v1")), path: path, key: key, aead: aead}, nil
}

// id is the short name of the key in messages and sealed hashes.
func (k *pinKey) id() string { return k.check[:16] }

// shortCheck names a recorded check value as id does.
func shortCheck(check string) string { return check[:min(16, len(check))] }

// pepper returns a store's PIN pepper.
func (k *pinKey) pepper(storeID string) staff.Pepper {
	return derive(k.key, "opentill pin pepper v1\x00"+storeID)
}

// sealedPrefix starts the form the server keeps an operator's PIN in:
// $opentill-sealed$v=1$m=65536,t=3,p=4,key=<key id>$<salt>$<nonce and sealed stretched key>.
const sealedPrefix = "$opentill-sealed$v=1$"

// isSealed tells a PIN the server keeps sealed from a hash a till checks.
func isSealed(hash string) bool { return strings.HasPrefix(hash, sealedPrefix) }

// aad binds a sealed key to its operator: moved to another one it does not
// open.
func aad(operatorID string) []byte { return []byte("opentill operator\x00" + operatorID) }

// seal stretches pin (argon2id with p) and seals the stretched key for the
// operator.
func (k *pinKey) seal(operatorID, pin string, p staff.Params) (string, error) {
	p.KeyLen = sha256.Size
	if p.SaltLen == 0 || p.Time == 0 || p.Threads == 0 || p.Memory < 8*uint32(p.Threads) {
		return "", fmt.Errorf("argon2id parameters m=%d,t=%d,p=%d with a %d-byte salt cannot hash a PIN", p.Memory, p.Time, p.Threads, p.SaltLen)
	}
	salt := staff.NewSalt(p.SaltLen)
	return k.sealStretched(operatorID, staff.Stretch(pin, salt, p), salt, p), nil
}

// sealStretched seals a stretched key for the operator.
func (k *pinKey) sealStretched(operatorID string, stretched, salt []byte, p staff.Params) string {
	nonce := make([]byte, k.aead.NonceSize())
	_, _ = rand.Read(nonce) // never fails, see NewSecret
	box := k.aead.Seal(nonce, nonce, stretched, aad(operatorID))
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("%sm=%d,t=%d,p=%d,key=%s$%s$%s", sealedPrefix, p.Memory, p.Time, p.Threads, k.id(),
		b64.EncodeToString(salt), b64.EncodeToString(box))
}

// unseal opens an operator's sealed PIN: the stretched key, its salt and
// parameters.
func (k *pinKey) unseal(operatorID, sealed string) (stretched, salt []byte, p staff.Params, err error) {
	bad := func(why string) ([]byte, []byte, staff.Params, error) {
		return nil, nil, p, fmt.Errorf("the sealed PIN of operator %s %s", operatorID, why)
	}
	rest, ok := strings.CutPrefix(sealed, sealedPrefix)
	parts := strings.Split(rest, "$")
	if !ok || len(parts) != 3 {
		return bad("is not in the server's form")
	}
	var key string
	if p, err = staff.ParseCost(parts[0], func(name, v string) bool {
		if name != "key" || key != "" {
			return false
		}
		key = v
		return true
	}); err != nil {
		return bad("has damaged parameters")
	}
	if key != k.id() {
		return bad(fmt.Sprintf("was sealed with PIN key %s, not with this server's %s", key, k.id()))
	}
	b64 := base64.RawStdEncoding
	if salt, err = b64.DecodeString(parts[1]); err != nil || len(salt) == 0 {
		return bad("has a damaged salt")
	}
	box, err := b64.DecodeString(parts[2])
	if err != nil || len(box) < k.aead.NonceSize() {
		return bad("is damaged")
	}
	if stretched, err = k.aead.Open(nil, box[:k.aead.NonceSize()], box[k.aead.NonceSize():], aad(operatorID)); err != nil {
		return bad("does not open with this server's PIN key (damaged, or another operator's)")
	}
	p.KeyLen, p.SaltLen = uint32(len(stretched)), uint32(len(salt))
	return stretched, salt, p, nil
}

// tillHash returns the hash a till of storeID checks the operator's PIN
// with.
func (k *pinKey) tillHash(storeID, operatorID, sealed string) (string, error) {
	stretched, salt, p, err := k.unseal(operatorID, sealed)
	if err != nil {
		return "", err
	}
	return staff.Peppered(stretched, salt, p, k.pepper(storeID))
}

// readPINKey reads a PIN key file.
func readPINKey(path string) (*pinKey, error) {
	b, err := secretfile.Read(path)
	if err != nil {
		return nil, err
	}
	raw, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(b)))
	if err == nil {
		var k *pinKey
		if k, err = newPINKey(raw, path); err == nil {
			return k, nil
		}
	}
	return nil, fmt.Errorf("%s is not a PIN key (32 bytes in base64, as the scale unit makes it): %v: put the chain's own PIN key file there: %w", path, err, ErrPINKey)
}

// pinCheck reads the check value of the key the database's PINs are made
// with ("" before the first key).
func (s *DB) pinCheck(ctx context.Context) (string, error) {
	var check string
	err := s.w.QueryRowContext(ctx, `SELECT check_value FROM pin_key WHERE id = 1`).Scan(&check)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return check, err
}

// pinKey returns the chain's PIN key, loading it at the first call: from
// the file the storage was opened with, made there if neither the file nor
// the database has one yet, and refused if it is not the key the database
// records.
func (s *DB) pinKey(ctx context.Context) (*pinKey, error) {
	s.pinMu.Lock()
	defer s.pinMu.Unlock()
	if s.pin != nil {
		return s.pin, nil
	}
	check, err := s.pinCheck(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the PIN key record of %s: %w", s.where, err)
	}
	path := s.pinPath
	if path == "" {
		if check != "" {
			return nil, fmt.Errorf("the scale unit's database %s holds PINs made with the chain's PIN key %s, but this process was given no PIN key file: give it with --pin-key FILE or %s=FILE (the same file on every server process of the chain): %w",
				s.where, shortCheck(check), EnvPINKey, ErrPINKey)
		}
		return nil, fmt.Errorf("no PIN key file was given for the scale unit's database %s (on PostgreSQL there is no data folder to keep it in): give one with --pin-key FILE or %s=FILE; it is made there at the first start, and every other server process of the chain needs a copy: %w",
			s.where, EnvPINKey, ErrPINKey)
	}
	k, err := readPINKey(path)
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrNotExist) && check != "":
		return nil, fmt.Errorf("the PIN key file %s is missing, but %s records PIN key %s, which its PINs and its tills' peppers come from: put the key file back from the backup, or copy it from another server process of the chain (a key lost for good: scaleunit admin pin-key rotate --drop-pins, and every operator needs a new PIN); nothing was changed: %w",
			path, s.where, shortCheck(check), ErrPINKey)
	case errors.Is(err, fs.ErrNotExist):
		// The first start: make the key.
		raw := make([]byte, 32)
		_, _ = rand.Read(raw) // never fails, see NewSecret
		if k, err = newPINKey(raw, path); err != nil {
			return nil, err
		}
		err := secretfile.Create(path, []byte(base64.StdEncoding.EncodeToString(raw)+"\n"))
		if errors.Is(err, secretfile.ErrExists) {
			// Another process made it first: use that one.
			k, err = readPINKey(path)
		}
		if err != nil {
			return nil, fmt.Errorf("making the chain's PIN key %s (is its folder writable?): %w", path, err)
		}
	case errors.Is(err, ErrPINKey):
		return nil, err
	default:
		return nil, fmt.Errorf("reading the chain's PIN key %s (it must be readable by the scale unit's user): %w", path, err)
	}
	if check == "" {
		// Record the key; if another process recorded one meanwhile, its
		// record stands and is compared below.
		if _, err := s.w.ExecContext(ctx, `INSERT INTO pin_key(id, check_value, created) VALUES(1, ?, ?) ON CONFLICT(id) DO NOTHING`, k.check, now()); err != nil {
			return nil, fmt.Errorf("recording the PIN key in %s: %w", s.where, err)
		}
		if check, err = s.pinCheck(ctx); err != nil {
			return nil, fmt.Errorf("reading the PIN key record of %s: %w", s.where, err)
		}
	}
	if !hmac.Equal([]byte(check), []byte(k.check)) {
		if nk, err := readPINKey(path + newKeySuffix); err == nil && hmac.Equal([]byte(check), []byte(nk.check)) {
			return nil, fmt.Errorf("the PIN key file %s holds key %s, but %s records key %s, which is in %s: a rotation of the key was interrupted; move %s to %s (and copy it to every server process of the chain); nothing was changed: %w",
				path, k.id(), s.where, nk.id(), path+newKeySuffix, path+newKeySuffix, path, ErrPINKey)
		}
		return nil, fmt.Errorf("the PIN key file %s holds key %s, but %s records key %s, which its PINs and its tills' peppers come from: give every server process of the chain the same key file (copy it from the first one); nothing was changed: %w",
			path, k.id(), s.where, shortCheck(check), ErrPINKey)
	}
	s.pin = k
	return k, nil
}

// PINKeyID loads the chain's PIN key (see the package comment at the top
// of pinkey.go) and returns its ID, which every server process of the
// chain shows the same: a server checks it before it serves.
func (s *DB) PINKeyID(ctx context.Context) (string, error) {
	k, err := s.pinKey(ctx)
	if err != nil {
		return "", err
	}
	return k.id(), nil
}

// PINKeyPath returns the file the PIN key is read from ("" if none was
// given).
func (s *DB) PINKeyPath() string { return s.pinPath }

// PINPepper implements Storage.
func (s *DB) PINPepper(ctx context.Context, storeID string) (staff.Pepper, error) {
	if storeID == "" {
		return nil, fmt.Errorf("a PIN pepper is a store's: no store given")
	}
	k, err := s.pinKey(ctx)
	if err != nil {
		return nil, err
	}
	return k.pepper(storeID), nil
}

// PutOperatorPIN implements Storage.
func (s *DB) PutOperatorPIN(ctx context.Context, o staff.Operator, pin string, p staff.Params) error {
	if err := checkOperator(o); err != nil {
		return err
	}
	if err := CheckPIN(pin); err != nil {
		return fmt.Errorf("operator %s: %w", o.ID, err)
	}
	k, err := s.pinKey(ctx)
	if err != nil {
		return err
	}
	if o.PasswordHash, err = k.seal(o.ID, pin, p); err != nil {
		return fmt.Errorf("operator %s: %w", o.ID, err)
	}
	return s.PutOperator(ctx, o)
}

// checkOperatorHash refuses a hash the staff feed cannot give the tills:
// one that is neither a sealed PIN of this chain's key nor an argon2id
// hash without a pepper.
// CheckPIN refuses a PIN too short or too long to set (ErrInvalid):
// scaleunit staff add|set --pin and the admin API's operators check with it.
func CheckPIN(pin string) error {
	switch {
	case len(strings.TrimSpace(pin)) < MinPIN:
		return fmt.Errorf("a PIN needs at least %d characters (6 digits or a password resist a stolen till far longer: docs/security.md): %w", MinPIN, ErrInvalid)
	case len(pin) > MaxPIN:
		return fmt.Errorf("a PIN or password has at most %d characters: %w", MaxPIN, ErrInvalid)
	}
	return nil
}

// MinPIN and MaxPIN bound a PIN's or password's length.
const (
	MinPIN = 4
	MaxPIN = 128
)

func (s *DB) checkOperatorHash(ctx context.Context, o staff.Operator) error {
	if isSealed(o.PasswordHash) {
		k, err := s.pinKey(ctx)
		if err != nil {
			return err
		}
		if _, _, _, err := k.unseal(o.ID, o.PasswordHash); err != nil {
			return fmt.Errorf("%v: set the PIN again (scaleunit staff set --id %s --pin …): %w", err, o.ID, ErrInvalid)
		}
		return nil
	}
	h, err := staff.ParseHash(o.PasswordHash)
	if err != nil {
		return fmt.Errorf("operator %s: the password must be an argon2id hash (staff.HashPassword) or set as a PIN (scaleunit staff add --pin): %w", o.ID, ErrInvalid)
	}
	if h.Peppered() {
		return fmt.Errorf("operator %s: a peppered hash belongs to one store's tills; the server makes each store's from the PIN itself (scaleunit staff add --pin): %w", o.ID, ErrInvalid)
	}
	return nil
}

// tillChange gives a till of storeID the operator of a staff change with
// the hash for its store (a sealed PIN becomes the store's peppered hash;
// an unpeppered hash goes as it is).
func (s *DB) tillChange(ctx context.Context, storeID string, c *api.Change) error {
	if c.Operator == nil || !isSealed(c.Operator.PasswordHash) {
		return nil
	}
	if storeID == "" {
		return fmt.Errorf("the staff feed is a store's: no store given")
	}
	k, err := s.pinKey(ctx)
	if err != nil {
		return err
	}
	o := *c.Operator
	if o.PasswordHash, err = k.tillHash(storeID, o.ID, o.PasswordHash); err != nil {
		return err
	}
	c.Operator = &o
	return nil
}

// Operator implements Storage.
func (s *DB) Operator(ctx context.Context, id string) (staff.Operator, error) {
	var raw []byte
	err := s.r.QueryRowContext(ctx, `SELECT payload FROM changes WHERE dataset = ? AND key = ? AND deleted = 0 ORDER BY seq DESC LIMIT 1`,
		api.DatasetStaff, "operator:"+id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return staff.Operator{}, fmt.Errorf("operator %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return staff.Operator{}, err
	}
	var c api.Change
	if err := json.Unmarshal(raw, &c); err != nil || c.Operator == nil {
		return staff.Operator{}, fmt.Errorf("the staff change of operator %s is unreadable: %v", id, err)
	}
	return apimap.OperatorFrom(*c.Operator), nil
}

// pinKeyPath is where a storage opened with o on a data folder dir ("" on
// PostgreSQL) reads its PIN key.
func pinKeyPath(o Options, dir string) string {
	switch {
	case o.PINKeyFile != "":
		return o.PINKeyFile
	case os.Getenv(EnvPINKey) != "":
		return os.Getenv(EnvPINKey)
	case dir != "":
		return filepath.Join(dir, PINKeyFile)
	}
	return ""
}

// newKeySuffix names the file a rotation writes the new key to before the
// database records it.
const newKeySuffix = ".new"

// Rotation is what RotatePINKey did.
type Rotation struct {
	From, To string           // the old key's ID ("" if it was not read) and the new one's
	Resealed int              // operators whose PINs were sealed again under the new key
	Dropped  []staff.Operator // operators whose PINs were dropped (deleted from the staff feed)
}

// RotatePINKey replaces the chain's PIN key with a new random one, written
// to the key file this storage reads, and gives every till a new pepper at
// its next check-in. Without dropPINs every sealed PIN is sealed again
// under the new key (the old key must be at hand) and republished, so the
// tills get their new hashes with their new peppers and nobody types a PIN.
// With dropPINs the old key is not needed: every operator with a sealed PIN
// is deleted from the staff feed and listed, to be added again with a new
// PIN (a key lost for good, or leaked together with the database).
// Operators with hashes from before peppers are left as they are. Every
// other server process of the chain must be stopped first and given the
// new key file before it starts again (docs/security.md).
func (s *DB) RotatePINKey(ctx context.Context, dropPINs bool) (Rotation, error) {
	var r Rotation
	path := s.pinPath
	if path == "" {
		_, err := s.pinKey(ctx) // says how to name the file
		return r, err
	}
	var old *pinKey
	if !dropPINs {
		var err error
		if old, err = s.pinKey(ctx); err != nil {
			return r, fmt.Errorf("%w (to replace a lost key, rotate with --drop-pins)", err)
		}
		r.From = old.id()
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw) // never fails, see NewSecret
	nk, err := newPINKey(raw, path)
	if err != nil {
		return r, err
	}
	r.To = nk.id()
	// The new key is on disk before the database records it: a crash in
	// between leaves the old key recorded and working.
	if err := secretfile.Replace(path+newKeySuffix, []byte(base64.StdEncoding.EncodeToString(raw)+"\n")); err != nil {
		return r, fmt.Errorf("writing the new PIN key %s%s (is its folder writable?): %w", path, newKeySuffix, err)
	}
	err = s.tx(ctx, func(tx *sqlTx) error {
		r.Resealed, r.Dropped = 0, nil
		rows, err := tx.QueryContext(ctx, `SELECT store_id, key, payload FROM changes WHERE dataset = ? AND deleted = 0 ORDER BY seq`, api.DatasetStaff)
		if err != nil {
			return err
		}
		type row struct {
			store, key string
			c          api.Change
		}
		var sealed []row
		for rows.Next() {
			var rw row
			var raw []byte
			if err := rows.Scan(&rw.store, &rw.key, &raw); err != nil {
				rows.Close()
				return err
			}
			if err := json.Unmarshal(raw, &rw.c); err != nil {
				rows.Close()
				return fmt.Errorf("the staff change %s is unreadable: %w", rw.key, err)
			}
			if rw.c.Operator != nil && isSealed(rw.c.Operator.PasswordHash) {
				sealed = append(sealed, rw)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		dropped := map[string]bool{}
		for _, rw := range sealed {
			o := *rw.c.Operator
			if dropPINs {
				if err := change(ctx, tx, api.DatasetStaff, rw.store, rw.key, true, api.Change{Key: rw.key, Deleted: true}); err != nil {
					return err
				}
				if !dropped[o.ID] { // an operator of several stores has a change for each
					dropped[o.ID] = true
					r.Dropped = append(r.Dropped, apimap.OperatorFrom(o))
				}
				continue
			}
			stretched, salt, p, err := old.unseal(o.ID, o.PasswordHash)
			if err != nil {
				return fmt.Errorf("%v: nothing was changed; rotate with --drop-pins to drop the PINs that cannot be opened", err)
			}
			o.PasswordHash = nk.sealStretched(o.ID, stretched, salt, p)
			if err := change(ctx, tx, api.DatasetStaff, rw.store, rw.key, false, api.Change{Key: rw.key, Operator: &o}); err != nil {
				return err
			}
			r.Resealed++
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO pin_key(id, check_value, created) VALUES(1, ?, ?)
			ON CONFLICT(id) DO UPDATE SET check_value = excluded.check_value, created = excluded.created`, nk.check, now())
		return err
	})
	if err != nil {
		return r, fmt.Errorf("rotating the PIN key of %s (the old key stays; %s%s can go): %w", s.where, path, newKeySuffix, err)
	}
	s.pinMu.Lock()
	s.pin = nk
	s.pinMu.Unlock()
	if err := os.Rename(path+newKeySuffix, path); err != nil {
		return r, fmt.Errorf("%s now records PIN key %s, which is in %s%s: move that file to %s by hand: %w", s.where, nk.id(), path, newKeySuffix, path, err)
	}
	if err := atomicfile.SyncDir(filepath.Dir(path)); err != nil {
		return r, fmt.Errorf("the new PIN key %s is in place, but its folder could not be synced: %w", path, err)
	}
	return r, nil
}
