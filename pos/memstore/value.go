package memstore

import (
	"context"

	"github.com/opentill/opentill/pos/storedvalue"
)

func valueKey(k storedvalue.Kind, number string) string { return string(k) + "/" + number }

// ValueBalance implements pos.ValueLedger: the server's last balance of the
// number and this till's movements it has not counted.
func (s *Store) ValueBalance(ctx context.Context, kind storedvalue.Kind, number string) (storedvalue.Balance, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := storedvalue.Balance{Kind: kind, Number: number}
	if err := s.usable(ctx); err != nil {
		return b, readErr(err, "reading the balance of %s", number)
	}
	k, ok := s.known[valueKey(kind, number)]
	counted := int64(0)
	if ok {
		b.Known, b.AsOf, b.Limit = k.Amount, k.AsOf, k.Limit
		if s.setup != nil {
			counted = k.Counted[s.setup.StoreID+"/"+s.setup.TerminalID]
		}
	}
	seen := int64(0)
	for _, m := range s.values {
		if m.Kind != kind || m.Number != number {
			continue
		}
		seen++
		if seen <= counted {
			continue // counted by the server
		}
		b.Pending += m.Amount
		b.Unconfirmed += m.Spent
		b.IssuedHere = b.IssuedHere || m.Issued
	}
	return b, nil
}

// NoteValueBalance implements pos.ValueLedger.
func (s *Store) NoteValueBalance(ctx context.Context, k storedvalue.Known) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return err
	}
	if s.known == nil {
		s.known = map[string]storedvalue.Known{}
	}
	if cur, ok := s.known[valueKey(k.Kind, k.Number)]; ok && cur.AsOf.After(k.AsOf) {
		return nil // an older answer than the one held
	}
	s.known[valueKey(k.Kind, k.Number)] = k
	return nil
}
