package scaleunit

import (
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/pos/journal"
)

// Journal errors the storage returns.
var (
	// ErrJournal: uploaded entries do not continue the chain the server
	// holds of the till (a *JournalError says which and why).
	ErrJournal = errors.New("the journal does not continue the chain the server holds")
	// ErrKeyConflict: a journal key other than the one registered for the
	// till, or an upload from a till without a registered key.
	ErrKeyConflict = errors.New("journal key conflict")
)

// JournalError names the first uploaded entry the server refused.
type JournalError struct {
	TillID string
	Seq    int64
	Reason string
}

func (e *JournalError) Error() string {
	return fmt.Sprintf("journal entry %d of till %s: %s", e.Seq, e.TillID, e.Reason)
}

// Unwrap makes a JournalError an ErrJournal.
func (e *JournalError) Unwrap() error { return ErrJournal }

// checkJournal checks uploaded entries against the head the server holds
// of a till's chain, with the till's registered key: entries the server has
// must be the same (same hash), and the new ones must continue the chain
// (link, hash from the header and payload digest, signature counter,
// signature). It returns the new entries and the head after them. have
// returns the hash of an entry the server holds.
func checkJournal(tillID string, head api.JournalHead, pub ed25519.PublicKey, entries []journal.Entry,
	have func(seq int64) (string, error)) ([]journal.Entry, api.JournalHead, error) {
	if pub == nil {
		return nil, head, fmt.Errorf("till %s has no journal key registered: the till registers it (PUT %s) before it uploads its journal: %w", tillID, api.PathKey, ErrKeyConflict)
	}
	refuse := func(seq int64, format string, args ...any) ([]journal.Entry, api.JournalHead, error) {
		return nil, head, &JournalError{TillID: tillID, Seq: seq, Reason: fmt.Sprintf(format, args...)}
	}
	v := journal.Verifier{Key: pub}
	v.Resume(apimap.JournalHeadFrom(head))
	var fresh []journal.Entry
	for i, e := range entries {
		if i > 0 && e.Seq != entries[i-1].Seq+1 {
			return refuse(e.Seq, "follows entry %d in the upload: a batch holds consecutive entries", entries[i-1].Seq)
		}
		if e.Seq <= head.Seq {
			hash, err := have(e.Seq)
			if err != nil {
				return nil, head, err
			}
			if hash != e.Hash {
				return refuse(e.Seq, "differs from the entry the server holds (hash %.12s…, the till now sends %.12s…): the till's journal was rewritten", hash, e.Hash)
			}
			continue
		}
		if err := v.Add(e); err != nil {
			var be *journal.BreakError
			if errors.As(err, &be) {
				if e.Seq == head.Seq+1 && e.PrevHash != v.Head().Hash && head.Seq > 0 {
					return refuse(be.Seq, "does not link to entry %d the server holds: the till's journal was rewritten or its tail dropped (%s)", head.Seq, be.Reason)
				}
				return refuse(be.Seq, "%s", be.Reason)
			}
			return nil, head, err
		}
		fresh = append(fresh, e)
	}
	next := head
	h := v.Head()
	next.Seq, next.Hash, next.Counter = h.Seq, h.Hash, h.Counter
	return fresh, next, nil
}
