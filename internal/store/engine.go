package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"sync"
)

// The store is one implementation over database/sql for both engines:
// identity, revisions, comment merging and the outbox rules are Go code
// around plain SQL, and keeping them in one place is what makes the two
// engines behave the same. What differs is small and lives here and in
// sqlite.go / postgres.go: the placeholder syntax, how an insert returns
// its id, the search indexes (FTS5 / tsvector and pg_trgm), the content
// index (in memory / a table of fingerprints), the schema version, and
// whether saves must be serialised across processes.

// engine is what one database engine does its own way.
type engine interface {
	name() string
	// rebind turns the store's '?' placeholders into the engine's.
	rebind(query string) string
	// clean makes a statement's arguments storable (cleanArgs).
	clean(args []any) []any
	// insertID runs an INSERT and returns the id of the row it added,
	// 0 when ON CONFLICT DO NOTHING added none.
	insertID(ctx context.Context, q querier, query string, args ...any) (int64, error)
	// jsonValues is a subquery of the strings of a JSON array given as
	// the one argument: the set a batch looks its stories up by.
	jsonValues() string
	// rowid names the column that orders a table's rows by insertion.
	rowid() string
	// search is the full-text and title indexes.
	search() searchEngine
	// content is the index of revisions' sketches (sketch.go).
	content() contentIndex
	// beginSave runs first in every save transaction: where several
	// processes write, it makes saves take turns, as SQLite's single
	// writer does, so each sees every story saved before it.
	beginSave(ctx context.Context, t *txn) error
	// cached says whether the store keeps the writer's statements
	// prepared itself (the driver may do it instead).
	cached() bool
	// migrations is the engine's schema steps (migrate.go).
	migrations() migrationSet
	// forUpdate locks the rows a read inside a write transaction is about
	// to change, where other processes may change them too.
	forUpdate() string
}

// querier is what reads need of a pool or a transaction, so the same code
// reads inside a save's transaction and outside it. Queries are written
// with '?' placeholders; each querier rebinds them for its engine.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	eng() engine
}

// pool is a *sql.DB whose queries are rebound for its engine.
type pool struct {
	*sql.DB
	e engine
}

func (p pool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.DB.ExecContext(ctx, p.e.rebind(query), p.e.clean(args)...)
}

func (p pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return p.DB.QueryContext(ctx, p.e.rebind(query), p.e.clean(args)...)
}

func (p pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return p.DB.QueryRowContext(ctx, p.e.rebind(query), p.e.clean(args)...)
}

// Query and QueryRow serve tests that read the database directly.
func (p pool) Query(query string, args ...any) (*sql.Rows, error) {
	return p.QueryContext(context.Background(), query, args...)
}

func (p pool) eng() engine { return p.e }

// boundTx is a *sql.Tx whose queries are rebound for its engine.
type boundTx struct {
	*sql.Tx
	e engine
}

func (t boundTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.Tx.ExecContext(ctx, t.e.rebind(query), t.e.clean(args)...)
}

func (t boundTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.Tx.QueryContext(ctx, t.e.rebind(query), t.e.clean(args)...)
}

func (t boundTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.Tx.QueryRowContext(ctx, t.e.rebind(query), t.e.clean(args)...)
}

func (t boundTx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.Tx.PrepareContext(ctx, t.e.rebind(query))
}

func (t boundTx) eng() engine { return t.e }

// boundConn is one connection of a pool, whose queries are rebound for its
// engine: migrations hold one for their session lock.
type boundConn struct {
	*sql.Conn
	e engine
}

func (c boundConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.Conn.ExecContext(ctx, c.e.rebind(query), c.e.clean(args)...)
}

func (c boundConn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return c.Conn.QueryContext(ctx, c.e.rebind(query), c.e.clean(args)...)
}

func (c boundConn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return c.Conn.QueryRowContext(ctx, c.e.rebind(query), c.e.clean(args)...)
}

func (c boundConn) eng() engine { return c.e }

// insertID is the engine's way of adding a row and reading its id.
func insertID(ctx context.Context, q querier, query string, args ...any) (int64, error) {
	return q.eng().insertID(ctx, q, query, args...)
}

// dollarBinds rewrites '?' placeholders as PostgreSQL's $1, $2, …; '?N'
// becomes $N. Quoted strings, quoted names and comments are left alone.
// The store's queries are a few dozen constant strings, so each is
// rewritten once and remembered.
type dollarBinds struct{ m sync.Map }

func (d *dollarBinds) rebind(query string) string {
	if v, ok := d.m.Load(query); ok {
		return v.(string)
	}
	out := toDollars(query)
	d.m.Store(query, out)
	return out
}

func toDollars(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			end := strings.IndexByte(q[i+1:], c)
			if end < 0 {
				b.WriteString(q[i:])
				return b.String()
			}
			b.WriteString(q[i : i+2+end])
			i += 1 + end
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			end := strings.IndexByte(q[i:], '\n')
			if end < 0 {
				end = len(q) - i
			}
			b.WriteString(q[i : i+end])
			i += end - 1
		case c == '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			if j > i+1 {
				b.WriteString("$" + q[i+1:j])
				i = j - 1
				continue
			}
			n++
			b.WriteString("$" + strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// lastInsertID is SQLite's way: the driver reports the rowid of the last
// insert, and an insert that added nothing affected no row.
func lastInsertID(ctx context.Context, q querier, query string, args ...any) (int64, error) {
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return 0, nil
	}
	return res.LastInsertId()
}

// returningID is PostgreSQL's way: the insert returns its id, or no row
// when ON CONFLICT DO NOTHING added none.
func returningID(ctx context.Context, q querier, query string, args ...any) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, query+" RETURNING id", args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}
