package store

import (
	"context"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store/pgtest"
)

var (
	sizeDB      = flag.String("size.db", "sqlite", "`engine` of BenchmarkStoreSize: sqlite or postgres (NEWSBOT_TEST_POSTGRES)")
	sizeStories = flag.Int("size.stories", 100_000, "stories BenchmarkStoreSize saves")
)

// BenchmarkStoreSize saves stories as a bot does - through SaveArticles,
// 1,000 a transaction, each story with a headline, four paragraphs of 40
// words, three comments and a post owed to one channel - and reports what
// a story costs: its share of the database's size and of the time the
// saves took. It runs once, whatever -benchtime says:
//
//	go test -run '^$' -bench StoreSize -benchtime 1x -timeout 60m ./internal/store
//	go test -run '^$' -bench StoreSize -benchtime 1x -timeout 60m ./internal/store -size.db postgres
func BenchmarkStoreSize(b *testing.B) {
	ctx := context.Background()
	where := filepath.Join(b.TempDir(), "size.db")
	if *sizeDB == "postgres" {
		where = pgtest.URL(b)
	}
	db, err := Open(ctx, where)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rng := rand.New(rand.NewSource(1))
	phrase := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = benchWords[rng.Intn(len(benchWords))]
		}
		return strings.Join(ws, " ")
	}
	const batch = 1000
	n := *sizeStories
	start := time.Now()
	for from := 0; from < n; from += batch {
		as := make([]news.Article, 0, batch)
		for i := from; i < min(from+batch, n); i++ {
			a := news.Article{
				GUID: fmt.Sprint("g", i), URL: fmt.Sprintf("https://size.example/%d", i),
				Title:      fmt.Sprintf("%s %d", phrase(8), i),
				Paragraphs: []string{phrase(40) + ".", phrase(40) + ".", phrase(40) + ".", phrase(40) + "."},
				Published:  t0.Add(time.Duration(i) * time.Minute),
			}
			for c := range 3 {
				a.Comments = append(a.Comments, news.Comment{Author: fmt.Sprint(benchWords[(i+c)%40], c), Body: phrase(30), PostedAt: t0})
			}
			as = append(as, a)
		}
		if _, err := db.SaveArticles(ctx, as, SaveOptions{FeedID: "size", Post: []string{"c1"}, Now: t0}); err != nil {
			b.Fatal(err)
		}
	}
	took := time.Since(start)
	size, err := db.size(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: %d stories in %v (%v a story); %.1f MB, %.0f bytes a story",
		db.Engine(), n, took.Round(time.Second), (took / time.Duration(n)).Round(time.Microsecond),
		float64(size)/1e6, float64(size)/float64(n))
	b.ReportMetric(float64(size)/float64(n), "bytes/story")
	b.ReportMetric(float64(took.Microseconds())/float64(n), "µs/story")
	b.ReportMetric(0, "ns/op")
}

// size is the space the database takes: the file and its WAL, after a
// checkpoint, on SQLite; every table with its indexes and TOAST in the
// store's schema on PostgreSQL.
func (db *DB) size(ctx context.Context) (int64, error) {
	if db.Shared() {
		var n int64
		err := db.r.QueryRowContext(ctx, `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c
			JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = current_schema() AND c.relkind = 'r'`).Scan(&n)
		return n, err
	}
	if _, err := db.w.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return 0, err
	}
	var n int64
	for _, p := range []string{db.path, db.path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			n += fi.Size()
		}
	}
	return n, nil
}
