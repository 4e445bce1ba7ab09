package scaleunit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/opentill/opentill/pos/catalog"
)

// imageSchema holds product pictures by the SHA-256 of their bytes
// (catalog.ImageKey); a product names its picture in its Image field.
var imageSchema = []string{
	`CREATE TABLE IF NOT EXISTS images (
    key   TEXT PRIMARY KEY,
    type  TEXT NOT NULL,
    data  BYTEA NOT NULL,
    added TEXT NOT NULL)`,
}

// PutImage implements Storage.
func (s *DB) PutImage(ctx context.Context, data []byte) (string, error) {
	typ, err := catalog.CheckImage(data)
	if err != nil {
		return "", err
	}
	key := catalog.ImageKey(data)
	err = s.tx(ctx, func(tx *sqlTx) error { return putImage(ctx, tx, key, typ, data) })
	return key, err
}

func putImage(ctx context.Context, tx *sqlTx, key, typ string, data []byte) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO images(key, type, data, added) VALUES(?, ?, ?, ?) ON CONFLICT(key) DO NOTHING`,
		key, typ, data, time.Now().UTC().Format(time.RFC3339))
	return err
}

// Image implements Storage.
func (s *DB) Image(ctx context.Context, key string) (string, []byte, error) {
	var typ string
	var data []byte
	err := s.r.QueryRowContext(ctx, `SELECT type, data FROM images WHERE key = ?`, key).Scan(&typ, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, fmt.Errorf("picture %s: %w", key, ErrNotFound)
	}
	return typ, data, err
}

// SetProductImage implements Storage.
func (s *DB) SetProductImage(ctx context.Context, productID string, data []byte) (string, error) {
	var key, typ string
	if len(data) > 0 {
		var err error
		if typ, err = catalog.CheckImage(data); err != nil {
			return "", err
		}
		key = catalog.ImageKey(data)
	}
	err := s.tx(ctx, func(tx *sqlTx) error {
		var payload string
		err := tx.QueryRowContext(ctx, `SELECT payload FROM products WHERE id = ?`, productID).Scan(&payload)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("product %s: %w", productID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		var p catalog.Product
		if err := json.Unmarshal([]byte(payload), &p); err != nil {
			return fmt.Errorf("product %s is stored damaged: %w", productID, err)
		}
		if key != "" {
			if err := putImage(ctx, tx, key, typ, data); err != nil {
				return err
			}
		}
		if p.Image == key {
			return nil
		}
		p.Image = key
		return putProduct(ctx, tx, &p)
	})
	return key, err
}
