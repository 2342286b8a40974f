package page

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenArticle is the JSON shape of a full parse in the golden files.
type goldenArticle struct {
	Title      string          `json:"title"`
	URL        string          `json:"url,omitempty"`
	Author     string          `json:"author,omitempty"`
	Source     string          `json:"source,omitempty"`
	ImageURL   string          `json:"image_url,omitempty"`
	Published  *time.Time      `json:"published,omitempty"`
	Updated    *time.Time      `json:"updated,omitempty"`
	Paragraphs []string        `json:"paragraphs"`
	Comments   []goldenComment `json:"comments"`
}

type goldenComment struct {
	Index    int        `json:"index"`
	Author   string     `json:"author"`
	PostedAt time.Time  `json:"posted_at"`
	EditedAt *time.Time `json:"edited_at"`
	ReplyTo  int        `json:"reply_to"`
	Body     string     `json:"body"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func toGolden(a news.Article) goldenArticle {
	g := goldenArticle{Title: a.Title, URL: a.URL, Author: a.Author, Source: a.Source, ImageURL: a.ImageURL,
		Published: timePtr(a.Published), Updated: timePtr(a.Updated), Paragraphs: a.Paragraphs,
		Comments: []goldenComment{}}
	for _, c := range a.Comments {
		g.Comments = append(g.Comments, goldenComment{Index: c.Index, Author: c.Author, PostedAt: c.PostedAt,
			EditedAt: timePtr(c.EditedAt), ReplyTo: c.ReplyTo, Body: c.Body})
	}
	return g
}

// TestGolden parses every fixture in testdata and compares the whole result
// with its .golden.json; run with -update to accept a change.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range files {
		ext := filepath.Ext(path)
		if ext != ".txt" && ext != ".html" {
			continue
		}
		n++
		t.Run(filepath.Base(path), func(t *testing.T) {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			a, err := Parse(f, Options{Now: testNow, URL: "https://gazette.example/news/" + filepath.Base(path)})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			if err := enc.Encode(toGolden(a)); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			golden := path + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("parse of %s differs from %s (run go test -update after checking):\n%s", path, golden, got)
			}
		})
	}
	if n < 5 {
		t.Errorf("found %d fixtures in testdata, want at least 5", n)
	}
}
