// Package atomicfile writes small files durably and atomically: the data
// goes to a temporary file beside the target, synced, then renamed into
// place and the folder synced, so a crash leaves the old file or the new
// one, never a part.
package atomicfile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// Write replaces path with data, mode perm, atomically and durably.
func Write(path string, data []byte, perm fs.FileMode) error {
	tmp, err := WriteTemp(path, data, perm)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp) // the error is the rename's; the temporary file is garbage either way
		return fmt.Errorf("putting %s in place: %w", path, err)
	}
	return SyncDir(filepath.Dir(path))
}

// WriteTemp writes data, synced, to a new temporary file beside path (mode
// perm) and returns its name, for the caller to link or rename into place.
func WriteTemp(path string, data []byte, perm fs.FileMode) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return "", fmt.Errorf("writing %s: %w", path, err)
	}
	name := f.Name()
	fail := func(err error) (string, error) {
		_ = f.Close()       // the write's error is the one to report
		_ = os.Remove(name) // and the half-written file goes
		return "", fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil && runtime.GOOS != "windows" {
		return fail(err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(name) // see fail
		return "", fmt.Errorf("writing %s: %w", path, err)
	}
	return name, nil
}

// SyncDir makes a new or removed name in dir durable (a no-op where
// folders cannot be synced: Windows, whose rename is atomic).
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("syncing the folder %s: %w", dir, err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("syncing the folder %s: %w", dir, err)
	}
	return nil
}
