package scaleunit

import (
	"context"
	"sync"
	"time"
)

// Feed numbers on PostgreSQL. A till reads a feed from its cursor: the
// number of the last change it has. So a change must never become
// visible with a number below one a till may already have read — which
// is what happens when several server processes number changes as they
// write them, and a later writer commits first. Numbering under one lock
// held to the commit (as before schema version 15) made every upload of
// the chain wait in one line for the feeds' lock.
//
// Now an upload writes its changes unnumbered (fseq NULL, with seq, the
// order they were written in, as their version), and the sequencer gives
// the committed ones their feed numbers (fseq) in one statement under the
// feeds' lock: it only ever sees committed changes, and numbers them
// above every number given before. Feeds are read by fseq. The sequencer
// runs before every feed read (a till that uploads and then reads finds
// its change) and, in the background, after every transaction that wrote
// changes, coalesced: one run numbers whatever many uploads wrote
// meanwhile. On SQLite, with its one writer, changes are numbered as they
// are written (seq) and none of this is needed.

// feedSeqSchema is PostgreSQL schema version 15: the feed numbers. The
// changes there keep their numbers, and the sequence goes on after them.
var feedSeqSchema = []string{
	`ALTER TABLE changes ADD COLUMN fseq BIGINT`,
	`UPDATE changes SET fseq = seq`,
	`CREATE SEQUENCE changes_fseq`,
	`SELECT setval('changes_fseq', coalesce((SELECT max(seq) FROM changes), 0) + 1, false)`,
	`CREATE UNIQUE INDEX changes_fseq_key ON changes(fseq)`,
	`CREATE INDEX changes_feed_fseq ON changes(dataset, fseq)`,
	`CREATE INDEX changes_unnumbered ON changes(seq) WHERE fseq IS NULL`,
}

// sequence numbers the committed changes that have no feed number yet,
// in the order they were written; changes another transaction is
// rewriting right now are left for the next run.
func (s *DB) sequence(ctx context.Context) error {
	if !s.d.sequenced() {
		return nil
	}
	var pending bool
	if err := s.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM changes WHERE fseq IS NULL)`).Scan(&pending); err != nil {
		return err
	}
	if !pending {
		return nil
	}
	return s.tx(ctx, func(tx *sqlTx) error {
		if err := tx.lock(ctx, "changes"); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE changes SET fseq = n.fseq
			FROM (SELECT seq, nextval('changes_fseq') AS fseq
			      FROM (SELECT seq FROM changes WHERE fseq IS NULL ORDER BY seq FOR UPDATE SKIP LOCKED) p) n
			WHERE changes.seq = n.seq`)
		return err
	})
}

// sequencer runs sequence in the background after the transactions that
// wrote changes, one run at a time: kicks that come while it runs make
// one more run.
type sequencer struct {
	kick chan struct{}
	stop chan struct{}
	done sync.WaitGroup
}

// startSequencer starts the background sequencer of a PostgreSQL store.
func (s *DB) startSequencer() {
	q := &sequencer{kick: make(chan struct{}, 1), stop: make(chan struct{})}
	s.seq = q
	q.done.Add(1)
	go func() {
		defer q.done.Done()
		for {
			select {
			case <-q.stop:
				return
			case <-q.kick:
			}
			// A run that fails (the database gone) leaves the changes
			// unnumbered, not lost: the next run or the next feed read
			// numbers them, and a feed read reports its own failure.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			_ = s.sequence(ctx)
			cancel()
		}
	}()
}

// kickSequencer asks for a background run (never waits).
func (s *DB) kickSequencer() {
	if s.seq == nil {
		return
	}
	select {
	case s.seq.kick <- struct{}{}:
	default: // a run is asked for already
	}
}

// stopSequencer ends the background sequencer.
func (s *DB) stopSequencer() {
	if s.seq == nil {
		return
	}
	close(s.seq.stop)
	s.seq.done.Wait()
	s.seq = nil
}
