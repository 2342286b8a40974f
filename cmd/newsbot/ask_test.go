package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// askFixture is a database with one story and a short thread, saved the
// way the bot saves stories.
func askFixture(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "news.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	c := func(author string, min, replyTo int, body string) news.Comment {
		return news.Comment{Author: author, Body: body, ReplyTo: replyTo, PostedAt: t0.Add(time.Duration(min) * time.Minute)}
	}
	_, err = db.SaveArticle(context.Background(), news.Article{
		GUID: "sony", URL: "https://news.example/sony", Title: "North Korea denies attacking Sony",
		Paragraphs: []string{"North Korea denied the hack and offered to help investigate."},
		Comments: []news.Comment{
			c("ChrisW", 0, 0, "It looks like the work of hacktivists, not North Korea."),
			c("sonic989", 5, 1, "You are assuming they did it. @everyone <@&123>"),
			c("ChrisW", 9, 2, "Servers and IP addresses are easy to fake."),
		},
	}, store.SaveOptions{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func askCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &cmdEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := runMain(context.Background(), env, append([]string{"ask"}, args...))
	return code, out.String(), errb.String()
}

// answer is the JSON ask prints.
type answer struct {
	Content string `json:"content"`
	Embeds  []struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		Fields      []struct{ Name, Value string }
	} `json:"embeds"`
	Components      []json.RawMessage `json:"components"`
	Flags           int               `json:"flags"`
	AllowedMentions *struct {
		Parse []string `json:"parse"`
	} `json:"allowed_mentions"`
	Choices []struct {
		Name  string `json:"name"`
		Value any    `json:"value"`
	} `json:"choices"`
}

func askJSON(t *testing.T, args ...string) answer {
	t.Helper()
	code, stdout, stderr := askCLI(t, args...)
	if code != 0 {
		t.Fatalf("ask %q: exit %d, stderr %s", args, code, stderr)
	}
	var a answer
	if err := json.Unmarshal([]byte(stdout), &a); err != nil {
		t.Fatalf("ask %q printed %q: %v", args, stdout, err)
	}
	return a
}

func TestAsk(t *testing.T) {
	db := askFixture(t)
	q := askJSON(t, "--db", db, "/quote story:1 author:sonic989")
	if !strings.HasPrefix(q.Content, "**sonic989** · <t:1709294700:R> · in reply to **ChrisW**\n> You are assuming they did it. @\u200beveryone \\<@&123\\>") {
		t.Errorf("quote: %q", q.Content)
	}
	if q.AllowedMentions == nil || q.AllowedMentions.Parse == nil || len(q.AllowedMentions.Parse) != 0 || q.Flags != 0 {
		t.Errorf("allowed_mentions %+v, flags %d", q.AllowedMentions, q.Flags)
	}
	// Words of an unquoted command line are joined, as a shell splits them.
	s := askJSON(t, "--db", db, "/summarize", "story:1", "length:short")
	if len(s.Embeds) != 1 || !strings.HasPrefix(s.Embeds[0].Description, "**3 comments** from **2 people**") {
		t.Errorf("summary: %+v", s.Embeds)
	}
	c := askJSON(t, "--db", db, "--focus", "story", "/quote story:north ko")
	if len(c.Choices) != 1 || c.Choices[0].Name != "North Korea denies attacking Sony (#1)" || c.Choices[0].Value != 1.0 {
		t.Errorf("choices: %+v", c.Choices)
	}
	e := askJSON(t, "--db", db, "/quote story:42")
	if e.Content != "Story 42 doesn't exist — try /news search or the story autocomplete." || e.Flags != 64 {
		t.Errorf("unknown story: %q, flags %d", e.Content, e.Flags)
	}
	f := askJSON(t, "--db", db, "/feeds list")
	if !strings.HasPrefix(f.Content, "Feed information isn't available here") {
		t.Errorf("/feeds without --config: %q", f.Content)
	}
}

func TestAskUsageErrors(t *testing.T) {
	db := askFixture(t)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--db", db}, 2, "give the command to ask"},
		{[]string{"--db", db, "/quote story:one"}, 2, `option story takes a whole number, not "one"`},
		{[]string{"--db", db, "/weather"}, 2, "unknown command /weather"},
		{[]string{"--db", filepath.Join(t.TempDir(), "none.db"), "/quote story:1"}, 1, "none.db does not exist"},
		{[]string{"--db", db, "--focus", "colour", "/quote"}, 2, `/quote has no option "colour" to autocomplete`},
	}
	for _, tt := range tests {
		code, stdout, stderr := askCLI(t, tt.args...)
		if code != tt.code || stdout != "" || !strings.Contains(stderr, tt.want) {
			t.Errorf("ask %q: exit %d, stdout %q, stderr %q; want exit %d and %q", tt.args, code, stdout, stderr, tt.code, tt.want)
		}
	}
}

const askRSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title><link>https://local.example/</link>
<item><guid>a</guid><title>Older item</title><link>https://local.example/a</link><pubDate>Fri, 01 Mar 2024 10:00:00 GMT</pubDate><description>Old news.</description></item>
<item><guid>b</guid><title>Newest *item*</title><link>https://local.example/b</link><pubDate>Fri, 01 Mar 2024 11:00:00 GMT</pubDate><description>Fresh news for @everyone.</description></item>
</channel></rss>`

// With --config, /feeds answers from the config and the database, the
// local operator is an admin unless told otherwise, and preview fetches.
func TestAskFeeds(t *testing.T) {
	db := askFixture(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "feed.xml"), []byte(askRSS), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "newsbot.yaml")
	yaml := "discord:\n  token: x\ndatabase: " + db + "\nfeeds:\n  - id: local\n    name: Local News\n    url: feed.xml\n" +
		"    channels: [\"100000000000000001\"]\n    schedule: \"@every 10m\"\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	st := askJSON(t, "--config", cfg, "/feeds status")
	if len(st.Embeds) != 1 || !strings.HasPrefix(st.Embeds[0].Description, "**local** ⏳ not polled yet\nnext run <t:") || st.Flags != 64 {
		t.Errorf("status: %+v", st)
	}
	p := askJSON(t, "--config", cfg, "/feeds preview feed:local")
	if len(p.Embeds) != 1 || p.Embeds[0].Title != "Newest \\*item\\*" || !strings.Contains(p.Embeds[0].Description, "@\u200beveryone") {
		t.Errorf("preview: %+v", p)
	}
	no := askJSON(t, "--config", cfg, "--user-permissions", "0x800", "/feeds list")
	if !strings.HasPrefix(no.Content, "/feeds is for admins") || no.Flags != 64 {
		t.Errorf("non-admin: %q", no.Content)
	}
	yes := askJSON(t, "--config", cfg, "--user-permissions", "32", "/feeds list")
	if len(yes.Embeds) != 1 {
		t.Errorf("Manage Server refused: %q", yes.Content)
	}
}
