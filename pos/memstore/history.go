package memstore

import (
	"context"
	"slices"

	"github.com/opentill/opentill/pos"
)

// RememberHistory implements pos.HistoryCache.
func (s *Store) RememberHistory(ctx context.Context, customerID string, h pos.CustomerHistory) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return storageErr(err, "keeping the history of customer %s", customerID)
	}
	if s.histories == nil {
		s.histories = map[string]pos.CustomerHistory{}
	}
	h.Visits, h.Purchases, h.Items = slices.Clone(h.Visits), slices.Clone(h.Purchases), slices.Clone(h.Items)
	s.histories[customerID] = h
	return nil
}

// KnownHistory implements pos.HistoryCache.
func (s *Store) KnownHistory(ctx context.Context, customerID string) (pos.CustomerHistory, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return pos.CustomerHistory{}, false, readErr(err, "reading the history of customer %s", customerID)
	}
	h, ok := s.histories[customerID]
	if !ok {
		return h, false, nil
	}
	h.Visits, h.Purchases, h.Items = slices.Clone(h.Visits), slices.Clone(h.Purchases), slices.Clone(h.Items)
	return h, true, nil
}
