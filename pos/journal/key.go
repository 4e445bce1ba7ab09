package journal

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
)

// Key is a till's Ed25519 signing key. The till makes it at its first start
// and keeps the private half in a file of its own (never in the database);
// the public half is registered with the store server at activation.
type Key struct {
	priv ed25519.PrivateKey
	id   string
}

// NewKey makes a key from the randomness r (crypto/rand if nil).
func NewKey(r io.Reader) (*Key, error) {
	if r == nil {
		r = rand.Reader
	}
	_, priv, err := ed25519.GenerateKey(r)
	if err != nil {
		return nil, fmt.Errorf("making the journal signing key: %w", err)
	}
	return KeyFrom(priv)
}

// KeyFrom wraps an Ed25519 private key.
func KeyFrom(priv ed25519.PrivateKey) (*Key, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("an Ed25519 private key has %d bytes, not %d", ed25519.PrivateKeySize, len(priv))
	}
	pub, ok := priv.Public().(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("the private key has no Ed25519 public key")
	}
	return &Key{priv: priv, id: KeyID(pub)}, nil
}

// Public returns the public key.
func (k *Key) Public() ed25519.PublicKey {
	pub, _ := k.priv.Public().(ed25519.PublicKey) // KeyFrom checked it
	return pub
}

// Private returns the private key (to store it).
func (k *Key) Private() ed25519.PrivateKey { return k.priv }

// ID returns the key's ID (KeyID of its public key).
func (k *Key) ID() string { return k.id }

func (k *Key) sign(hash string) string {
	return base64.StdEncoding.EncodeToString(ed25519.Sign(k.priv, SigMessage(hash)))
}

// KeyID names a public key: the first 16 bytes of its SHA-256, in hex.
func KeyID(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:16])
}

// SigMessage is what an entry's signature signs: its hash, which covers
// every other field (the signature counter and the key ID included),
// behind a prefix that keeps a journal signature from meaning anything else.
func SigMessage(hash string) []byte { return []byte("opentill-journal/1\x00" + hash) }

// CheckSig reports whether sig (base64) is pub's signature of hash.
func CheckSig(pub ed25519.PublicKey, hash, sig string) bool {
	b, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || len(b) != ed25519.SignatureSize || len(pub) != ed25519.PublicKeySize {
		return false
	}
	return ed25519.Verify(pub, SigMessage(hash), b)
}

// EncodePublic returns a public key in base64, the form the API and an
// exported head carry.
func EncodePublic(pub ed25519.PublicKey) string { return base64.StdEncoding.EncodeToString(pub) }

// DecodePublic reads a base64 public key.
func DecodePublic(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%q is not a base64 Ed25519 public key (%d bytes)", s, ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(b), nil
}
