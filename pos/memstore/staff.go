package memstore

import (
	"context"

	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/staff"
)

// Operator returns an operator by ID.
func (s *Store) Operator(ctx context.Context, id string) (staff.Operator, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return staff.Operator{}, readErr(err, "looking up operator %q", id)
	}
	o, ok := s.operators[id]
	if !ok {
		return staff.Operator{}, notFound("error.staff.operator_not_found", "id", id, "operator %q not found")
	}
	return o, nil
}

// Role returns a role by ID.
func (s *Store) Role(ctx context.Context, id string) (staff.Role, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return staff.Role{}, readErr(err, "looking up role %q", id)
	}
	r, ok := s.roles[id]
	if !ok {
		return staff.Role{}, notFound("error.staff.role_not_found", "id", id, "role %q not found")
	}
	r.Permissions = append([]staff.Permission{}, r.Permissions...)
	return r, nil
}

// PutRole inserts or replaces a role.
func (s *Store) PutRole(ctx context.Context, r staff.Role) error {
	if r.ID == "" {
		return poserr.E(poserr.Invalid, "error.staff.invalid", "role %q has no ID", r.Name)
	}
	r.Permissions = append([]staff.Permission{}, r.Permissions...)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return storageErr(err, "saving role %q", r.ID)
	}
	s.roles[r.ID] = r
	return nil
}

// PutOperator inserts or replaces an operator. PasswordHash must already be an
// argon2id hash (staff.HashPassword); a plain PIN is refused.
func (s *Store) PutOperator(ctx context.Context, o staff.Operator) error {
	if o.ID == "" {
		return poserr.E(poserr.Invalid, "error.staff.invalid", "operator %q has no ID", o.Name)
	}
	if err := staff.ValidateHash(o.PasswordHash); err != nil {
		return poserr.E(poserr.Invalid, "error.staff.invalid", "operator %q: the password must be stored as an argon2id hash", o.ID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return storageErr(err, "saving operator %q", o.ID)
	}
	s.operators[o.ID] = o
	return nil
}

// SetOperatorState stores an operator's failed-sign-in count and lock flag
// and appends the journal entry, in one step.
func (s *Store) SetOperatorState(ctx context.Context, id string, failed int, locked bool, e journal.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return storageErr(err, "saving the sign-in state of operator %q", id)
	}
	o, ok := s.operators[id]
	if !ok {
		return notFound("error.staff.operator_not_found", "id", id, "operator %q not found")
	}
	o.FailedLogins, o.Locked = failed, locked
	s.seal(&e)
	s.operators[id] = o
	s.appendSealed(e)
	return nil
}

// PINPepper returns the store's PIN pepper (nil if none was set).
func (s *Store) PINPepper(ctx context.Context) (staff.Pepper, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, readErr(err, "reading the PIN pepper")
	}
	return append(staff.Pepper(nil), s.pepper...), nil
}

// SetPINPepper replaces the store's PIN pepper.
func (s *Store) SetPINPepper(ctx context.Context, p staff.Pepper) error {
	if err := p.Valid(); err != nil {
		return poserr.Wrap(err, poserr.Invalid, "error.staff.pepper", "the store's PIN pepper is not valid")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return storageErr(err, "saving the PIN pepper")
	}
	s.pepper = append(staff.Pepper(nil), p...)
	return nil
}
