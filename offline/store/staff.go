package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/staff"
)

// Operator returns an operator by ID.
func (s *Store) Operator(ctx context.Context, id string) (staff.Operator, error) {
	var o staff.Operator
	var locked int
	err := s.r.QueryRowContext(ctx, `SELECT id, name, role_id, language, password_hash, failed_logins, locked FROM operators WHERE id = ?`, id).
		Scan(&o.ID, &o.Name, &o.RoleID, &o.Language, &o.PasswordHash, &o.FailedLogins, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return staff.Operator{}, &poserr.Error{Kind: poserr.NotFound, Key: "error.staff.operator_not_found",
			Msg: fmt.Sprintf("operator %q not found", id), Args: map[string]any{"id": id}}
	}
	if err != nil {
		return staff.Operator{}, readErr(err, "looking up operator %q", id)
	}
	o.Locked = locked != 0
	return o, nil
}

// Operators lists every operator by ID.
func (s *Store) Operators(ctx context.Context) ([]staff.Operator, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, name, role_id, language, password_hash, failed_logins, locked FROM operators ORDER BY id`)
	if err != nil {
		return nil, readErr(err, "listing operators")
	}
	defer rows.Close()
	out := []staff.Operator{}
	for rows.Next() {
		var o staff.Operator
		var locked int
		if err := rows.Scan(&o.ID, &o.Name, &o.RoleID, &o.Language, &o.PasswordHash, &o.FailedLogins, &locked); err != nil {
			return nil, readErr(err, "listing operators")
		}
		o.Locked = locked != 0
		out = append(out, o)
	}
	return out, readErr(rows.Err(), "listing operators")
}

// Role returns a role by ID.
func (s *Store) Role(ctx context.Context, id string) (staff.Role, error) {
	var r staff.Role
	var manager int
	var perms, limits string
	err := s.r.QueryRowContext(ctx, `SELECT id, name, manager, permissions, limits FROM roles WHERE id = ?`, id).
		Scan(&r.ID, &r.Name, &manager, &perms, &limits)
	if errors.Is(err, sql.ErrNoRows) {
		return staff.Role{}, &poserr.Error{Kind: poserr.NotFound, Key: "error.staff.role_not_found",
			Msg: fmt.Sprintf("role %q not found", id), Args: map[string]any{"id": id}}
	}
	if err != nil {
		return staff.Role{}, readErr(err, "looking up role %q", id)
	}
	r.Manager = manager != 0
	if err := json.Unmarshal([]byte(perms), &r.Permissions); err != nil {
		return staff.Role{}, readErr(err, "reading the permissions of role %q", id)
	}
	if err := json.Unmarshal([]byte(limits), &r.Limits); err != nil {
		return staff.Role{}, readErr(err, "reading the limits of role %q", id)
	}
	return r, nil
}

// PutRole inserts or replaces a role.
func (s *Store) PutRole(ctx context.Context, r staff.Role) error {
	if r.ID == "" {
		return poserr.E(poserr.Invalid, "error.staff.invalid", "role %q has no ID", r.Name)
	}
	perms := r.Permissions
	if perms == nil {
		perms = []staff.Permission{}
	}
	pj, err := json.Marshal(perms)
	if err != nil {
		return storageErr(err, "saving role %q", r.ID)
	}
	lj, err := json.Marshal(r.Limits)
	if err != nil {
		return storageErr(err, "saving role %q", r.ID)
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO roles(id, name, manager, permissions, limits) VALUES(?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET name = excluded.name, manager = excluded.manager,
			permissions = excluded.permissions, limits = excluded.limits`,
		r.ID, r.Name, b2i(r.Manager), string(pj), string(lj))
	return storageErr(err, "saving role %q", r.ID)
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
	_, err := s.w.ExecContext(ctx, `INSERT INTO operators(id, name, role_id, language, password_hash, failed_logins, locked)
		VALUES(?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET name = excluded.name, role_id = excluded.role_id, language = excluded.language,
			password_hash = excluded.password_hash, failed_logins = excluded.failed_logins, locked = excluded.locked`,
		o.ID, o.Name, o.RoleID, o.Language, o.PasswordHash, o.FailedLogins, b2i(o.Locked))
	return storageErr(err, "saving operator %q", o.ID)
}

// SetOperatorState stores an operator's failed-sign-in count and lock flag
// and appends the journal entry, in one transaction.
func (s *Store) SetOperatorState(ctx context.Context, id string, failed int, locked bool, e journal.Entry) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE operators SET failed_logins = ?, locked = ? WHERE id = ?`, failed, b2i(locked), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return &poserr.Error{Kind: poserr.NotFound, Key: "error.staff.operator_not_found",
				Msg: fmt.Sprintf("operator %q not found", id), Args: map[string]any{"id": id}}
		}
		return s.appendJournal(ctx, tx, &e)
	})
	return storageErr(err, "saving the sign-in state of operator %q", id)
}
