package store

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"

	"github.com/opentill/opentill/offline/api"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/pricing"
)

// keyPromotions holds the store's price and promotions document (TOML text,
// see pos/pricing) in the settings table.
const keyPromotions = "promotions"

// PutPromotions checks a promotions document (TOML, see docs/promotions.md)
// for a currency with digits minor digits and stores it; LoadSetup compiles
// it into Setup.Promotions. A document that does not compile is refused and
// the stored one is kept.
func (s *Store) PutPromotions(ctx context.Context, doc []byte, digits int) error {
	if _, err := pricing.Decode(bytes.NewReader(doc), digits); err != nil {
		return poserr.Wrap(err, poserr.Invalid, "error.promotions.invalid", "the promotions file is not valid")
	}
	return s.PutSetting(ctx, keyPromotions, string(doc))
}

// Promotions returns the stored promotions document, or nil when the store
// has none.
func (s *Store) Promotions(ctx context.Context) ([]byte, error) {
	var doc string
	if err := s.Setting(ctx, keyPromotions, &doc); err != nil {
		if poserr.Is(err, poserr.NotFound) {
			return nil, nil
		}
		return nil, err
	}
	return []byte(doc), nil
}

// loadPromotions compiles the stored promotions document into the setup.
func (s *Store) loadPromotions(ctx context.Context, setup *pos.Setup) error {
	doc, err := s.Promotions(ctx)
	if err != nil || doc == nil {
		return err
	}
	e, err := pricing.Decode(bytes.NewReader(doc), setup.Currency.Digits)
	if err != nil {
		return poserr.Wrap(err, poserr.Invalid, "error.promotions.invalid",
			"the store's promotions cannot be read: load a corrected file or sync it from the store server")
	}
	setup.Promotions = e
	return nil
}

// docSetting is the settings key a store document from the server is kept
// under: the promotions where PutPromotions keeps them, a receipt layout
// under "receipt:" and its type.
func docSetting(name string) string {
	switch name {
	case api.DocPromotions:
		return keyPromotions
	case api.DocExtensionKeys:
		return keyExtensionKeys
	}
	if t, ok := strings.CutPrefix(name, api.DocHardware); ok {
		return keyHardware + t
	}
	return "receipt:" + strings.TrimPrefix(name, api.DocReceipt)
}

// keyExtensionKeys keeps the store's extension_keys document.
const keyExtensionKeys = "extension_keys"

// keyHardware + a terminal ID keeps that till's hardware profile from the
// store server (document hardware/TERMINAL).
const keyHardware = "hardware:"

// HardwareProfile returns the hardware profile (TOML) the store server
// sent for a terminal of the store; ok is false when it sent none.
func (s *Store) HardwareProfile(ctx context.Context, terminal string) (toml []byte, ok bool, err error) {
	var body string
	err = s.Setting(ctx, keyHardware+terminal, &body)
	if poserr.KindOf(err) == poserr.NotFound {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return []byte(body), true, nil
}

// DeliveredExtensions returns the extension packages the store server
// sent the till (api.ExtensionPackage, by ID) and its store's
// extension_keys document ("" when it sent none).
func (s *Store) DeliveredExtensions(ctx context.Context) ([]api.ExtensionPackage, string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT key, value FROM settings WHERE key LIKE 'ext:%' ORDER BY key`)
	if err != nil {
		return nil, "", readErr(err, "reading the extension packages")
	}
	defer rows.Close()
	var out []api.ExtensionPackage
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, "", readErr(err, "reading the extension packages")
		}
		var p api.ExtensionPackage
		if err := json.Unmarshal([]byte(v), &p); err != nil {
			return nil, "", readErr(err, "decoding extension package %s", k)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, "", readErr(err, "reading the extension packages")
	}
	var keys string
	if err := s.Setting(ctx, keyExtensionKeys, &keys); err != nil && poserr.KindOf(err) != poserr.NotFound {
		return nil, "", err
	}
	return out, keys, nil
}

// ReceiptLayouts returns the receipt layouts the store server sent, by
// receipt type (TOML text).
func (s *Store) ReceiptLayouts(ctx context.Context) (map[string][]byte, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT key, value FROM settings WHERE key LIKE 'receipt:%'`)
	if err != nil {
		return nil, readErr(err, "reading the receipt layouts")
	}
	defer rows.Close()
	out := map[string][]byte{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, readErr(err, "reading the receipt layouts")
		}
		var body string
		if err := json.Unmarshal([]byte(v), &body); err != nil {
			return nil, readErr(err, "reading receipt layout %s", k)
		}
		out[strings.TrimPrefix(k, "receipt:")] = []byte(body)
	}
	return out, readErr(rows.Err(), "reading the receipt layouts")
}
