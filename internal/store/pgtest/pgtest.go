// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema in the server NEWSBOT_TEST_POSTGRES names, dropped when the test
// ends. Without the variable PostgreSQL tests skip, except under CI=true,
// where a missing database fails the run.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Env names the server: a postgres:// URL of a database the tests may
// create schemas in.
const Env = "NEWSBOT_TEST_POSTGRES"

// SkipMessage is the one line a run without PostgreSQL prints.
const SkipMessage = "PostgreSQL tests skipped: set " + Env + "=postgres://user:pass@host/db to run them (.ci/run does)"

// Configured reports whether a server is named.
func Configured() bool { return os.Getenv(Env) != "" }

// said makes a test binary give SkipMessage once, however many of its
// tests skip.
var said sync.Once

// Require skips t without a server, or fails it under CI=true.
func Require(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set, and CI must run the PostgreSQL tests", Env)
		}
		first := false
		said.Do(func() { first = true })
		if first {
			t.Skip(SkipMessage)
		}
		t.SkipNow()
	}
	return base
}

var (
	extOnce sync.Once
	extErr  error
)

// URL returns the URL of a fresh, empty schema (its search_path, with
// public after it, where pg_trgm lives), dropped at the end of the test.
func URL(t testing.TB) string {
	t.Helper()
	base := Require(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	ctx := context.Background()
	// The extension goes to public once: created inside a test's schema
	// it would leave with it.
	extOnce.Do(func() {
		_, extErr = admin.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
		if extErr != nil {
			// Another test binary may have created it at the same moment.
			_, extErr = admin.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
		}
	})
	if extErr != nil {
		admin.Close()
		t.Fatalf("PostgreSQL at %s: create extension pg_trgm: %v", redact(base), extErr)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "nbt_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("PostgreSQL at %s: %v", redact(base), err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String()
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(the URL in " + Env + ")"
	}
	return fmt.Sprint(u.Redacted())
}
