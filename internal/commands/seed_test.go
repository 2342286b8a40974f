package commands

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/feed/page"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// seedStory loads the project's seed page into a fresh store through the
// page parser and SaveArticle, as `newsbot import` would.
func seedStory(t *testing.T) (*store.DB, news.Story, []news.Comment) {
	t.Helper()
	path := filepath.Join("..", "..", "..", "shared", "seeds", "000_fe0adea8449b3ec9.txt")
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		t.Skipf("seed %s absent (the shared folder is not beside this checkout)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a, err := page.ParseText(f, page.Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	res, err := db.SaveArticle(context.Background(), a, store.SaveOptions{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := db.Comments(context.Background(), res.Story.ID)
	if err != nil {
		t.Fatal(err)
	}
	return db, res.Story, cs
}

func TestSeedQuote(t *testing.T) {
	db, s, cs := seedStory(t)
	h, _ := testHandler(t, db)
	var bodies []string
	for _, c := range cs {
		if c.Author == "sonic989" {
			bodies = append(bodies, c.Body)
		}
	}
	if len(bodies) != 2 {
		t.Fatalf("seed parsed with %d comments by sonic989, want 2", len(bodies))
	}
	for _, pick := range []string{"top", "latest", "random"} {
		resp := run(t, h, fmt.Sprintf("/quote story:%d author:sonic989 pick:%s", s.ID, pick), member)
		wantPublic(t, resp)
		got := quotedText(resp.Data.Content)
		if got != bodies[0] && got != bodies[1] {
			t.Errorf("pick:%s quoted %q, not one of sonic989's comments verbatim", pick, got)
		}
	}
}

// quotedText recovers the text of a quote block as a reader would copy it.
func quotedText(content string) string {
	var lines []string
	for _, l := range strings.Split(content, "\n") {
		if l == ">" {
			lines = append(lines, "")
		} else if q, ok := strings.CutPrefix(l, "> "); ok {
			lines = append(lines, unescape(q))
		}
	}
	return strings.Join(lines, "\n")
}

func TestSeedSummarize(t *testing.T) {
	db, s, cs := seedStory(t)
	h, _ := testHandler(t, db)
	for _, length := range []string{"short", "standard", "detailed"} {
		resp := run(t, h, fmt.Sprintf("/summarize story:%d length:%s", s.ID, length), member)
		wantPublic(t, resp)
		checkAttributed(t, text(resp), cs)
		active := field(resp, "Most active")
		lines := strings.Split(active, "\n")
		top := strings.Join(lines[:min(2, len(lines))], "\n")
		if !strings.Contains(top, "**SilentNegotiator**") || !strings.Contains(top, "**ChrisW**") {
			t.Errorf("length %s: most active starts %q, want SilentNegotiator and ChrisW", length, top)
		}
	}
}

func TestSeedAutocomplete(t *testing.T) {
	db, s, _ := seedStory(t)
	h, _ := testHandler(t, db)
	for _, typed := range []string{"north korea", "North Ko", "sony", "investigate deni"} {
		got := complete(t, h, "/quote story:"+typed, "story", member)
		if len(got) == 0 || got[0].Value != s.ID {
			t.Errorf("typing %q offers %v, want story %d first", typed, choiceNames(got), s.ID)
		}
	}
	got := complete(t, h, fmt.Sprintf("/quote story:%d author:sonic", s.ID), "author", member)
	if names := choiceNames(got); names != "sonic989" {
		t.Errorf("author autocomplete for \"sonic\" = %s", names)
	}
}
