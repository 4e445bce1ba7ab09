package staff

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id cost parameters. They are stored with every hash so
// they can be raised later without invalidating existing passwords.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	KeyLen  uint32
	SaltLen uint32
}

// DefaultParams are RFC 9106's second recommended option: 64 MiB, 3
// passes, 4 lanes (about 0.1 s a check on a 2-core machine; the figures
// and the threat they answer are in docs/security.md). Hashes made with
// the earlier 64 MiB, 1 pass, 2 lanes still verify: every hash carries
// its parameters.
var DefaultParams = Params{Memory: 64 * 1024, Time: 3, Threads: 4, KeyLen: 32, SaltLen: 16}

// FastParams are cheap parameters for demo seeding and tests.
var FastParams = Params{Memory: 8 * 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

// Limits on the parameters a stored hash may ask for, so that a damaged
// or hostile hash cannot make a sign-in take the till's memory or minutes.
const (
	maxMemory  = 1 << 20 // KiB: 1 GiB
	maxTime    = 64
	maxKeyLen  = 64
	maxSaltLen = 64
)

// PepperSize is the length of a store's PIN pepper in bytes.
const PepperSize = 32

// Pepper is a store's PIN pepper: a secret the store server derives for
// each store from the chain's PIN key and gives that store's tills at
// activation, kept on the till apart from its database. A peppered hash
// is the argon2id key of the PIN with the pepper mixed in by HMAC-SHA256,
// so it verifies only with the pepper: a copy of a database or of its
// backup alone cannot be guessed against (docs/security.md).
type Pepper []byte

// NewPepper returns a random pepper (a till seeded without a store server
// makes its own).
func NewPepper() Pepper {
	p := make(Pepper, PepperSize)
	_, _ = rand.Read(p) // crypto/rand.Read never fails: since Go 1.24 it aborts the program instead
	return p
}

// ID names the pepper in the hashes made with it (the PHC keyid
// parameter): the first 8 bytes of an HMAC of a fixed text under the
// pepper, base64. It tells which pepper a hash needs and reveals nothing
// of the pepper.
func (p Pepper) ID() string {
	m := hmac.New(sha256.New, p)
	m.Write([]byte("opentill pin pepper id"))
	return b64.EncodeToString(m.Sum(nil)[:8])
}

// Valid reports whether the pepper has the right length.
func (p Pepper) Valid() error {
	if len(p) != PepperSize {
		return fmt.Errorf("a PIN pepper has %d bytes, not %d", PepperSize, len(p))
	}
	return nil
}

// Errors of the password checks.
var (
	// ErrBadHash is returned for a stored hash that is not an argon2id PHC
	// string this package makes.
	ErrBadHash = errors.New("stored password hash is not a valid argon2id hash")
	// ErrNoPepper is returned for a peppered hash checked without a pepper.
	ErrNoPepper = errors.New("the password hash is peppered with the store's PIN pepper, and no pepper was given")
	// ErrWrongPepper is returned for a peppered hash checked with another
	// pepper than the one it was made with.
	ErrWrongPepper = errors.New("the password hash was made with another PIN pepper than the one given")
)

var b64 = base64.RawStdEncoding

// Hash is a parsed argon2id PHC string:
// $argon2id$v=19$m=65536,t=3,p=4[,keyid=ID]$<salt>$<key>. A hash with a
// keyid is peppered: its key is HMAC-SHA256(pepper, argon2id(secret)).
type Hash struct {
	Memory  uint32
	Time    uint32
	Threads uint8
	KeyID   string // the pepper's ID; "" for a hash without a pepper
	Salt    []byte
	Key     []byte
}

// Params returns the hash's cost parameters.
func (h Hash) Params() Params {
	return Params{Memory: h.Memory, Time: h.Time, Threads: h.Threads, KeyLen: uint32(len(h.Key)), SaltLen: uint32(len(h.Salt))}
}

// Peppered reports whether the hash needs a pepper to verify.
func (h Hash) Peppered() bool { return h.KeyID != "" }

// String returns the PHC string.
func (h Hash) String() string {
	var keyID string
	if h.KeyID != "" {
		keyID = ",keyid=" + h.KeyID
	}
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d%s$%s$%s", argon2.Version, h.Memory, h.Time, h.Threads, keyID,
		b64.EncodeToString(h.Salt), b64.EncodeToString(h.Key))
}

// ParseHash reads a PHC string without computing anything (cheap: a store
// checks every hash it is given with it).
func ParseHash(s string) (Hash, error) {
	var h Hash
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return h, ErrBadHash
	}
	p, err := ParseCost(parts[3], func(k, v string) bool {
		if k != "keyid" {
			return false
		}
		if id, err := b64.DecodeString(v); err != nil || len(id) == 0 || len(id) > 8 {
			return false
		}
		h.KeyID = v
		return true
	})
	if err != nil {
		return h, err
	}
	h.Memory, h.Time, h.Threads = p.Memory, p.Time, p.Threads
	if h.Salt, err = b64.DecodeString(parts[4]); err != nil || len(h.Salt) == 0 || len(h.Salt) > maxSaltLen {
		return h, ErrBadHash
	}
	if h.Key, err = b64.DecodeString(parts[5]); err != nil || len(h.Key) == 0 || len(h.Key) > maxKeyLen {
		return h, ErrBadHash
	}
	if h.Peppered() && len(h.Key) != sha256.Size {
		return h, ErrBadHash
	}
	return h, nil
}

