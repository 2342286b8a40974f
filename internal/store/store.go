// Package store keeps newsbot's state: stories and their revisions, reader
// comments (with full-text search), feed polling state, channel
// subscriptions, the outbox of deliveries owed to Discord, and the claims
// several bot processes share work by.
//
// Two engines sit behind one implementation (engine.go): SQLite, the
// default, in a file, and PostgreSQL, for several processes sharing one
// database. Both behave the same; the same tests run against both.
//
// Every save is one transaction: a failed save leaves nothing half-written.
// On SQLite writes go through a single connection, so SQLite never sees
// two writers; reads use a pool and, in WAL mode, never wait for the
// writer. On PostgreSQL saves take turns through an advisory lock, so a
// story is found again whichever process saw it first.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
)

// DB is an open newsbot database. It is safe for concurrent use.
type DB struct {
	path     string
	e        engine
	w        pool         // the writer: a single connection on SQLite
	r        pool         // readers; the same as w for in-memory databases and PostgreSQL
	wstmts   *stmtCache   // statements prepared on w, kept for its life (SQLite)
	sketches *sketchIndex // the content index of recent revisions (SQLite; sketch.go)
	saves    sync.Mutex   // held by a save on PostgreSQL (stmt.go)
}

const memoryPath = ":memory:"

// IsURL reports whether a --db or database: value names a PostgreSQL
// database (postgres:// or postgresql://) rather than a SQLite file.
func IsURL(path string) bool {
	return strings.HasPrefix(path, "postgres://") || strings.HasPrefix(path, "postgresql://")
}

// Redact is a database name fit for logs and messages: a URL's password
// is replaced by "xxxxx".
func Redact(path string) string {
	if !IsURL(path) {
		return path
	}
	u, err := url.Parse(path)
	if err != nil {
		return "postgres://(a URL that does not parse)"
	}
	return u.Redacted()
}

// Open opens (creating if needed) the database at path and migrates it to
// the schema this program knows. A database written by a newer newsbot is
// refused rather than misread. path is a SQLite file, ":memory:" for a
// private in-memory database, or a postgres:// URL.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, fmt.Errorf("store: open: empty database path: %w", errInvalid)
	}
	var db *DB
	var err error
	if IsURL(path) {
		db, err = openPostgres(ctx, path)
	} else {
		db, err = openSQLite(ctx, path)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", Redact(path), err)
	}
	return db, nil
}

// init migrates, closing everything when that fails.
func (db *DB) init(ctx context.Context) error {
	// The writer connects first so WAL mode is on before a reader opens.
	if err := db.w.PingContext(ctx); err != nil {
		db.Close()
		return err
	}
	if err := migrate(ctx, db.w); err != nil {
		db.Close()
		return err
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	var err error
	if db.wstmts != nil {
		err = db.wstmts.close()
	}
	err = errors.Join(err, db.w.Close())
	if db.r.DB != db.w.DB {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Path is the database the store was opened with, a URL's password
// redacted.
func (db *DB) Path() string { return Redact(db.path) }

// Engine names the database engine: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.e.name() }

// Shared reports whether other processes may use the database at the
// same time, and so whether work must be claimed before it is done.
func (db *DB) Shared() bool { return db.e.name() == "postgres" }

// write runs fn in one write transaction, committing when fn succeeds.
func (db *DB) write(ctx context.Context, fn func(tx boundTx) error) error {
	t, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(boundTx{t, db.e}); err != nil {
		t.Rollback()
		return err
	}
	return t.Commit()
}
