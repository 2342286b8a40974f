package store

import (
	"context"
	"database/sql"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

func openSQLite(ctx context.Context, path string) (*DB, error) {
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
		db := newSQLiteDB(path, w, w)
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
	db := newSQLiteDB(path, w, r)
	return db, db.init(ctx)
}

func newSQLiteDB(path string, w, r *sql.DB) *DB {
	db := &DB{path: path, wstmts: newStmtCache(w), sketches: newSketchIndex()}
	db.e = &sqliteEngine{mem: memoryContent{db.sketches}}
	db.w, db.r = pool{w, db.e}, pool{r, db.e}
	return db
}

// fileURI makes a file: URI of a path, so that names containing "?" or "#"
// are not read as URI syntax.
func fileURI(path string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(path)
}

// sqliteEngine is SQLite's way: '?' placeholders as written, FTS5
// indexes, the content index in memory, one writer.
type sqliteEngine struct {
	mem memoryContent
}

func (*sqliteEngine) name() string               { return "sqlite" }
func (*sqliteEngine) rebind(query string) string { return query }
func (*sqliteEngine) clean(args []any) []any     { return args }
func (*sqliteEngine) insertID(ctx context.Context, q querier, query string, args ...any) (int64, error) {
	return lastInsertID(ctx, q, query, args...)
}
func (*sqliteEngine) jsonValues() string                    { return "SELECT value FROM json_each(?)" }
func (*sqliteEngine) rowid() string                         { return "rowid" }
func (*sqliteEngine) search() searchEngine                  { return ftsSearch{} }
func (e *sqliteEngine) content() contentIndex               { return e.mem }
func (*sqliteEngine) beginSave(context.Context, *txn) error { return nil }
func (*sqliteEngine) cached() bool                          { return true }
func (*sqliteEngine) migrations() migrationSet              { return sqliteMigrations }
func (*sqliteEngine) forUpdate() string                     { return "" }
