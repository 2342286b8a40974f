package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/store/pgtest"
)

func TestMigrationsLoad(t *testing.T) {
	ms, err := loadMigrations(migrationFS, sqliteMigrations.dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) < 2 || SchemaVersion() != len(ms) {
		t.Fatalf("%d migrations, SchemaVersion %d", len(ms), SchemaVersion())
	}
}

// The engines' schemas move in step: every version exists for both, under
// the same name, so a step added for one engine and not the other fails
// here rather than on somebody's database.
func TestMigrationListsInStep(t *testing.T) {
	lite, err := loadMigrations(migrationFS, sqliteMigrations.dir)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := loadMigrations(migrationFS, pgMigrations.dir)
	if err != nil {
		t.Fatal(err)
	}
	names := func(ms []migration) (out []string) {
		for _, m := range ms {
			out = append(out, m.name)
		}
		return out
	}
	if a, b := strings.Join(names(lite), " "), strings.Join(names(pg), " "); a != b {
		t.Errorf("SQLite migrations:\n  %s\nPostgreSQL migrations:\n  %s\nadd the missing step to %s or %s", a, b,
			sqliteMigrations.dir, pgMigrations.dir)
	}
}

// TestPostgresSuite says once, in a run without PostgreSQL, that the
// shared store suite ran on SQLite only; under CI=true it fails instead.
func TestPostgresSuite(t *testing.T) {
	pgtest.Require(t)
}

// A PostgreSQL database opened again, or by several processes at once,
// migrates once; one from a newer newsbot is refused.
func TestPostgresMigratesOnce(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	dbs := make([]*DB, 3)
	errs := make(chan error, len(dbs))
	for i := range dbs {
		go func() {
			var err error
			dbs[i], err = Open(ctx, url)
			errs <- err
		}()
	}
	for range dbs {
		if err := <-errs; err != nil {
			t.Fatalf("open together: %v", err)
		}
	}
	for _, db := range dbs {
		defer db.Close()
	}
	res := mustSave(t, dbs[0], article("Kept across reopen", "Some text that stays."), SaveOptions{})
	if s, err := dbs[2].Story(ctx, res.Story.ID); err != nil || s.Title != "Kept across reopen" {
		t.Fatalf("read from another handle: %+v, %v", s, err)
	}
	var v int
	if err := dbs[1].r.QueryRowContext(ctx, "SELECT version FROM newsbot_schema").Scan(&v); err != nil || v != SchemaVersion() {
		t.Errorf("schema version = %d, %v; want %d", v, err, SchemaVersion())
	}
	if _, err := dbs[1].w.ExecContext(ctx, "UPDATE newsbot_schema SET version = 999"); err != nil {
		t.Fatal(err)
	}
	_, err := Open(ctx, url)
	if err == nil || !strings.Contains(err.Error(), "999") || !strings.Contains(err.Error(), "newer") {
		t.Errorf("open of a newer schema: %v; want it refused, naming version 999", err)
	}
	if strings.Contains(fmt.Sprint(err), "password=") {
		t.Errorf("error shows a password: %v", err)
	}
}

func userVersion(t *testing.T, path string) int {
	t.Helper()
	raw, err := sql.Open("sqlite", fileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var v int
	if err := raw.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestReopenIsIdempotent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dir with ? and #", "news.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	res := mustSave(t, db, article("Kept across reopen", "Some text that stays."), SaveOptions{})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		db, err = Open(ctx, path)
		if err != nil {
			t.Fatalf("reopen %d: %v", i, err)
		}
		s, err := db.Story(ctx, res.Story.ID)
		if err != nil || s.Title != "Kept across reopen" {
			t.Fatalf("reopen %d: story %+v, %v", i, s, err)
		}
		var mode string
		if err := db.r.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal_mode = %q, %v; want wal", mode, err)
		}
		db.Close()
	}
	if v := userVersion(t, path); v != SchemaVersion() {
		t.Errorf("user_version = %d, want %d", v, SchemaVersion())
	}
}

