package memstore

import (
	"context"
	"time"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/tender"
)

// bookOfflineCards keeps a completed transaction's offline card payments.
func (s *Store) bookOfflineCards(c *cart.Cart, at time.Time) {
	if c.Status != cart.Completed {
		return
	}
	for _, t := range c.ActiveTenders() {
		if t.Card != nil && t.Card.Offline {
			s.offline = append(s.offline, pos.OfflineCard{Reference: t.Card.Reference, TxnID: c.ID, ReceiptNo: c.ReceiptNo,
				Amount: t.Amount, At: at.UTC()})
		}
	}
}

// OfflineCardTotals implements pos.OfflineCardBook.
func (s *Store) OfflineCardTotals(ctx context.Context, since time.Time) (outstanding, window money.Amount, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return 0, 0, readErr(err, "reading the offline card payments")
	}
	for _, c := range s.offline {
		if !c.Forwarded {
			outstanding += c.Amount
		}
		if !c.At.Before(since) {
			window += c.Amount
		}
	}
	return outstanding, window, nil
}

// OfflineCards implements pos.OfflineCardBook.
func (s *Store) OfflineCards(ctx context.Context, pending bool) ([]pos.OfflineCard, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, readErr(err, "reading the offline card payments")
	}
	var out []pos.OfflineCard
	for _, c := range s.offline {
		if !pending || !c.Forwarded {
			out = append(out, c)
		}
	}
	return out, nil
}

// RecordForwarded implements pos.OfflineCardBook.
func (s *Store) RecordForwarded(ctx context.Context, results []tender.Forwarded, e journal.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return err
	}
	for _, r := range results {
		for i := range s.offline {
			if s.offline[i].Reference == r.Reference && !s.offline[i].Forwarded {
				s.offline[i].Forwarded, s.offline[i].Approved = true, r.Approved
			}
		}
	}
	s.seal(&e)
	s.appendSealed(e)
	return nil
}
