package memstore

import (
	"context"
	"encoding/json"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/poserr"
)

var _ pos.ReceiptExtras = (*Store)(nil)

// PutReceiptExtras implements pos.ReceiptExtras (kept as JSON, as
// offline/store keeps them).
func (s *Store) PutReceiptExtras(ctx context.Context, txnID string, lines []pos.ReceiptLines) error {
	b, err := json.Marshal(lines)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return storageErr(err, "keeping the extensions' receipt lines of %s", txnID)
	}
	if s.extras == nil {
		s.extras = map[string][]byte{}
	}
	s.extras[txnID] = b
	return nil
}

// ReceiptExtras implements pos.ReceiptExtras.
func (s *Store) ReceiptExtras(ctx context.Context, txnID string) ([]pos.ReceiptLines, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, poserr.ReadFailed(err, "reading the extensions' receipt lines of %s", txnID)
	}
	b, ok := s.extras[txnID]
	if !ok {
		return nil, nil
	}
	var out []pos.ReceiptLines
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, poserr.ReadFailed(err, "the extensions' receipt lines of %s are damaged", txnID)
	}
	return out, nil
}
