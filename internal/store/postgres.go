package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// maxPostgresConns bounds one process's connections: saves take turns
// anyway, so more would only wait, and several processes share the
// server's max_connections (100 by default).
const maxPostgresConns = 10

func openPostgres(ctx context.Context, url string) (*DB, error) {
	sqlDB, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(maxPostgresConns)
	sqlDB.SetMaxIdleConns(maxPostgresConns)
	e := &pgEngine{}
	db := &DB{path: url, e: e, w: pool{sqlDB, e}, r: pool{sqlDB, e}}
	return db, db.init(ctx)
}

// Advisory lock keys: the first half names newsbot's lock, the second is
// the schema's hash, so deployments in separate schemas of one database
// do not wait for each other.
const (
	saveLock    = 0x6e657773 // "news"
	migrateLock = 0x6e657774
)

// pgEngine is PostgreSQL's way: $n placeholders, ids by RETURNING,
// tsvector and pg_trgm indexes, the content index in a table of
// fingerprints, and saves taking turns across processes.
type pgEngine struct {
	binds dollarBinds
}

func (*pgEngine) name() string                 { return "postgres" }
func (e *pgEngine) rebind(query string) string { return e.binds.rebind(query) }
func (*pgEngine) clean(args []any) []any       { return cleanArgs(args) }
func (*pgEngine) insertID(ctx context.Context, q querier, query string, args ...any) (int64, error) {
	return returningID(ctx, q, query, args...)
}
func (*pgEngine) jsonValues() string {
	return "SELECT jsonb_array_elements_text(CAST(? AS jsonb))"
}
func (*pgEngine) rowid() string            { return "id" }
func (*pgEngine) search() searchEngine     { return pgSearch{} }
func (*pgEngine) content() contentIndex    { return sqlContent{} }
func (*pgEngine) cached() bool             { return false }
func (*pgEngine) migrations() migrationSet { return pgMigrations }
func (*pgEngine) forUpdate() string        { return " FOR UPDATE" }

// beginSave makes saves take turns across processes. Finding a story
// again compares an article with every story saved before it, by GUID,
// URL, headline and content; two processes saving copies of one story at
// once would each miss the other's and store it twice. Saves are short
// (milliseconds), and everything else — claims, deliveries, feed state —
// runs beside them.
func (*pgEngine) beginSave(ctx context.Context, t *txn) error {
	_, err := t.tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))", saveLock)
	return err
}

// pgMigrations keep the version in a one-row table, and migrate under an
// advisory lock: processes started together take turns.
var pgMigrations = migrationSet{
	dir: "migrations/postgres",
	version: func(ctx context.Context, q querier) (int, error) {
		var exists bool
		if err := q.QueryRowContext(ctx, "SELECT to_regclass('newsbot_schema') IS NOT NULL").Scan(&exists); err != nil || !exists {
			return 0, err
		}
		var v int
		err := q.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM newsbot_schema").Scan(&v)
		return v, err
	},
	setVersion: func(ctx context.Context, q querier, v int) error {
		for _, stmt := range []string{
			"CREATE TABLE IF NOT EXISTS newsbot_schema (version integer NOT NULL)",
			"DELETE FROM newsbot_schema",
		} {
			if _, err := q.ExecContext(ctx, stmt); err != nil {
				return err
			}
		}
		_, err := q.ExecContext(ctx, "INSERT INTO newsbot_schema (version) VALUES (?)", v)
		return err
	},
	// A session lock, taken before the steps' transactions begin: a
	// transaction that waited for a lock inside it could still see the
	// catalog as it was before the other process's step.
	lock: func(ctx context.Context, q querier) (func(), error) {
		_, err := q.ExecContext(ctx, "SELECT pg_advisory_lock(?, hashtext(current_schema()))", migrateLock)
		return func() {
			q.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?, hashtext(current_schema()))", migrateLock)
		}, err
	},
}

// sqlContent is the content index on PostgreSQL: the fingerprints of
// each revision's sketch in sketch_keys, by key. An article's fingerprints
// are looked up in one statement - the rows among the newest sketchWindow
// revisions holding any of them, newest first - and counted as the
// in-memory index counts them on SQLite: a story once per fingerprint,
// and a fingerprint only for the newest maxPosting stories holding it.
type sqlContent struct{}

const contentQuery = `SELECT story_id, key FROM sketch_keys WHERE key = ANY (CAST(?1 AS bigint[]))
	AND revision_id > (SELECT COALESCE(MAX(id), 0) FROM revisions) - ?2
	ORDER BY revision_id DESC LIMIT ?3`

// maxContentRows bounds what one lookup reads: every fingerprint's
// newest maxPosting holders, with room to spare.
const maxContentRows = 64 * maxPosting

func (sqlContent) hits(ctx context.Context, t *txn, fps []uint64, hits map[int64]int) error {
	rows, err := t.QueryContext(ctx, contentQuery, sketchKeys(fps), sketchWindow, maxContentRows)
	if err != nil {
		return err
	}
	defer rows.Close()
	holders := map[int64][]int64{} // fingerprint → its stories, newest first
	for rows.Next() {
		var story, key int64
		if err := rows.Scan(&story, &key); err != nil {
			return err
		}
		if hs := holders[key]; len(hs) < maxPosting && !slices.Contains(hs, story) {
			holders[key] = append(hs, story)
			hits[story]++
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("content index: %w", err)
	}
	return nil
}

func (sqlContent) column(keys []uint64) any { return sketchKeys(keys) }

func (sqlContent) stored(ctx context.Context, t *txn, rowid, story int64, keys []uint64) error {
	if len(keys) == 0 {
		return nil
	}
	_, err := t.ExecContext(ctx, `INSERT INTO sketch_keys (key, revision_id, story_id)
		SELECT DISTINCT unnest(CAST(? AS bigint[])), CAST(? AS bigint), CAST(? AS bigint)`, sketchKeys(keys), rowid, story)
	return err
}

func (sqlContent) committed(*txn) {}

// sketchKeys are fingerprints as PostgreSQL's signed bigints: the same
// bits, so equal fingerprints stay equal.
func sketchKeys(keys []uint64) []int64 {
	out := make([]int64, len(keys))
	for i, k := range keys {
		out[i] = int64(k)
	}
	return out
}
