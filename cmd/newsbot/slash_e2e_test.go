package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/feed/page"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/render"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// slashWorld is a running bot with stories already stored, answering
// slash commands typed through the emulator.
func slashWorld(t *testing.T, pages ...string) (*world, []int64) {
	t.Helper()
	w := newWorld(t, emulator.Options{})
	w.site.Set("/world.xml", item(1))
	w.writeConfig(`  - id: world
    url: SITE/world.xml
    channels: ["100000000000000001"]
    schedule: "@every 1h"
`)
	w.start(appOptions{})
	var ids []int64
	for _, p := range pages {
		body, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		a, err := page.ParseText(bytes.NewReader(body), page.Options{Now: time.Date(2020, 11, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		r, err := w.app.db.SaveArticle(context.Background(), a, store.SaveOptions{Now: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.Story.ID)
	}
	return w, ids
}

// ask types a command as a member with the given permissions ("" for the
// default admin) and returns the bot's answer.
func (w *world) ask(command, permissions string) (emulator.InteractionResult, responseData) {
	w.t.Helper()
	res, err := w.emu.Interact(context.Background(), emulator.InteractionRequest{
		Command: command, Permissions: emulator.Decimal(permissions), ChannelID: newsChannel,
	})
	if err != nil {
		w.t.Fatalf("%s: %v\nlog:\n%s", command, err, w.logs)
	}
	var cb struct {
		Type int          `json:"type"`
		Data responseData `json:"data"`
	}
	json.Unmarshal(res.Callback, &cb)
	d := cb.Data
	if len(res.Messages) > 0 { // a deferred answer: the edit holds the message
		m := res.Messages[0]
		d.Content, d.Flags = m.Content, m.Flags
		d.Embeds = nil
		for _, e := range m.Embeds {
			ed := embedData{Title: e.Title, Description: e.Description, Fields: fields(e)}
			if e.Footer != nil {
				ed.Footer = &struct {
					Text string `json:"text"`
				}{e.Footer.Text}
			}
			d.Embeds = append(d.Embeds, ed)
		}
	}
	return res, d
}

type responseData struct {
	Content         string      `json:"content"`
	Flags           int         `json:"flags"`
	Embeds          []embedData `json:"embeds"`
	AllowedMentions *struct {
		Parse []string `json:"parse"`
	} `json:"allowed_mentions"`
	Choices []struct {
		Name  string `json:"name"`
		Value any    `json:"value"`
	} `json:"choices"`
}

type embedData struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Footer      *struct {
		Text string `json:"text"`
	} `json:"footer"`
	Fields []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"fields"`
}

func fields(e emulator.Embed) []struct {
	Name  string `json:"name"`
	Value string `json:"value"`
} {
	var out []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	for _, f := range e.Fields {
		out = append(out, struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		}{f.Name, f.Value})
	}
	return out
}

// text is everything a member reads in the answer.
func (d responseData) text() string {
	var b strings.Builder
	b.WriteString(d.Content)
	for _, e := range d.Embeds {
		b.WriteString("\n" + e.Title + "\n" + e.Description)
		for _, f := range e.Fields {
			b.WriteString("\n" + f.Name + "\n" + f.Value)
		}
	}
	return b.String()
}

const ephemeral = 64

// TestSlashCommandsOnTheSeedThread is issue 5's acceptance, through the
// emulator, on the seed thread.
func TestSlashCommandsOnTheSeedThread(t *testing.T) {
	seed := filepath.Join(needShared(t, "seeds"), "000_fe0adea8449b3ec9.txt")
	w, ids := slashWorld(t, seed)
	id := itoa(ids[0])
	comments, _ := w.app.db.Comments(context.Background(), ids[0])

	_, d := w.ask("/quote story:"+id+" author:sonic989", "")
	var quoted bool
	for _, c := range comments {
		if c.Author == "sonic989" && strings.Contains(d.text(), render.Quote(c.Body)) {
			quoted = true
		}
	}
	if !quoted || !strings.Contains(d.text(), "sonic989") {
		t.Errorf("/quote author:sonic989 did not quote one of sonic989's comments verbatim:\n%s", d.text())
	}

	res, d := w.ask("/summarize story:"+id, "")
	if res.ElapsedMS > 3000 {
		t.Errorf("/summarize took %d ms", res.ElapsedMS)
	}
	sum := d.text()
	for _, name := range []string{"SilentNegotiator", "ChrisW"} {
		if !strings.Contains(sum, name) {
			t.Errorf("the summary does not name %s among the most active:\n%s", name, sum)
		}
	}
	checkAttribution(t, sum, comments)

	res, err := w.emu.Interact(context.Background(), emulator.InteractionRequest{
		Type: "autocomplete", Command: "/quote story:north korea", Focused: "story", ChannelID: newsChannel,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(res.Callback, []byte("North Korea denies attacking Sony")) || !bytes.Contains(res.Callback, []byte(`"value":`+id)) {
		t.Errorf("autocomplete for %q: %s", "north korea", res.Callback)
	}
}

// checkAttribution: every quoted extract “…” — **author** is real text by
// that author.
func checkAttribution(t *testing.T, summary string, cs []news.Comment) {
	t.Helper()
	n := 0
	for _, line := range strings.Split(summary, "\n") {
		open, close := strings.Index(line, "“"), strings.LastIndex(line, "” — **")
		if open < 0 || close < open {
			continue
		}
		extract := strings.TrimSuffix(strings.TrimSpace(line[open+len("“"):close]), "…")
		author := strings.TrimSuffix(line[close+len("” — **"):], "**")
		if i := strings.Index(author, "**"); i >= 0 {
			author = author[:i]
		}
		n++
		found := false
		for _, c := range cs {
			if c.Author == unescape(author) && verbatimQuote(c.Body, unescape(extract)) {
				found = true
			}
		}
		if !found {
			t.Errorf("extract %q is not text by %s", extract, author)
		}
	}
	if n == 0 {
		t.Errorf("no attributed extracts in:\n%s", summary)
	}
}

// unescape undoes render.Escape for comparison with the stored text.
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return strings.ReplaceAll(b.String(), "@\u200b", "@")
}

func TestSlashCommandErrorsAreClearAndEphemeral(t *testing.T) {
	w, _ := slashWorld(t, fixture("council.txt"))
	ctx := context.Background()
	empty, err := w.app.db.SaveArticle(ctx, news.Article{GUID: "quiet", Title: "A story nobody discussed", Paragraphs: []string{"Nothing to see."}},
		store.SaveOptions{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	gone, _ := w.app.db.SaveArticle(ctx, news.Article{GUID: "gone", Title: "Retracted story", Paragraphs: []string{"Withdrawn."}},
		store.SaveOptions{Now: time.Now()})
	w.app.db.DeleteStory(ctx, gone.Story.ID)
	for _, tc := range []struct {
		name, command, permissions, want string
	}{
		{"non-admin /feeds", "/feeds status", "3072", "Manage Server"},
		{"unknown story", "/quote story:4242", "", "4242"},
		{"empty thread", "/summarize story:" + itoa(empty.Story.ID), "", "no comments"},
		{"deleted story", "/quote story:" + itoa(gone.Story.ID), "", "was removed by the server's admins"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, d := w.ask(tc.command, tc.permissions)
			if d.Flags&ephemeral == 0 || !strings.Contains(d.text(), tc.want) {
				t.Errorf("%s: flags %d, answer %q; want an ephemeral answer mentioning %q", tc.command, d.Flags, d.text(), tc.want)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestQuotedCommentCannotPing(t *testing.T) {
	w, _ := slashWorld(t)
	ctx := context.Background()
	r, err := w.app.db.SaveArticle(ctx, news.Article{GUID: "ping", Title: "Pings", Paragraphs: []string{"Text."},
		Comments: []news.Comment{{Index: 1, Author: "troll", Body: "@everyone look at this <@&123>\n> not a quote\n```\ncode"}}},
		store.SaveOptions{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	_, d := w.ask("/quote story:"+itoa(r.Story.ID), "")
	for _, line := range strings.Split(d.Content, "\n") {
		if strings.Contains(line, "everyone") && !strings.HasPrefix(line, "> ") {
			t.Errorf("the comment broke out of the quote block: %q", line)
		}
	}
	var found bool
	for _, req := range w.emu.Requests() {
		if !strings.Contains(req.Path, "/callback") && !strings.Contains(req.Path, "/webhooks/") {
			continue
		}
		if bytes.Contains(req.Body, []byte("everyone")) {
			found = true
			if !bytes.Contains(req.Body, []byte(`"allowed_mentions":{"parse":[]`)) {
				t.Errorf("the answer may ping: %s", req.Body)
			}
		}
	}
	if !found {
		t.Errorf("no answer carrying the comment in the request log")
	}
}

// verbatimQuote reports whether extract is words of text as written, spacing aside,
// but for the "…" that marks a sentence's opening left out ("Actually
// the FBI said…" quoted as "…the FBI said…").
func verbatimQuote(text, extract string) bool {
	text = strings.Join(strings.Fields(text), " ")
	return strings.Contains(text, strings.TrimPrefix(extract, "…"))
}
