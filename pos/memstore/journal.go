package memstore

import (
	"context"
	"time"

	"github.com/opentill/opentill/pos/journal"
)

// seal links e after the journal's last entry (setting its time to now if
// unset, in UTC) without appending it. The caller holds the write lock.
func (s *Store) seal(e *journal.Entry) {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Time = e.Time.UTC()
	var seq int64
	var hash string
	if n := len(s.journal); n > 0 {
		seq, hash = s.journal[n-1].Seq, s.journal[n-1].Hash
	}
	journal.Seal(e, seq, hash)
}

// appendSealed stores a sealed entry. The caller holds the write lock and
// has done everything that could fail.
func (s *Store) appendSealed(e journal.Entry) {
	s.journal = append(s.journal, copyEntry(e))
}

// copyEntry copies an entry's payload so that neither side can change the
// other's bytes; an empty payload becomes nil, as a NULL column reads back.
func copyEntry(e journal.Entry) journal.Entry {
	if len(e.Payload) == 0 {
		e.Payload = nil
	} else {
		e.Payload = append([]byte(nil), e.Payload...)
	}
	return e
}

// entriesFrom copies the entries from sequence seq on (nil if none). The
// caller holds the lock.
func (s *Store) entriesFrom(seq int64) []journal.Entry {
	var out []journal.Entry
	for _, e := range s.journal {
		if e.Seq >= seq {
			out = append(out, copyEntry(e))
		}
	}
	return out
}

// AppendJournal appends an entry that goes with no other change.
func (s *Store) AppendJournal(ctx context.Context, e journal.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return storageErr(err, "writing the %s journal entry", e.Kind)
	}
	s.seal(&e)
	s.appendSealed(e)
	return nil
}

// JournalEach calls fn with every journal entry in sequence order, from a
// snapshot taken when it starts. It stops at fn's first error and returns it.
func (s *Store) JournalEach(ctx context.Context, fn func(journal.Entry) error) error {
	s.mu.RLock()
	if err := s.usable(ctx); err != nil {
		s.mu.RUnlock()
		return readErr(err, "reading the journal")
	}
	all := s.entriesFrom(0)
	s.mu.RUnlock()
	for _, e := range all {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// VerifyJournal checks the whole hash chain and returns how many entries
// verified. A broken chain is a *journal.BreakError naming the first bad entry.
func (s *Store) VerifyJournal(ctx context.Context) (int64, error) {
	var v journal.Verifier
	err := s.JournalEach(ctx, v.Add)
	return v.Count(), err
}
