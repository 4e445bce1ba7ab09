package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
)

// PutImage keeps a product picture and returns its key (catalog.ImageKey).
// A picture that is not a PNG or JPEG within catalog's limits is refused;
// keeping the same picture twice changes nothing.
func (s *Store) PutImage(ctx context.Context, data []byte) (string, error) {
	typ, err := catalog.CheckImage(data)
	if err != nil {
		return "", err
	}
	key := catalog.ImageKey(data)
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO images(key, type, data) VALUES(?, ?, ?) ON CONFLICT(key) DO NOTHING`, key, typ, data)
		return err
	})
	return key, storageErr(err, "saving picture %s", key)
}

// Image implements catalog.Images.
func (s *Store) Image(ctx context.Context, key string) ([]byte, error) {
	var data []byte
	err := s.r.QueryRowContext(ctx, `SELECT data FROM images WHERE key = ?`, key).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, poserr.E(poserr.NotFound, "error.image.not_found", "picture %s is not on this till yet", key)
	}
	if err != nil {
		return nil, readErr(err, "reading picture %s", key)
	}
	return data, nil
}

// MissingImages lists up to limit picture keys that products name and the
// till does not hold, so sync can fetch them.
func (s *Store) MissingImages(ctx context.Context, limit int) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT p.image FROM products p
		WHERE p.image <> '' AND NOT EXISTS (SELECT 1 FROM images i WHERE i.key = p.image)
		ORDER BY p.image LIMIT ?`, limit)
	if err != nil {
		return nil, readErr(err, "listing missing pictures")
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, readErr(err, "listing missing pictures")
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, readErr(err, "listing missing pictures")
	}
	return keys, nil
}

// HasImages reports whether any product names a picture (the screens then
// keep a place for pictures in their lists).
func (s *Store) HasImages(ctx context.Context) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM products WHERE image <> '' LIMIT 1)`).Scan(&n)
	if err != nil {
		return false, readErr(err, "looking for product pictures")
	}
	return n > 0, nil
}