// ParseCost reads argon2id's cost parameters "m=…,t=…,p=…", each once and
// within the limits a check accepts (ErrBadHash otherwise). A key it does
// not know goes to extra, which reports whether it is one of the caller's
// and well formed; nil takes none.
func ParseCost(list string, extra func(k, v string) bool) (Params, error) {
	var p Params
	seen := map[string]bool{}
	for _, kv := range strings.Split(list, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || seen[k] {
			return p, ErrBadHash
		}
		seen[k] = true
		var n uint64
		var err error
		switch k {
		case "m":
			n, err = strconv.ParseUint(v, 10, 32)
			p.Memory = uint32(n)
		case "t":
			n, err = strconv.ParseUint(v, 10, 32)
			p.Time = uint32(n)
		case "p":
			n, err = strconv.ParseUint(v, 10, 8)
			p.Threads = uint8(n)
		default:
			if extra == nil || !extra(k, v) {
				return p, ErrBadHash
			}
		}
		if err != nil {
			return p, ErrBadHash
		}
	}
	if !seen["m"] || !seen["t"] || !seen["p"] || p.Threads == 0 || p.Time == 0 || p.Time > maxTime ||
		p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory {
		return p, ErrBadHash
	}
	return p, nil
}

// ValidateHash reports ErrBadHash for a string that is not a hash
// CheckPassword or Check can verify.
func ValidateHash(s string) error {
	_, err := ParseHash(s)
	return err
}

// NewSalt returns n random bytes.
func NewSalt(n uint32) []byte {
	salt := make([]byte, n)
	_, _ = rand.Read(salt) // never fails, see NewPepper
	return salt
}

// Stretch returns the argon2id key of secret: the costly half of a hash,
// which the store server keeps sealed to make each store's peppered hash
// from (Peppered) without the PIN.
func Stretch(secret string, salt []byte, p Params) []byte {
	return argon2.IDKey([]byte(secret), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
}

// PepperKey mixes a pepper into a stretched key: HMAC-SHA256(pepper, key).
func PepperKey(pepper Pepper, stretched []byte) []byte {
	m := hmac.New(sha256.New, pepper)
	m.Write(stretched)
	return m.Sum(nil)
}

// Peppered returns the peppered PHC string for a key stretched with salt
// and p (Stretch): the hash a till of the pepper's store verifies.
func Peppered(stretched, salt []byte, p Params, pepper Pepper) (string, error) {
	if err := pepper.Valid(); err != nil {
		return "", err
	}
	if len(stretched) != sha256.Size {
		return "", fmt.Errorf("a peppered hash needs a %d-byte stretched key, not %d", sha256.Size, len(stretched))
	}
	return Hash{Memory: p.Memory, Time: p.Time, Threads: p.Threads, KeyID: pepper.ID(), Salt: salt, Key: PepperKey(pepper, stretched)}.String(), nil
}

// HashPassword returns the argon2id PHC string for secret, without a
// pepper: $argon2id$v=19$m=65536,t=3,p=4$<salt>$<key>.
func HashPassword(secret string, p Params) (string, error) {
	if p.KeyLen == 0 || p.SaltLen == 0 {
		return "", fmt.Errorf("argon2id parameters need a key and a salt length")
	}
	salt := NewSalt(p.SaltLen)
	return Hash{Memory: p.Memory, Time: p.Time, Threads: p.Threads, Salt: salt, Key: Stretch(secret, salt, p)}.String(), nil
}

// HashPeppered returns the peppered PHC string for secret:
// $argon2id$v=19$m=65536,t=3,p=4,keyid=<pepper ID>$<salt>$<HMAC(pepper, argon2id key)>.
func HashPeppered(secret string, pepper Pepper, p Params) (string, error) {
	p.KeyLen = sha256.Size
	if p.SaltLen == 0 {
		return "", fmt.Errorf("argon2id parameters need a salt length")
	}
	salt := NewSalt(p.SaltLen)
	return Peppered(Stretch(secret, salt, p), salt, p, pepper)
}

// CheckPassword reports whether secret matches a hash made without a
// pepper, in constant time; a peppered hash is ErrNoPepper.
func CheckPassword(secret, hash string) (bool, error) { return Check(secret, hash, nil) }

// Check reports whether secret matches the stored hash, in constant time.
// A peppered hash needs its pepper: without one it is ErrNoPepper, with
// another one ErrWrongPepper, and nothing is computed. A hash without a
// pepper verifies whatever pepper is given (hashes made before tills had
// one keep working until their PIN is set again).
func Check(secret, hash string, pepper Pepper) (bool, error) {
	h, err := ParseHash(hash)
	if err != nil {
		return false, err
	}
	p := h.Params()
	if !h.Peppered() {
		got := Stretch(secret, h.Salt, p)
		return subtle.ConstantTimeCompare(got, h.Key) == 1, nil
	}
	switch {
	case len(pepper) == 0:
		return false, ErrNoPepper
	case pepper.Valid() != nil || pepper.ID() != h.KeyID:
		return false, ErrWrongPepper
	}
	p.KeyLen = sha256.Size
	got := PepperKey(pepper, Stretch(secret, h.Salt, p))
	return hmac.Equal(got, h.Key), nil
}
