package wasm

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/opentill/opentill/extensions"
	"github.com/opentill/opentill/extensions/wasm/abi"
	"github.com/opentill/opentill/pos"
)

// A package is a folder: manifest.json, the module it names and
// signature.json, the vendor's Ed25519 signature of both.
const (
	ManifestFile  = "manifest.json"
	SignatureFile = "signature.json"
	// TrustFile in a till's DATA/extensions lists the public keys whose
	// packages the till loads (base64, one a line, # comments).
	TrustFile = "trusted_keys"
	// StoreTrustFile in DATA/extensions holds the keys the store server
	// sends (its extension_keys document): trusted beside TrustFile's.
	StoreTrustFile = "trusted_keys.store"
	// DeliveredFile marks a package folder the store server delivered: the
	// till replaces or removes it when the server says; folders without it
	// were installed by hand and are left alone.
	DeliveredFile = ".delivered"
)

// Capabilities a manifest may ask for.
const (
	ReadCart     = "read_cart"     // the transaction's lines and the product a sale names
	ReadCustomer = "read_customer" // the customer on the transaction
	AddLine      = "add_line"      // ask for product sales and returns after an operation
	Prompt       = "prompt"        // ask the operator a question before an operation
	ReceiptField = "receipt_field" // add lines to receipts
)

var capabilities = []string{ReadCart, ReadCustomer, AddLine, Prompt, ReceiptField}

// Manifest describes a module: who it is, what it hooks, what it may do and
// what it may take.
type Manifest struct {
	ABI     int    `json:"abi"`
	ID      string `json:"id"`
	Name    string `json:"name"`
	Version string `json:"version"`
	Module  string `json:"module"` // file name in the package; "" = module.wasm
	Hooks   struct {
		Pre  []int `json:"pre,omitempty"`  // operations the module checks before they run
		Post []int `json:"post,omitempty"` // operations it acts after
	} `json:"hooks"`
	// OnFailure is what a failure of its pre-hook does to the operation:
	// "continue" (the default) or "cancel".
	OnFailure    string          `json:"on_failure,omitempty"`
	Capabilities []string        `json:"capabilities"`
	MemoryMB     int             `json:"memory_mb"`   // the most linear memory it may grow to; 0 = 64
	DeadlineMS   int             `json:"deadline_ms"` // the time each call may take; 0 = 50
	Config       json.RawMessage `json:"config,omitempty"`
}

// Grants reports whether the manifest grants a capability.
func (m *Manifest) Grants(c string) bool { return slices.Contains(m.Capabilities, c) }

// Validate checks a manifest; the error says what to fix.
func (m *Manifest) Validate() error {
	if m.ABI != abi.Version {
		return fmt.Errorf("abi %d: this till speaks ABI %d", m.ABI, abi.Version)
	}
	if err := extensions.ValidID(m.ID); err != nil {
		return err
	}
	if strings.TrimSpace(m.Name) == "" || strings.TrimSpace(m.Version) == "" {
		return fmt.Errorf("give the module a name and a version")
	}
	if m.Module == "" {
		m.Module = "module.wasm"
	}
	if filepath.Base(m.Module) != m.Module {
		return fmt.Errorf("module %q: name a file in the package folder", m.Module)
	}
	for _, c := range m.Capabilities {
		if !slices.Contains(capabilities, c) {
			return fmt.Errorf("capability %q is not one a till grants (%s)", c, strings.Join(capabilities, ", "))
		}
	}
	if _, err := pos.ParseFailPolicy(m.OnFailure); err != nil {
		return err
	}
	if len(m.Hooks.Pre)+len(m.Hooks.Post) == 0 && !m.Grants(ReceiptField) {
		return fmt.Errorf("the module hooks no operation and adds no receipt field: it would never run")
	}
	if m.MemoryMB == 0 {
		m.MemoryMB = 64
	}
	if m.MemoryMB < 1 || m.MemoryMB > 1024 {
		return fmt.Errorf("memory_mb %d: give 1 to 1024", m.MemoryMB)
	}
	if m.DeadlineMS == 0 {
		m.DeadlineMS = 50
	}
	if m.DeadlineMS < 1 || m.DeadlineMS > 5000 {
		return fmt.Errorf("deadline_ms %d: give 1 to 5000", m.DeadlineMS)
	}
	return nil
}

// Signature is a package's signature.json.
type Signature struct {
	Key string `json:"key"` // the vendor's public key, base64
	Sig string `json:"sig"` // Ed25519 signature of Digest, base64
}

// Digest is what a vendor signs: the SHA-256 of the manifest and of the module.
func Digest(manifest, module []byte) []byte {
	return digest(sha256.Sum256(manifest), sha256.Sum256(module))
}

func digest(m, w [sha256.Size]byte) []byte {
	d := sha256.Sum256([]byte("opentill-extension-v1\n" + hex.EncodeToString(m[:]) + "\n" + hex.EncodeToString(w[:]) + "\n"))
	return d[:]
}

// Sign writes signature.json into the package folder dir with the vendor's key.
func Sign(dir string, key ed25519.PrivateKey) error {
	man, mod, _, err := readPackage(dir)
	if err != nil {
		return err
	}
	s := Signature{Key: base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey)), Sig: base64.StdEncoding.EncodeToString(ed25519.Sign(key, Digest(man, mod)))}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, SignatureFile), append(b, '\n'), 0o644)
}

// Package is a package read from its folder whose signature was checked.
type Package struct {
	Dir      string
	Manifest Manifest
	Module   []byte
	Sum      [sha256.Size]byte // the module's SHA-256, which the signature covers
	Key      string            // the public key that signed it
}

