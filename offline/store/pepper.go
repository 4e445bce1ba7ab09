package store

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io/fs"
	"path/filepath"

	"github.com/opentill/opentill/offline/secretfile"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/staff"
)

// PepperFile is the store's PIN pepper in the till's data folder: one line
// of base64, mode 0600. The store server gives it at activation and at
// check-ins (offline/tillsync); a till seeded without a server makes its
// own. It is never kept in the database, so a copy of the database or of
// its backup alone holds peppered hashes nobody can guess PINs against
// (docs/security.md).
const PepperFile = "pin.pepper"

func encodePepper(p staff.Pepper) []byte {
	return []byte(base64.StdEncoding.EncodeToString(p) + "\n")
}

func decodePepper(b []byte) (staff.Pepper, error) {
	p, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(b)))
	if err != nil {
		return nil, err
	}
	return p, staff.Pepper(p).Valid()
}

// pepperPath is where the data folder keeps the pepper.
func (s *Store) pepperPath() string { return filepath.Join(s.Dir(), PepperFile) }

// PINPepper returns the store's PIN pepper from PepperFile, or nil if the
// folder has none.
func (s *Store) PINPepper(context.Context) (staff.Pepper, error) {
	read := secretfile.Read
	if s.readOnly {
		read = secretfile.Peek
	}
	path := s.pepperPath()
	b, err := read(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, poserr.Wrap(err, poserr.Storage, "error.storage.pepper", "reading the store's PIN pepper %s (it must be readable by the till's user)", path)
	}
	p, err := decodePepper(b)
	if err != nil {
		return nil, poserr.Wrap(err, poserr.Storage, "error.storage.pepper",
			"the store's PIN pepper %s is damaged: sync the till with the store server, which sends it again, or activate the till again", path)
	}
	return p, nil
}

// SetPINPepper replaces the store's PIN pepper (atomically: a crash leaves
// the old file or the new one).
func (s *Store) SetPINPepper(_ context.Context, p staff.Pepper) error {
	if err := p.Valid(); err != nil {
		return poserr.Wrap(err, poserr.Invalid, "error.staff.pepper", "the store's PIN pepper is not valid")
	}
	if s.readOnly {
		return s.errReadOnly()
	}
	path := s.pepperPath()
	if err := secretfile.Replace(path, encodePepper(p)); err != nil {
		return poserr.Wrap(err, poserr.Storage, "error.storage.pepper", "saving the store's PIN pepper %s (is the data folder writable?)", path)
	}
	return nil
}

// EnsurePINPepper returns the store's PIN pepper, making a random one if
// the folder has none: a till seeded without a store server peppers its
// own operators' hashes with it. Two processes making one at once end up
// with the same.
func (s *Store) EnsurePINPepper(ctx context.Context) (staff.Pepper, error) {
	p, err := s.PINPepper(ctx)
	if err != nil || p != nil {
		return p, err
	}
	if s.readOnly {
		return nil, s.errReadOnly()
	}
	p = staff.NewPepper()
	path := s.pepperPath()
	switch err := secretfile.Create(path, encodePepper(p)); {
	case errors.Is(err, secretfile.ErrExists):
		return s.PINPepper(ctx)
	case err != nil:
		return nil, poserr.Wrap(err, poserr.Storage, "error.storage.pepper", "making the store's PIN pepper %s (is the data folder writable?)", path)
	}
	return p, nil
}
