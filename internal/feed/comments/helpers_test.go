package comments

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/news"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/golden")

// sampleDir returns a folder of the shared real-world samples, or skips.
func sampleDir(t testing.TB, sub string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "..", "shared", "testdata", "comments", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared samples absent (%s): %v", dir, err)
	}
	return dir
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// httpGetter is the adapter a caller writes around its fetcher: a plain
// client against the test server, 404 mapped to ErrNotFound.
func httpGetter() Getter {
	return GetterFunc(func(ctx context.Context, url string) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return nil, err
		}
		switch {
		case resp.StatusCode == http.StatusNotFound:
			return nil, fmt.Errorf("GET %s: %s: %w", url, resp.Status, ErrNotFound)
		case resp.StatusCode != http.StatusOK:
			return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		return body, nil
	})
}

// checkThread asserts what every loader promises, whatever the input:
// Index 1..n, ReplyTo pointing backwards, Depth following ReplyTo.
func checkThread(t testing.TB, cs []news.Comment) {
	t.Helper()
	for i, c := range cs {
		if c.Index != i+1 {
			t.Fatalf("comment %d has Index %d", i+1, c.Index)
		}
		if c.ReplyTo < 0 || c.ReplyTo >= c.Index {
			t.Fatalf("comment %d has ReplyTo %d", c.Index, c.ReplyTo)
		}
		want := 0
		if c.ReplyTo > 0 {
			want = cs[c.ReplyTo-1].Depth + 1
		}
		if c.Depth != want {
			t.Fatalf("comment %d (reply to %d) has Depth %d, want %d", c.Index, c.ReplyTo, c.Depth, want)
		}
	}
}

// render writes comments one a line for golden files and failure messages.
func render(cs []news.Comment) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%d%s reply_to=%d id=%s parent=%s author=%q", c.Index, strings.Repeat("  ", c.Depth), c.ReplyTo, c.ExternalID, c.ParentID, c.Author)
		if !c.PostedAt.IsZero() {
			fmt.Fprintf(&b, " posted=%s", c.PostedAt.Format("2006-01-02T15:04:05.999Z07:00"))
		}
		if c.Edited() {
			fmt.Fprintf(&b, " edited=%s", c.EditedAt.Format("2006-01-02T15:04:05.999Z07:00"))
		}
		if c.HasScore {
			fmt.Fprintf(&b, " score=%d", c.Score)
		}
		if c.Deleted {
			b.WriteString(" deleted")
		}
		fmt.Fprintf(&b, "\n    %q\n", c.Body)
	}
	return b.String()
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}
