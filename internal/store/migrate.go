package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// The schema of both engines is versioned in one place: the SQLite steps
// in migrations/, the PostgreSQL steps under migrations/postgres/, with
// the same numbers and names (TestMigrationListsInStep), so a database of
// either engine at version N holds the same things. A step is one SQL
// file, and where SQL cannot say it, a Go function run after the file in
// the same transaction.

//go:embed migrations/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// migration is one schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// migrationSet is one engine's schema steps and its way of recording the
// version reached.
type migrationSet struct {
	dir     string
	goSteps map[int]func(ctx context.Context, t boundTx) error
	// version reads the version reached; 0 for an empty database.
	version func(ctx context.Context, q querier) (int, error)
	// setVersion records v, in the step's transaction.
	setVersion func(ctx context.Context, q querier, v int) error
	// lock, when set, is held while the version is read and the steps
	// run, so that processes starting together migrate one at a time.
	lock func(ctx context.Context, q querier) (unlock func(), err error)
}

// sqliteMigrations keep the version in PRAGMA user_version.
var sqliteMigrations = migrationSet{
	dir: "migrations",
	goSteps: map[int]func(ctx context.Context, t boundTx) error{
		8: fillTitleIndex,
		9: fillSketches,
	},
	version: func(ctx context.Context, q querier) (int, error) {
		var v int
		err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
		return v, err
	},
	setVersion: func(ctx context.Context, q querier, v int) error {
		_, err := q.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v))
		return err
	},
}

func loadMigrations(fsys fs.FS, dir string) ([]migration, error) {
	names, err := fs.Glob(fsys, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", name)
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(data)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d (versions must run 1, 2, 3… without gaps)", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the schema version this program writes.
func SchemaVersion() int {
	ms, err := loadMigrations(migrationFS, sqliteMigrations.dir)
	if err != nil {
		panic(err) // the embedded files are fixed at build time; TestMigrationsLoad guards them
	}
	return len(ms)
}

// migrate brings the database to the latest schema, one transaction per
// step, so a failed step leaves the database at the previous version.
func migrate(ctx context.Context, db pool) error {
	set := db.e.migrations()
	ms, err := loadMigrations(migrationFS, set.dir)
	if err != nil {
		return err
	}
	sqlConn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer sqlConn.Close()
	c := boundConn{sqlConn, db.e}
	if set.lock != nil {
		unlock, err := set.lock(ctx, c)
		if err != nil {
			return fmt.Errorf("wait for other processes' migrations: %w", err)
		}
		defer unlock()
	}
	current, err := set.version(ctx, c)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if current > len(ms) {
		return fmt.Errorf("database schema version %d is newer than this newsbot understands (%d): upgrade newsbot or use another database", current, len(ms))
	}
	for _, m := range ms[current:] {
		if err := applyMigration(ctx, c, set, m); err != nil {
			return fmt.Errorf("migrate to version %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

func applyMigration(ctx context.Context, c boundConn, set migrationSet, m migration) error {
	sqlTx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer sqlTx.Rollback()
	t := boundTx{sqlTx, c.e}
	// The file is run as written: its text is the engine's own SQL.
	if _, err := sqlTx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if step := set.goSteps[m.version]; step != nil {
		if err := step(ctx, t); err != nil {
			return err
		}
	}
	if err := set.setVersion(ctx, t, m.version); err != nil {
		return err
	}
	return sqlTx.Commit()
}

// fillTitleIndex indexes every live story's title for autocomplete.
func fillTitleIndex(ctx context.Context, t boundTx) error {
	return rewriteRows(ctx, t, "SELECT id, title FROM stories WHERE deleted = 0 ORDER BY id", ftsInsertTitle,
		func(id int64, title string) []any { return []any{id, titleText(title)} })
}

// rewriteRows runs stmt for every (id, text) row of query, with the
// arguments args makes of it: the shape of the Go steps that fill a new
// column or index. The rows are read first, since a statement cannot run
// on the connection while they are open.
func rewriteRows(ctx context.Context, t boundTx, query, stmt string, args func(id int64, text string) []any) error {
	rows, err := t.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	type row struct {
		id   int64
		text string
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.text); err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	st, err := t.PrepareContext(ctx, stmt)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, r := range all {
		if _, err := st.ExecContext(ctx, args(r.id, r.text)...); err != nil {
			return fmt.Errorf("row %d: %w", r.id, err)
		}
	}
	return nil
}
