package tillsync

// Extension packages from the store server (docs/extensions.md): the
// config feed names them; after each pull the engine writes those it
// lacks into DATA/extensions, each module checked against its SHA-256,
// removes the ones withdrawn, and keeps the store's trusted keys beside
// the till's own. The till loads them (checking each signature against
// those keys) from its next start. Nothing of it fails a pass: a package
// that cannot be fetched is asked for again at the next.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/opentill/opentill/extensions/wasm"
	"github.com/opentill/opentill/offline/api"
)

// extensionsCount is the Result.Pulled entry of the extension packages
// installed or removed.
const extensionsCount = "extensions"

// delivered is a delivered package's marker file: what it was written from.
type delivered struct {
	Version string `json:"version"`
	Module  string `json:"module"`
	Digest  string `json:"digest"` // of manifest and signature
}

func digestOf(p api.ExtensionPackage) string {
	sum := sha256.Sum256([]byte(p.Manifest + "\x00" + p.Signature))
	return hex.EncodeToString(sum[:])
}

// installExtensions brings DATA/extensions in line with the packages the
// server sent; it returns how many it installed, replaced or removed.
func (e *Engine) installExtensions(ctx context.Context, c *Client) int {
	pkgs, keys, err := e.st.DeliveredExtensions(ctx)
	if err != nil {
		e.log.Warn("reading the extension packages the server sent", "error", err)
		return 0
	}
	dir := filepath.Join(e.dir, "extensions")
	n := 0
	if keys != "" || fileExists(filepath.Join(dir, wasm.StoreTrustFile)) {
		if err := writeIfChanged(filepath.Join(dir, wasm.StoreTrustFile), []byte(keys)); err != nil {
			e.log.Warn("keeping the store's trusted extension keys", "error", err)
		}
	}
	want := map[string]bool{}
	for _, p := range pkgs {
		want[p.ID] = true
		if err := p.Check(); err != nil { // the feed was validated; a stored one may be old
			e.log.Warn("extension package not installed", "error", err)
			continue
		}
		target := filepath.Join(dir, p.ID)
		have, local := readDelivered(target)
		if local {
			e.log.Warn("extension installed by hand kept; the store server's package of the same ID is not installed", "extension", p.ID)
			continue
		}
		if have != nil && have.Module == p.Module && have.Digest == digestOf(p) {
			continue
		}
		mod, err := c.ExtensionModule(ctx, p.Module)
		if err == nil {
			err = installPackage(dir, p, mod)
		}
		if err != nil {
			e.log.Warn("extension package not installed; the next sync tries again", "extension", p.ID, "error", err)
			if KindOf(err) == Unreachable {
				break
			}
			continue
		}
		e.log.Info("extension package installed; it loads from the next start", "extension", p.ID, "version", p.Version)
		n++
	}
	ents, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		e.log.Warn("listing the extension packages", "error", err)
	}
	for _, ent := range ents {
		if !ent.IsDir() || want[ent.Name()] {
			continue
		}
		p := filepath.Join(dir, ent.Name())
		if have, _ := readDelivered(p); have == nil {
			continue // installed by hand, or not a package
		}
		if err := os.RemoveAll(p); err != nil {
			e.log.Warn("removing a withdrawn extension package", "extension", ent.Name(), "error", err)
			continue
		}
		e.log.Info("extension package withdrawn by the store server; it is gone from the next start", "extension", ent.Name())
		n++
	}
	return n
}

// readDelivered reads a package folder's marker: nil and local when the
// folder holds a package installed by hand, nil and false when there is
// no folder.
func readDelivered(dir string) (*delivered, bool) {
	b, err := os.ReadFile(filepath.Join(dir, wasm.DeliveredFile))
	if err != nil {
		return nil, fileExists(filepath.Join(dir, wasm.ManifestFile))
	}
	var d delivered
	if json.Unmarshal(b, &d) != nil {
		return &delivered{}, false // damaged marker: ours, to be rewritten
	}
	return &d, false
}

// installPackage writes a package into dir/ID: into a fresh folder first,
// then swapped in, so a till never finds half a package.
func installPackage(dir string, p api.ExtensionPackage, module []byte) error {
	sum := sha256.Sum256(module)
	if hex.EncodeToString(sum[:]) != p.Module || int64(len(module)) != p.Size {
		return fmt.Errorf("the module the server sent is not the one its feed names (SHA-256 %s)", p.Module)
	}
	var m struct {
		Module string `json:"module"`
	}
	if err := json.Unmarshal([]byte(p.Manifest), &m); err != nil {
		return fmt.Errorf("the package's manifest is unreadable: %w", err)
	}
	name := m.Module
	if name == "" {
		name = "module.wasm"
	}
	if name != filepath.Base(name) || name == "." || name == ".." || name == wasm.ManifestFile || name == wasm.SignatureFile || name == wasm.DeliveredFile {
		return fmt.Errorf("the package's module file name %q is not a plain file name", m.Module)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(dir, ".incoming-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // gone once renamed; what is left of a failure
	mark, err := json.Marshal(delivered{Version: p.Version, Module: p.Module, Digest: digestOf(p)})
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{wasm.ManifestFile, []byte(p.Manifest)}, {name, module}, {wasm.SignatureFile, []byte(p.Signature)}, {wasm.DeliveredFile, mark}} {
		if err := writeSynced(filepath.Join(tmp, f.name), f.data); err != nil {
			return err
		}
	}
	target := filepath.Join(dir, p.ID)
	old := ""
	if fileExists(target) {
		old = filepath.Join(dir, ".old-"+p.ID)
		_ = os.RemoveAll(old) // a leftover of an interrupted swap
		if err := os.Rename(target, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		if old != "" {
			_ = os.Rename(old, target) // put the one it had back; the rename's error is the one to report
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// writeIfChanged replaces the file at p with data, unless it holds that.
func writeIfChanged(p string, data []byte) error {
	if b, err := os.ReadFile(p); err == nil && bytes.Equal(b, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp := p + ".tmp"
	if err := writeSynced(tmp, data); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}

// writeSynced writes a file and flushes it to the disk.
func writeSynced(p string, data []byte) error {
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