// ErrUntrusted and ErrTampered are the typed outcomes of a package a till
// refuses for its signature.
var (
	ErrUntrusted = errors.New("signed by a key this store does not trust")
	ErrTampered  = errors.New("changed after it was signed")
)

// Trust is the set of public keys a till loads packages of.
type Trust []ed25519.PublicKey

// Trusts reports whether k (base64) is among the keys.
func (t Trust) Trusts(k string) bool {
	for _, p := range t {
		if base64.StdEncoding.EncodeToString(p) == k {
			return true
		}
	}
	return false
}

// LoadTrust reads a trusted_keys file; a missing file trusts nobody.
func LoadTrust(path string) (Trust, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return ParseTrust(b, path)
}

// ParseTrust reads the keys of a trusted_keys file's text (base64 Ed25519
// public keys, one a line, # comments); name says where it is from.
func ParseTrust(b []byte, name string) (Trust, error) {
	var t Trust
	sc := bufio.NewScanner(bytes.NewReader(b))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		k, err := base64.StdEncoding.DecodeString(line)
		if err != nil || len(k) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%s line %d: not an Ed25519 public key in base64", name, n)
		}
		t = append(t, ed25519.PublicKey(k))
	}
	return t, sc.Err()
}

// decodeManifest reads and validates a manifest.json's text.
func decodeManifest(manifest []byte) (m Manifest, err error) {
	d := json.NewDecoder(bytes.NewReader(manifest))
	d.DisallowUnknownFields()
	if err := d.Decode(&m); err != nil {
		return m, err
	}
	return m, m.Validate()
}

func readPackage(dir string) (manifest, module []byte, m Manifest, err error) {
	manifest, err = os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, nil, m, fmt.Errorf("package %s has no readable %s: %w", dir, ManifestFile, err)
	}
	if m, err = decodeManifest(manifest); err != nil {
		return nil, nil, m, fmt.Errorf("package %s: %s: %w", dir, ManifestFile, err)
	}
	module, err = os.ReadFile(filepath.Join(dir, m.Module))
	if err != nil {
		return nil, nil, m, fmt.Errorf("package %s (%s): its module: %w", dir, m.ID, err)
	}
	return manifest, module, m, nil
}

// PackageFiles reads the package folder dir's three files as a store
// server takes them in (Inspect checks them): its manifest, the module it
// names and its signature.
func PackageFiles(dir string) (manifest, module, signature []byte, err error) {
	man, mod, m, err := readPackage(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	sig, err := os.ReadFile(filepath.Join(dir, SignatureFile))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("extension %s is not signed (%s is missing): sign it with posctl ext sign first", m.ID, SignatureFile)
	}
	return man, mod, sig, nil
}

// Read reads the package in dir and checks its manifest and its signature
// against the trusted keys.
func Read(dir string, trust Trust) (*Package, error) {
	man, mod, m, err := readPackage(dir)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(dir, SignatureFile))
	if err != nil {
		return nil, fmt.Errorf("extension %s is not signed (%s is missing): only signed packages load; ask its vendor for a signed one", m.ID, SignatureFile)
	}
	sum := sha256.Sum256(mod)
	s, err := verify(m, man, sum, b)
	if err != nil {
		return nil, err
	}
	if !trust.Trusts(s.Key) {
		return nil, fmt.Errorf("extension %s is %w (%s): add the vendor's key to extensions/%s if you trust them", m.ID, ErrUntrusted, s.Key, TrustFile)
	}
	return &Package{Dir: dir, Manifest: m, Module: mod, Sum: sum, Key: s.Key}, nil
}

// verify checks that signature.json's signature, by the key it names, is
// of the manifest and module.
func verify(m Manifest, man []byte, mod [sha256.Size]byte, signature []byte) (Signature, error) {
	var s Signature
	if err := json.Unmarshal(signature, &s); err != nil {
		return s, fmt.Errorf("extension %s: %s is damaged: %w", m.ID, SignatureFile, err)
	}
	key, kerr := base64.StdEncoding.DecodeString(s.Key)
	sig, err := base64.StdEncoding.DecodeString(s.Sig)
	if kerr != nil || len(key) != ed25519.PublicKeySize || err != nil || !ed25519.Verify(ed25519.PublicKey(key), digest(sha256.Sum256(man), mod), sig) {
		return s, fmt.Errorf("extension %s was %w: its manifest or module does not match the vendor's signature; it was not loaded — reinstall the package from the vendor", m.ID, ErrTampered)
	}
	return s, nil
}

// Inspect checks a package's files as a store server takes them in: a
// valid manifest, and a signature by the key it names that matches the
// manifest and the module. Whether a till trusts that key is the till's
// to check when it loads the package.
func Inspect(manifest, module, signature []byte) (Manifest, Signature, error) {
	m, err := decodeManifest(manifest)
	if err != nil {
		return m, Signature{}, fmt.Errorf("%s: %w", ManifestFile, err)
	}
	s, err := verify(m, manifest, sha256.Sum256(module), signature)
	return m, s, err
}

// Packages lists the package folders in dir (DATA/extensions): its
// subfolders holding a manifest, sorted; hidden ones (the compilation
// cache, a package the sync engine is writing) are not packages.
func Packages(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") { // .cache, a package being installed
			continue
		}
		p := filepath.Join(dir, e.Name())
		if _, err := os.Stat(filepath.Join(p, ManifestFile)); err == nil {
			out = append(out, p)
		}
	}
	return out, nil
}
