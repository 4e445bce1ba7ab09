package scaleunit

// Store documents (docs/sync.md): what a till needs beside its setup that
// the server keeps per store and sends in the config feed — the price and
// promotions document, the receipt layouts — checked before any till sees
// it.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/opentill/opentill/extensions/wasm"
	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/peripherals/profile"
	"github.com/opentill/opentill/pos/pricing"
	"github.com/opentill/opentill/pos/receipt"
)

// PutDocument stores a store's document (name api.DocPromotions) and
// sends it to the store's tills. A document a till could not use is
// refused (ErrInvalid) and the one sent before stays.
func (s *DB) PutDocument(ctx context.Context, storeID, name string, body []byte) error {
	setup, err := s.storeSetup(ctx, storeID)
	if err != nil {
		return err
	}
	switch {
	case !api.ValidDocName(name):
		return fmt.Errorf("the server keeps no store document %q (known: promotions, extension_keys, receipt/sale, receipt/return, receipt/gift, receipt/x, receipt/z, hardware/TERMINAL): %w", name, ErrInvalid)
	case strings.HasPrefix(name, api.DocHardware):
		if _, err := profile.Parse(body); err != nil {
			return fmt.Errorf("store %s, till %s: %v; no till got it: %w", storeID, strings.TrimPrefix(name, api.DocHardware), err, ErrInvalid)
		}
	case name == api.DocExtensionKeys:
		if _, err := wasm.ParseTrust(body, name); err != nil {
			return fmt.Errorf("store %s: %v; no till got it: %w", storeID, err, ErrInvalid)
		}
	case name == api.DocPromotions:
		if _, err := pricing.Decode(bytes.NewReader(body), setup.Currency.Digits); err != nil {
			return fmt.Errorf("the promotions document of store %s is not valid, no till got it: %v: %w", storeID, err, ErrInvalid)
		}
	default:
		if _, err := receipt.ParseLayout(receipt.Type(strings.TrimPrefix(name, api.DocReceipt)), name, body); err != nil {
			return fmt.Errorf("store %s: %v; no till got it: %w", storeID, err, ErrInvalid)
		}
	}
	key := api.DocKey(name)
	return s.tx(ctx, func(tx *sqlTx) error {
		return change(ctx, tx, api.DatasetConfig, storeID, key, false, api.Change{Key: key, Document: &api.StoreDocument{Name: name, Body: string(body)}})
	})
}

// Document returns a store's document as its tills get it.
func (s *DB) Document(ctx context.Context, storeID, name string) ([]byte, error) {
	var raw string
	err := s.r.QueryRowContext(ctx, `SELECT payload FROM changes WHERE dataset = ? AND store_id = ? AND key = ? AND deleted = 0`,
		api.DatasetConfig, storeID, api.DocKey(name)).Scan(&raw)
	if err != nil {
		return nil, fmt.Errorf("store %s has no %s document: %w", storeID, name, ErrNotFound)
	}
	var c api.Change
	if err := json.Unmarshal([]byte(raw), &c); err != nil || c.Document == nil {
		return nil, fmt.Errorf("store %s's %s document is unreadable", storeID, name)
	}
	return []byte(c.Document.Body), nil
}

// DeleteDocument takes a store's document from its tills (a removal in the
// config feed): a till drops it at its next sync and goes back to its
// default from its next start (no promotions, the built-in receipt
// layout, the hardware profile it was started with).
func (s *DB) DeleteDocument(ctx context.Context, storeID, name string) error {
	if _, err := s.storeSetup(ctx, storeID); err != nil {
		return err
	}
	if !api.ValidDocName(name) {
		return fmt.Errorf("the server keeps no store document %q (known: promotions, extension_keys, receipt/sale, receipt/return, receipt/gift, receipt/x, receipt/z, hardware/TERMINAL): %w", name, ErrInvalid)
	}
	key := api.DocKey(name)
	return s.tx(ctx, func(tx *sqlTx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM changes WHERE dataset = ? AND store_id = ? AND key = ? AND deleted = 0`,
			api.DatasetConfig, storeID, key).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("store %s has no %s document: %w", storeID, name, ErrNotFound)
		}
		return change(ctx, tx, api.DatasetConfig, storeID, key, true, api.Change{Key: key, Deleted: true})
	})
}
