// Package store keeps newsbot's state in SQLite: stories and their
// revisions, reader comments (with full-text search), feed polling state,
// channel subscriptions and the outbox of deliveries owed to Discord.
//
// Every save is one transaction: a failed save leaves nothing half-written.
// Writes go through a single connection, so SQLite never sees two writers;
// reads use a pool and, in WAL mode, never wait for the writer.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DB is an open newsbot database. It is safe for concurrent use.
type DB struct {
	path     string
	w        *sql.DB      // the single writer connection
	r        *sql.DB      // read pool; the same as w for in-memory databases
	wstmts   *stmtCache   // statements prepared on w, kept for its life
	sketches *sketchIndex // the content index of recent revisions (sketch.go)
}

const memoryPath = ":memory:"

// Open opens (creating if needed) the database at path and migrates it to
// the schema this program knows. A database written by a newer newsbot is
// refused rather than misread. ":memory:" opens a private in-memory database.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, fmt.Errorf("store: open: empty database path: %w", errInvalid)
	}
	db, err := open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return db, nil
}

func open(ctx context.Context, path string) (*DB, error) {
	const pragmas = "_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	if path == memoryPath {
		// Every connection to ":memory:" is its own database, so one
		// connection serves reads and writes and is never recycled.
		w, err := sql.Open("sqlite", memoryPath+"?"+pragmas)
		if err != nil {
			return nil, err
		}
		w.SetMaxOpenConns(1)
		w.SetConnMaxLifetime(0)
		w.SetConnMaxIdleTime(0)
		db := &DB{path: path, w: w, r: w, wstmts: newStmtCache(w), sketches: newSketchIndex()}
		return db, db.init(ctx)
	}
	uri := fileURI(path)
	w, err := sql.Open("sqlite", uri+"?"+pragmas+"&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite", uri+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	db := &DB{path: path, w: w, r: r, wstmts: newStmtCache(w), sketches: newSketchIndex()}
	return db, db.init(ctx)
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

// fileURI makes a file: URI of a path, so that names containing "?" or "#"
// are not read as URI syntax.
func fileURI(path string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(path)
}

// Close closes the database.
func (db *DB) Close() error {
	err := errors.Join(db.wstmts.close(), db.w.Close())
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Path is the path the database was opened with.
func (db *DB) Path() string { return db.path }

// write runs fn in one write transaction, committing when fn succeeds.
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
