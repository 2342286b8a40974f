package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// maxCachedStatements bounds the statement cache. The store's queries are
// constant strings, a few dozen of them; the bound only guards against a
// caller building query text from data.
const maxCachedStatements = 256

// stmtCache keeps each query prepared for the life of the pool's
// connections. Preparing is most of the cost of a short statement (SQLite
// parses and plans it, triggers and all), and a save runs dozens of them.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sql.Stmt{}}
}

// get returns the prepared statement for query, or nil when it is not
// prepared yet.
func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[query]
}

// prepare prepares queries for later transactions. It needs a free
// connection, so it runs after the transaction that first used them: the
// writer has a single connection, which the transaction holds.
func (c *stmtCache) prepare(ctx context.Context, queries []string) error {
	for _, q := range queries {
		c.mu.Lock()
		_, ok := c.m[q]
		full := len(c.m) >= maxCachedStatements
		c.mu.Unlock()
		if ok || full {
			continue
		}
		s, err := c.db.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		c.mu.Lock()
		if _, ok := c.m[q]; ok {
			s.Close()
		} else {
			c.m[q] = s
		}
		c.mu.Unlock()
	}
	return nil
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for q, s := range c.m {
		errs = append(errs, s.Close())
		delete(c.m, q)
	}
	return errors.Join(errs...)
}

// txn is a write transaction whose statements come from the cache: a
// querier, so the same read helpers serve it and the read pool. Without a
// cache (PostgreSQL, whose driver keeps its own), statements go straight
// to the transaction.
type txn struct {
	db       *DB
	tx       boundTx
	cache    *stmtCache
	stmts    map[string]*sql.Stmt // statements bound to this transaction
	missing  []string             // queries the cache should prepare afterwards
	fts      *ftsQueue            // search index changes, applied at commit
	sketches pendingSketches      // content index additions, filed at commit (SQLite)
}

func (t *txn) eng() engine { return t.db.e }

func (t *txn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := t.stmts[query]; ok {
		return s, nil
	}
	var s *sql.Stmt
	if cached := t.cache.get(query); cached != nil {
		s = t.tx.StmtContext(ctx, cached)
	} else {
		var err error
		if s, err = t.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		t.missing = append(t.missing, query)
	}
	t.stmts[query] = s
	return s, nil
}

// statementContext is the context a cached (SQLite) statement runs under:
// ctx without its cancellation. The SQLite driver starts a goroutine for
// every statement whose context can be cancelled, to interrupt it; a save
// runs thousands of short statements, and those goroutines cost a quarter
// of a 5,000-item import. Cancellation still ends the save: database/sql
// rolls the transaction back when ctx is done, after the statement
// running then, so the statements that follow fail, and Commit refuses a
// done context.
func statementContext(ctx context.Context) context.Context {
	return context.WithoutCancel(ctx)
}

func (t *txn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if t.cache == nil {
		return t.tx.ExecContext(ctx, query, args...)
	}
	ctx = statementContext(ctx)
	s, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

func (t *txn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if t.cache == nil {
		return t.tx.QueryContext(ctx, query, args...)
	}
	ctx = statementContext(ctx)
	s, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// QueryRowContext reports a failure to prepare through the row's Scan, as
// sql.Tx does.
func (t *txn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if t.cache == nil {
		return t.tx.QueryRowContext(ctx, query, args...)
	}
	ctx = statementContext(ctx)
	s, err := t.stmt(ctx, query)
	if err != nil {
		return t.tx.QueryRowContext(ctx, query, args...)
	}
	return s.QueryRowContext(ctx, args...)
}

// writeTxn runs fn in one write transaction with cached statements,
// applies the search index changes fn queued, and commits when all of it
// succeeds.
func (db *DB) writeTxn(ctx context.Context, fn func(t *txn) error) error {
	if db.Shared() {
		// Saves take turns across processes (beginSave); within one,
		// they queue here, so that a burst of saves holds one of the
		// pool's connections, not all of them, and claims and deliveries
		// keep theirs.
		db.saves.Lock()
		defer db.saves.Unlock()
	}
	sqlTx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	t := &txn{db: db, tx: boundTx{sqlTx, db.e}, stmts: map[string]*sql.Stmt{}, fts: newFTSQueue()}
	if db.e.cached() {
		t.cache = db.wstmts
	}
	err = db.e.beginSave(ctx, t)
	if err == nil {
		err = fn(t)
	}
	if err == nil {
		err = db.e.search().apply(ctx, t, t.fts)
	}
	if err != nil {
		sqlTx.Rollback()
	} else if err = sqlTx.Commit(); err == nil {
		db.e.content().committed(t)
	}
	if len(t.missing) > 0 {
		// A statement that cannot be kept is prepared again next time;
		// it costs time, never correctness.
		_ = db.wstmts.prepare(ctx, t.missing)
	}
	return err
}
