package scaleunit

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// stmtCache keeps a database handle's prepared statements by their text.
// SQLite parses every statement it is not given prepared, which was a
// fifth of an upload's time (PostgreSQL's driver keeps its own cache).
//
// A statement first met inside a transaction is run unprepared and
// prepared after the transaction ends: the scale unit's SQLite writer has
// one connection, which the transaction holds, and preparing on the
// handle would wait for it for ever.
type stmtCache struct {
	db *sql.DB

	mu      sync.Mutex
	stmts   map[string]*sql.Stmt
	pending map[string]bool
	closed  bool
}

// maxCachedStmts bounds the cache; statements past it run unprepared.
const maxCachedStmts = 512

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

// cacheable says whether q is worth keeping: one statement.
func cacheable(q string) bool {
	q = strings.TrimSpace(q)
	return !strings.Contains(strings.TrimSuffix(q, ";"), ";")
}

// get returns q's statement, or nil when it is not prepared yet.
func (c *stmtCache) get(q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stmts[q]
}

// prepared returns q's statement, preparing it now (outside a
// transaction: a connection of the handle's is free or will be), or nil
// when it is not to be kept.
func (c *stmtCache) prepared(ctx context.Context, q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	if st := c.get(q); st != nil {
		return st
	}
	if !c.room(q) {
		return nil
	}
	st, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil // the statement runs unprepared and says what is wrong
	}
	return c.keep(q, st)
}

// room says whether q may be added.
func (c *stmtCache) room(q string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.closed && len(c.stmts)+len(c.pending) < maxCachedStmts && cacheable(q)
}

// keep adds st as q's statement, unless another was added meanwhile.
func (c *stmtCache) keep(q string, st *sql.Stmt) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.stmts[q]; ok || c.closed {
		_ = st.Close() // a duplicate: closing it loses nothing
		return old
	}
	c.stmts[q] = st
	delete(c.pending, q)
	return st
}

// want notes q, met inside a transaction, for flush.
func (c *stmtCache) want(q string) {
	if c == nil || !c.room(q) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.stmts[q]; !ok {
		c.pending[q] = true
	}
}

// flush prepares the statements met inside transactions; call it when
// no transaction of this goroutine's is open.
func (c *stmtCache) flush(ctx context.Context) {
	if c == nil {
		return
	}
	c.mu.Lock()
	var qs []string
	for q := range c.pending {
		qs = append(qs, q)
	}
	clear(c.pending)
	c.mu.Unlock()
	for _, q := range qs {
		c.prepared(ctx, q)
	}
}

// close closes the statements.
func (c *stmtCache) close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	var first error
	for q, st := range c.stmts {
		if err := st.Close(); err != nil && first == nil {
			first = err
		}
		delete(c.stmts, q)
	}
	return first
}
