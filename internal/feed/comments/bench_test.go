package comments

import (
	"context"
	"path/filepath"
	"testing"
)

func BenchmarkParseReddit(b *testing.B) {
	data := readFile(b, filepath.Join(sampleDir(b, "reddit"), "reddit_n49rw.json"))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := ParseReddit(data, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHackerNewsCapped walks a generated 100,000-comment story over
// real HTTP, stopping at the cap.
func BenchmarkHackerNewsCapped(b *testing.B) {
	srv := newHNServer(b, generated(100000, false))
	for b.Loop() {
		cs, _, err := HackerNews(context.Background(), httpGetter(), srv.URL, "1", 500)
		if err != nil || len(cs) != 500 {
			b.Fatal(len(cs), err)
		}
	}
}
