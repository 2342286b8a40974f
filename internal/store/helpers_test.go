package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store/pgtest"
)

var t0 = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// openMem opens a fresh in-memory store closed at the end of the test.
func openMem(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openFile opens a fresh store in a temporary file.
func openFile(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "news.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// testEngine is an engine the shared store suite runs against: the same
// tests, the same assertions, on SQLite and on PostgreSQL.
type testEngine struct {
	name string
	// where names a fresh database: a file path or a URL, which a test
	// may open more than once.
	where func(t testing.TB) string
	// openMem and openFile open a fresh store closed at the end of the
	// test; on PostgreSQL both are a fresh schema.
	openMem, openFile func(t testing.TB) *DB
}

func testEngines() []testEngine {
	es := []testEngine{{name: "sqlite", openMem: openMem, openFile: openFile,
		where: func(t testing.TB) string { return filepath.Join(t.TempDir(), "news.db") }}}
	if pgtest.Configured() || os.Getenv("CI") == "true" {
		open := func(t testing.TB) *DB { return openAt(t, pgtest.URL(t)) }
		es = append(es, testEngine{name: "postgres", openMem: open, openFile: open, where: pgtest.URL})
	}
	return es
}

// forEachEngine runs test once per engine, as a subtest named for it.
// Without NEWSBOT_TEST_POSTGRES only SQLite runs; TestPostgresSuite says
// so once.
func forEachEngine(t *testing.T, test func(t *testing.T, e testEngine)) {
	for _, e := range testEngines() {
		t.Run(e.name, func(t *testing.T) { test(t, e) })
	}
}

// openAt opens the store at where, closed at the end of the test.
func openAt(t testing.TB, where string) *DB {
	t.Helper()
	db, err := Open(context.Background(), where)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustSave(t testing.TB, db *DB, a news.Article, o SaveOptions) news.SaveResult {
	t.Helper()
	if o.Now.IsZero() {
		o.Now = t0
	}
	res, err := db.SaveArticle(context.Background(), a, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func article(title string, paras ...string) news.Article {
	return news.Article{Title: title, Paragraphs: paras}
}

func wantStatus(t *testing.T, res news.SaveResult, status news.Status, rev int) {
	t.Helper()
	if res.Status != status || res.Revision.Number != rev || res.Story.Revision != rev {
		t.Fatalf("saved %q: status %s, revision %d (story says %d); want %s, revision %d",
			res.Story.Title, res.Status, res.Revision.Number, res.Story.Revision, status, rev)
	}
}

func wantErrIs(t *testing.T, err, target error, mentions ...string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
	for _, m := range mentions {
		if !strings.Contains(err.Error(), m) {
			t.Errorf("error %q does not mention %q", err, m)
		}
	}
}

var sharedDir = filepath.Join("..", "..", "..", "shared")

// commentHeader is a seed page's comment header: a name glued to an age.
var commentHeader = regexp.MustCompile(`^\S+?\d+[smhdwy] ago(?: \(Edited .*\))?$`)

// seedArticle builds an article from a seed page: the first line that is
// not chrome is the title, the blocks up to the first comment header are
// the paragraphs. The real page parser lives elsewhere; this is enough for
// the store's own story.
func seedArticle(t *testing.T, name string) news.Article {
	t.Helper()
	path := filepath.Join(sharedDir, "seeds", name)
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("seed %s absent (the shared folder is not beside this checkout)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	var a news.Article
	for _, block := range strings.Split(string(data), "\n\n") {
		block = strings.TrimSpace(block)
		switch {
		case block == "" || (a.Title == "" && block == "Advertisement"):
		case commentHeader.MatchString(block):
			return a
		case a.Title == "":
			a.Title = block
		default:
			a.Paragraphs = append(a.Paragraphs, block)
		}
	}
	return a
}

func comment(author, body string, posted time.Time) news.Comment {
	return news.Comment{Author: author, Body: body, PostedAt: posted}
}

func commentBodies(cs []news.Comment) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%d:%s:%s;", c.Index, c.Author, c.Body)
	}
	return b.String()
}
