package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// hostileStories are stories as a hostile or broken feed delivers them:
// links Discord refuses in an embed, and bidi controls that reorder what
// a reader sees ("gnp.exe" behind U+202E reads "exe.png").
var hostileStories = []news.Article{
	{GUID: "ftp", URL: "ftp://files.example/report.pdf", Title: "Report published over FTP",
		Paragraphs: []string{"The report is on the FTP server."}},
	{GUID: "fuzz", URL: "A://::", Title: "A link that does not parse once canonical",
		Paragraphs: []string{"FuzzCanonicalURL found it."}},
	{GUID: "js", URL: "javascript:alert(1)", Title: "Script link", Paragraphs: []string{"Click it."}},
	{GUID: "bidi", URL: "https://news.example/files", Title: "Download holiday-\u202egnp.exe",
		Paragraphs: []string{"Open \u2067gnp.exe\u2069 now \u202aplease\u202c."}},
}

func hostileHandler(t *testing.T) (*Handler, []int64) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var ids []int64
	for i, a := range hostileStories {
		a.Comments = []news.Comment{{Author: "mallory\u202e", PostedAt: at(i), Body: "see \u202egnp.exe\u202c and " + strings.Repeat("more words here. ", 200)}}
		res, err := db.SaveArticle(ctx, a, store.SaveOptions{FeedID: "example", Now: at(i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.Story.ID)
	}
	h, _ := testHandler(t, db)
	return h, ids
}

// TestHostileStoriesAnswer: every command about a story whose link is not
// http(s) answers, with the story and without the link, and nothing any
// command answers carries a bidi control. (run checks each answer's links
// are ones Discord accepts.)
func TestHostileStoriesAnswer(t *testing.T) {
	h, ids := hostileHandler(t)
	for i, id := range ids {
		for _, line := range []string{
			"/story show story:%d", "/story changes story:%d", "/quote story:%d", "/summarize story:%d", "/thread story:%d",
		} {
			line := fmt.Sprintf(line, id)
			t.Run(hostileStories[i].GUID+" "+line, func(t *testing.T) {
				resp := run(t, h, line, member)
				raw, _ := json.Marshal(resp)
				if strings.ContainsAny(string(raw), "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") ||
					strings.Contains(string(raw), `\u202`) || strings.Contains(string(raw), `\u206`) {
					t.Errorf("answer carries a bidi control: %s", raw)
				}
				if line == fmt.Sprintf("/story show story:%d", id) {
					e := resp.Data.Embeds[0]
					if !strings.Contains(e.Title, strings.Fields(hostileStories[i].Title)[0]) {
						t.Errorf("card title %q", e.Title)
					}
					if want := map[string]string{"bidi": "https://news.example/files"}[hostileStories[i].GUID]; e.URL != want {
						t.Errorf("card link %q, want %q", e.URL, want)
					}
				}
			})
		}
	}
	list := run(t, h, "/news latest", member)
	if raw, _ := json.Marshal(list); strings.Contains(string(raw), "ftp://") || strings.Contains(string(raw), "javascript:") {
		t.Errorf("/news latest links a non-http story: %s", raw)
	}
	for _, c := range complete(t, h, "/quote story:gnp", "story", member) {
		if strings.ContainsFunc(c.Name, func(r rune) bool { return r == '\u202e' }) {
			t.Errorf("autocomplete choice %q carries U+202E", c.Name)
		}
	}
}
