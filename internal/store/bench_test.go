package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/revision"
)

const benchStories = 100_000

var (
	benchOnce  sync.Once
	benchDB    *DB
	benchDir   string
	benchErr   error
	benchStory int64 // a story with a long comment thread
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDB != nil {
		benchDB.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

var benchWords = strings.Fields(`north south korea sony apple google market bridge council election minister
	storm flood vote budget bank rates court trial police fire school health city river coast island
	football final league cup season player coach music film festival award science space rocket moon
	climate energy oil gas power price tax trade china india europe africa america russia ukraine
	iran israel france germany japan brazil canada mexico australia london paris berlin tokyo delhi
	report says plans warns denies offers launches releases closes opens wins loses rises falls
	new old first last big small local national global update software phone game console controller`)

// openBench builds, once per process, a store of 100,000 stories (one
// revision each) and one story with 2,000 comments, through the fast bulk
// path: one transaction, prepared statements.
func openBench(b *testing.B) *DB {
	b.Helper()
	benchOnce.Do(func() { benchErr = buildBench() })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDB
}

func buildBench() error {
	ctx := context.Background()
	var err error
	if benchDir, err = os.MkdirTemp("", "newsbot-bench-"); err != nil {
		return err
	}
	if benchDB, err = Open(ctx, filepath.Join(benchDir, "bench.db")); err != nil {
		return err
	}
	// A page cache big enough for the whole build keeps the one large
	// transaction from spilling pages to the WAL over and over.
	if _, err := benchDB.w.ExecContext(ctx, "PRAGMA cache_size = -400000"); err != nil {
		return err
	}
	defer benchDB.w.ExecContext(ctx, "PRAGMA cache_size = -2000")
	tx, err := benchDB.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var stmts []*sql.Stmt
	for _, q := range []string{
		`INSERT INTO stories (id, feed_id, guid, url, title, title_key, first_seen, revision) VALUES (?, 'bench', ?, ?, ?, ?, ?, 1)`,
		`INSERT INTO revisions (story_id, number, title, body, text, hash, seen_at, sketch) VALUES (?, 1, ?, ?, ?, ?, ?, ?)`,
		ftsInsertStory, ftsInsertTitle,
	} {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		stmts = append(stmts, st)
	}
	rng := rand.New(rand.NewSource(1))
	phrase := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = benchWords[rng.Intn(len(benchWords))]
		}
		return strings.Join(ws, " ")
	}
	for id := 1; id <= benchStories; id++ {
		title := fmt.Sprintf("%s %d", phrase(6), id)
		if err := insertBenchStory(ctx, stmts, id, title, []string{phrase(30) + ".", phrase(25) + "."}); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	// Readers then find every page in the database file, not the WAL.
	if _, err := benchDB.w.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return err
	}
	benchStory = benchStories / 2
	cs := make([]news.Comment, 2000)
	for i := range cs {
		cs[i] = news.Comment{Author: fmt.Sprintf("%s%d", benchWords[i%40], i%97), Body: phrase(40), PostedAt: t0}
	}
	_, err = benchDB.SaveComments(ctx, benchStory, cs, t0, 0)
	return err
}

// insertBenchStory writes a story, its revision and its index entries
// with the statements buildBench prepared, in that order.
func insertBenchStory(ctx context.Context, stmts []*sql.Stmt, id int, title string, paras []string) error {
	seen := t0.Add(time.Duration(id) * time.Minute).UnixMilli()
	norm := revision.Normalize(paras)
	text := strings.Join(norm, "\n\n")
	sketch := encodeSketch(revision.NewDoc("", norm).Sketch(revision.SketchSize))
	for i, args := range [][]any{
		{id, fmt.Sprint("g", id), fmt.Sprintf("https://bench.example/%d", id), title, revision.TitleKey(title), seen},
		{id, title, jsonList(paras), text, revision.Hash(title, paras), seen, sketch},
		{id, title, text},
		{id, titleText(title)},
	} {
		if _, err := stmts[i].ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return nil
}

// go test -run '^$' -bench . -benchtime 100x ./store
func BenchmarkSuggestStories(b *testing.B) {
	db := openBench(b)
	ctx := context.Background()
	// "orea" and "ridge s" match inside words (trigrams): "korea", "bridge".
	for _, q := range []string{"no", "north ko", "s", "market ri", "update software 99", "", "orea", "ridge s"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				got, err := db.SuggestStories(ctx, q, 25)
				if err != nil || len(got) == 0 {
					b.Fatalf("SuggestStories(%q) = %d, %v", q, len(got), err)
				}
			}
		})
	}
}

func BenchmarkFindComments(b *testing.B) {
	db := openBench(b)
	ctx := context.Background()
	type q struct{ author, contains string }
	queries := []q{{"north", ""}, {"korea1", "market"}, {"", "sony apple"}, {"s", "zzz"}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		qq := queries[i%len(queries)]
		if _, err := db.FindComments(ctx, benchStory, qq.author, qq.contains); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveArticle saves one new story at a time, each its own
// transaction, into the store of 100,000. The first save, before the
// timer, reads the content index into memory, as a running bot does once.
func BenchmarkSaveArticle(b *testing.B) {
	db := openBench(b)
	ctx := context.Background()
	save := func(i int) {
		a := news.Article{
			GUID:  fmt.Sprintf("save-%d-%d", time.Now().UnixNano(), i),
			Title: fmt.Sprintf("Benchmark story %d about the market", i),
			URL:   fmt.Sprintf("https://save.example/%d?utm_source=x", i),
			Paragraphs: []string{
				fmt.Sprintf("The first paragraph of benchmark story %d says what happened, and where.", i),
				fmt.Sprintf("The second paragraph adds some detail to story %d and a quote from someone.", i),
				"Advertisement",
				fmt.Sprintf("The third paragraph closes story %d with a look ahead.", i),
			},
			Comments: []news.Comment{comment("ann", "First comment", t0), comment("bob", "Second comment", t0)},
		}
		if _, err := db.SaveArticle(ctx, a, SaveOptions{FeedID: "bench", Post: []string{"c1"}}); err != nil {
			b.Fatal(err)
		}
	}
	save(-1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		save(i)
	}
}