// testdata/schema_v1.sql is the version-1 schema frozen with a little
// data, as an old newsbot left it. Opening it must add search without
// losing anything.
func TestMigrateFromVersion1(t *testing.T) {
	ctx := context.Background()
	fixture, err := os.ReadFile(filepath.Join("testdata", "schema_v1.sql"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(string(fixture)); err != nil {
		t.Fatalf("load fixture: %v", err)
	}
	raw.Close()
	if v := userVersion(t, path); v != 1 {
		t.Fatalf("fixture user_version = %d, want 1", v)
	}

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	found, err := db.SearchStories(ctx, "lighthouse keeper", 10)
	if err != nil || len(found) != 1 || found[0].Title != "Lighthouse keeper retires after 40 years" {
		t.Fatalf("search after migration = %+v, %v; want the fixture story", found, err)
	}
	if found[0].CommentCount != 2 || len(found[0].Paragraphs) != 2 {
		t.Errorf("migrated story: %d comments, %d paragraphs; want 2 and 2", found[0].CommentCount, len(found[0].Paragraphs))
	}
	cs, err := db.SearchComments(ctx, "foghorn", 10)
	if err != nil || len(cs) != 1 || cs[0].Author != "Marta" {
		t.Errorf("comment search after migration = %+v, %v", cs, err)
	}
	if v := userVersion(t, path); v != SchemaVersion() {
		t.Errorf("user_version = %d, want %d", v, SchemaVersion())
	}
	// Autocomplete and the content index read what the migration filled in.
	if got, err := db.SuggestStories(ctx, "ighthouse", 5); err != nil || len(got) != 1 {
		t.Errorf("autocomplete inside a word after migration = %d stories, %v", len(got), err)
	}
	// The migrated store keeps working: an update revises the old story.
	res := mustSave(t, db, article("Lighthouse keeper retires after 40 years",
		"Ann Jones kept the light at Point Reyes for four decades.",
		"She plans to write a book.", "Update: the town will hold a party on Sunday."), SaveOptions{})
	wantStatus(t, res, "updated", 2)
}

func TestFutureDatabaseRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "future.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("CREATE TABLE x (y); PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err = Open(context.Background(), path)
	if err == nil {
		t.Fatal("Open of a database from a newer newsbot succeeded")
	}
	for _, want := range []string{path, "999", "newer", "upgrade"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if v := userVersion(t, path); v != 999 {
		t.Errorf("refused database was changed: user_version %d", v)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(context.Background(), ""); err == nil {
		t.Error("Open(\"\") succeeded")
	}
	dir := t.TempDir()
	_, err := Open(context.Background(), filepath.Join(dir, "missing", "sub", "news.db"))
	if err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("Open in a missing directory: %v; want an error naming the path", err)
	}
}

// The engines' schemas hold the same tables with the same columns, so a
// column a step adds on one engine and not the other fails here. The
// search tables differ by design (FTS5 beside tsvector and trigrams), as
// do a few things one engine has for free: SQLite's rowid, its
// user_version.
func TestEngineSchemasAlike(t *testing.T) {
	ctx := context.Background()
	pg := openAt(t, pgtest.URL(t))
	lite := openMem(t)
	columns := func(db *DB, query string) map[string]bool {
		t.Helper()
		rows, err := db.r.QueryContext(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]bool{}
		for rows.Next() {
			var table, column string
			if err := rows.Scan(&table, &column); err != nil {
				t.Fatal(err)
			}
			out[table+"."+column] = true
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	onLite := columns(lite, `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE '%\_fts%' ESCAPE '\'`)
	onPG := columns(pg, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema()
		AND table_name NOT IN ('story_search', 'comment_search', 'sketch_keys', 'newsbot_schema')`)
	// Tables SQLite keys by its rowid, PostgreSQL by an identity column.
	for _, c := range []string{"revisions.id", "comment_edits.id"} {
		onLite[c] = true
	}
	var diff []string
	for c := range onLite {
		if !onPG[c] {
			diff = append(diff, c+" only on SQLite")
		}
	}
	for c := range onPG {
		if !onLite[c] {
			diff = append(diff, c+" only on PostgreSQL")
		}
	}
	if len(diff) > 0 {
		sort.Strings(diff)
		t.Errorf("the engines' schemas differ; add the column to the other engine's step:\n  %s", strings.Join(diff, "\n  "))
	}
	if len(onLite) < 50 {
		t.Errorf("read only %d columns from SQLite: the query is wrong", len(onLite))
	}
}
