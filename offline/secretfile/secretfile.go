// Package secretfile keeps a till's secrets (its journal signing key, its
// store-server token) in files of their own inside the data folder, readable
// by the till's user only (mode 0600), so that a copy of the database holds
// no secret.
package secretfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/opentill/opentill/internal/atomicfile"
)

// Mode is the permission of a secret file.
const Mode fs.FileMode = 0o600

// ErrExists is returned by Create when the file is already there.
var ErrExists = errors.New("the file already exists")

// Create writes data to a new file at path, mode 0600, durably (written to
// a temporary file, synced, then linked into place, and the folder synced):
// if the file exists it is left alone and ErrExists is returned, so two
// processes starting at once never end up with different secrets.
func Create(path string, data []byte) error {
	tmp, err := atomicfile.WriteTemp(path, data, Mode)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // the link below is the file; the temporary name goes either way
	err = os.Link(tmp, path)
	switch {
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%s: %w", path, ErrExists)
	case err != nil:
		// A file system without hard links (FAT, some network shares):
		// create the file exclusively instead.
		if err := createExclusive(path, data); err != nil {
			return err
		}
	}
	return atomicfile.SyncDir(filepath.Dir(path))
}

func createExclusive(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, Mode)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s: %w", path, ErrExists)
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path) // a part-written secret is worse than none: the next start makes it again
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// Replace writes data to path, mode 0600, replacing any file there
// atomically: a crash leaves the old file or the new one, never a part.
func Replace(path string, data []byte) error { return atomicfile.Write(path, data, Mode) }

// Peek reads a secret file without changing it (an auditor's read-only
// copy).
func Peek(path string) ([]byte, error) { return os.ReadFile(path) }

// Read reads a secret file. A file others can read is narrowed to 0600
// first (where the system has Unix permissions).
func Read(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&^Mode != 0 {
		if err := os.Chmod(path, Mode); err != nil && !errors.Is(err, fs.ErrPermission) {
			return nil, fmt.Errorf("narrowing %s to mode 0600: %w", path, err)
		}
	}
	return os.ReadFile(path)
}
