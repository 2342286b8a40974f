package commands

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

func TestStoryAutocomplete(t *testing.T) {
	h, _ := testHandler(t, fixture(t))
	tests := []struct{ line, want string }{
		{"/quote story:north korea", "North Korea denies attacking Sony, offers to help investigate (#1)"},
		{"/summarize story:NORTH", "North Korea denies attacking Sony, offers to help investigate (#1)"},
		{"/thread story:help invest", "North Korea denies attacking Sony, offers to help investigate (#1)"},
		{"/story show story:bridge", "Bridge reopens after storm (updated) (#2)"},
		{"/quote story:", "Election night live (#5) | Council publishes budget (#4) | Bridge reopens after storm (updated) (#2) | North Korea denies attacking Sony, offers to help investigate (#1)"},
		{"/quote story:4", "Council publishes budget (#4)"},
		{"/quote story:#2", "Bridge reopens after storm (updated) (#2)"},
		{"/quote story:3", ""},     // deleted
		{"/quote story:taken", ""}, // deleted
		{"/quote story:zebra", ""},
		{`/quote story:north OR korea* NEAR(`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			if got := choiceNames(complete(t, h, tt.line, "story", member)); got != tt.want {
				t.Errorf("choices %q, want %q", got, tt.want)
			}
		})
	}
	got := complete(t, h, "/quote story:north", "story", member)
	if v, ok := got[0].Value.(int64); !ok || v != 1 {
		t.Errorf("choice value %#v, want the story id 1", got[0].Value)
	}
}

// Long titles are cut to fit Discord's 100 characters with the id kept,
// and no more than 25 stories are offered.
func TestStoryAutocompleteLimits(t *testing.T) {
	ctx := context.Background()
	db := emptyStore(t)
	long := strings.Repeat("North Korea denies attacking Sony again and again ", 4)
	for n := range 30 {
		a := news.Article{GUID: fmt.Sprint(n), Title: fmt.Sprintf("%s %d", long, n), Paragraphs: []string{fmt.Sprint("Text ", n)}}
		if _, err := db.SaveArticle(ctx, a, store.SaveOptions{Now: t0}); err != nil {
			t.Fatal(err)
		}
	}
	h, _ := testHandler(t, db)
	got := complete(t, h, "/quote story:north kor", "story", member)
	if len(got) != 25 {
		t.Fatalf("%d choices, want 25", len(got))
	}
	if got[0].Name != "North Korea denies attacking Sony again and again North Korea denies attacking Sony again… (#30)" {
		t.Errorf("first choice %q", got[0].Name)
	}
}

func TestAuthorAutocomplete(t *testing.T) {
	h, _ := testHandler(t, fixture(t))
	tests := []struct{ line, want string }{
		{"/quote story:1 author:", "ChrisW | alice | sonic989 | bob_the_builder | Mallory"},
		{"/quote story:1 author:s", "sonic989"},
		{"/quote story:1 author:CHR", "ChrisW"},
		{"/thread story:1 author:b", "bob_the_builder"},
		{"/quote author:a", ""},          // no story yet
		{"/quote story:42 author:a", ""}, // no such story
		{"/quote story:1 author:%", ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			if got := choiceNames(complete(t, h, tt.line, "author", member)); got != tt.want {
				t.Errorf("choices %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFeedAutocomplete(t *testing.T) {
	h, _ := feedsHandler(t)
	tests := []struct {
		line  string
		perms int64
		want  string
	}{
		{"/feeds preview feed:", admin, "example — Example News | local"},
		{"/feeds preview feed:LO", admin, "local"},
		{"/feeds preview feed:news", admin, "example — Example News"},
		{"/feeds preview feed:", member, ""}, // not for non-admins
		{"/news latest feed:ex", member, "example — Example News"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got := complete(t, h, tt.line, "feed", tt.perms)
			if names := choiceNames(got); names != tt.want {
				t.Errorf("choices %q, want %q", names, tt.want)
			}
			if len(got) > 0 && got[0].Value != strings.SplitN(got[0].Name, " ", 2)[0] {
				t.Errorf("choice value %v is not the feed id", got[0].Value)
			}
		})
	}
	h.Feeds = nil
	if got := complete(t, h, "/news latest feed:", "feed", member); len(got) != 0 {
		t.Errorf("without feeds: %v", choiceNames(got))
	}
}
