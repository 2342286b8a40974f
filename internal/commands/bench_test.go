package commands

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// go test -run '^$' -bench . -benchtime 200x ./commands
//
// The store is built once per process, through store.SaveArticles in
// batches of a thousand, in a temporary file removed by TestMain.
const (
	benchStories  = 100_000
	benchComments = 40 // on the story /quote benchmarks read
	bigComments   = 5_000
)

var (
	benchOnce  sync.Once
	benchDB    *store.DB
	benchDir   string
	benchErr   error
	benchQuote int64         // a story with benchComments comments
	benchBig   int64         // a story with bigComments comments
	benchBuilt time.Duration // how long building took, for the report
)

func TestMain(m *testing.M) {
	code := m.Run()
	if fixtureDB != nil {
		fixtureDB.Close()
	}
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
	report says plans warns denies offers launches releases closes opens wins loses rises falls`)

func openBench(b *testing.B) *store.DB {
	b.Helper()
	benchOnce.Do(func() {
		start := time.Now()
		benchErr = buildBench()
		benchBuilt = time.Since(start)
		fmt.Fprintf(os.Stderr, "built %d stories through store.SaveArticles in %v (%v per story)\n",
			benchStories, benchBuilt.Round(time.Second), (benchBuilt / benchStories).Round(time.Microsecond))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDB
}

func buildBench() error {
	ctx := context.Background()
	var err error
	if benchDir, err = os.MkdirTemp("", "newsbot-commands-bench-"); err != nil {
		return err
	}
	if benchDB, err = store.Open(ctx, filepath.Join(benchDir, "bench.db")); err != nil {
		return err
	}
	phrase := phraser()
	const batch = 1000
	var as []news.Article
	for id := 1; id <= benchStories; id++ {
		a := news.Article{
			GUID: fmt.Sprint("g", id), URL: fmt.Sprintf("https://bench.example/%d", id),
			Title:      fmt.Sprintf("%s %d", phrase(6), id),
			Paragraphs: []string{phrase(30) + ".", phrase(25) + "."},
		}
		switch id {
		case benchStories / 2:
			a.Comments = benchThread(benchComments, phrase)
		case benchStories / 4:
			a.Comments = benchThread(bigComments, phrase)
		}
		if as = append(as, a); len(as) < batch && id < benchStories {
			continue
		}
		rs, err := benchDB.SaveArticles(ctx, as, store.SaveOptions{FeedID: "bench", Now: t0.Add(time.Duration(id) * time.Second)})
		if err != nil {
			return err
		}
		for i, r := range rs {
			switch id - len(rs) + 1 + i {
			case benchStories / 2:
				benchQuote = r.Story.ID
			case benchStories / 4:
				benchBig = r.Story.ID
			}
		}
		as = as[:0]
	}
	return nil
}

// phraser returns a function that makes phrases of n of benchWords, the
// same phrases in every process.
func phraser() func(n int) string {
	rng := rand.New(rand.NewPCG(1, 1))
	return func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = benchWords[rng.IntN(len(benchWords))]
		}
		return strings.Join(ws, " ")
	}
}

// benchThread is n comments by n/5 people in sentences of common words,
// each third one replying to an earlier comment.
func benchThread(n int, phrase func(int) string) []news.Comment {
	cs := make([]news.Comment, n)
	for i := range cs {
		cs[i] = news.Comment{
			Author:   fmt.Sprintf("%s%d", benchWords[i%40], i%max(n/5, 1)),
			Body:     phrase(12) + ". " + phrase(15) + "? " + phrase(10) + ".",
			PostedAt: t0.Add(time.Duration(i) * time.Minute),
		}
		if i%3 == 2 {
			cs[i].ReplyTo = i - 1 - (i/3)%min(i, 7)
		}
	}
	return cs
}

func BenchmarkQuote(b *testing.B) {
	db := openBench(b)
	h, _ := testHandler(b, db)
	for _, opts := range []string{"", " author:south1", " contains:market pick:latest", " pick:random"} {
		line := fmt.Sprintf("/quote story:%d%s", benchQuote, opts)
		b.Run(strings.TrimSpace(opts), func(b *testing.B) {
			for n := 0; n < b.N; n++ {
				if resp := run(b, h, line, member); resp.Data.Flags != 0 {
					b.Fatalf("%s: %s", line, resp.Data.Content)
				}
			}
		})
	}
}

func BenchmarkAutocomplete(b *testing.B) {
	db := openBench(b)
	h, _ := testHandler(b, db)
	// "orea" and "ridge s" match inside words (trigrams): "korea", "bridge".
	for _, typed := range []string{"no", "north ko", "s", "market ri", "update software 99", "", "50000", "orea", "ridge s"} {
		b.Run(typed, func(b *testing.B) {
			for n := 0; n < b.N; n++ {
				got := complete(b, h, "/quote story:"+typed, optStory, member)
				if len(got) == 0 && typed != "update software 99" {
					b.Fatalf("no choices for %q", typed)
				}
			}
		})
	}
}

func BenchmarkSummarize5000(b *testing.B) {
	db := openBench(b)
	h, _ := testHandler(b, db)
	line := fmt.Sprintf("/summarize story:%d length:detailed", benchBig)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		if resp := run(b, h, line, member); len(resp.Data.Embeds) != 1 {
			b.Fatalf("summary: %s", resp.Data.Content)
		}
	}
}

// BenchmarkSummarize5000Alone is BenchmarkSummarize5000 in a store that
// holds only the 5,000-comment story: the same command path, built in
// seconds rather than minutes, so that two versions can be measured side
// by side on a busy machine.
func BenchmarkSummarize5000Alone(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "alone.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	phrase := phraser()
	a := news.Article{GUID: "g1", URL: "https://bench.example/1", Title: phrase(6),
		Paragraphs: []string{phrase(30) + ".", phrase(25) + "."}, Comments: benchThread(bigComments, phrase)}
	rs, err := db.SaveArticles(ctx, []news.Article{a}, store.SaveOptions{FeedID: "bench", Now: t0})
	if err != nil {
		b.Fatal(err)
	}
	h, _ := testHandler(b, db)
	line := fmt.Sprintf("/summarize story:%d length:detailed", rs[0].Story.ID)
	for b.Loop() {
		if resp := run(b, h, line, member); len(resp.Data.Embeds) != 1 {
			b.Fatalf("summary: %s", resp.Data.Content)
		}
	}
}
