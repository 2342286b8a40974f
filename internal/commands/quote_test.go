package commands

import (
	"context"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/news"
)

func TestQuote(t *testing.T) {
	h, _ := testHandler(t, fixture(t))
	tests := []struct {
		name, line string
		want       []string // substrings of the content
		not        []string
	}{
		{"top is the most replied-to", "/quote story:1",
			[]string{"**ChrisW**", "> Other news agencies say", "<t:1709294400:R>", "comment 1 on [North Korea denies"},
			[]string{"in reply to"}},
		{"author picks among theirs", "/quote story:1 author:sonic989",
			[]string{"**sonic989**", "> You are assuming they did it", "in reply to **ChrisW**"}, nil},
		{"author any case", "/quote story:1 author:SONIC989 pick:latest",
			[]string{"**sonic989**", "> Let's say your neighbors", "in reply to **bob\\_the\\_builder**"}, nil},
		{"edited mark", "/quote story:1 contains:easy to fake",
			[]string{"**ChrisW**", "*edited* <t:1709295900:R>", "in reply to **alice**", "> Servers and IP addresses"}, nil},
		{"contains spans words", "/quote story:1 author:alice contains:strange thing",
			[]string{"> North Korea denies the attack"}, []string{"in reply to"}},
		// The summary quotes this comment as "The FBI said…"; a quote is the
		// comment as written, lead-in and all.
		{"verbatim from its first word", "/quote story:1 contains:more evidence",
			[]string{"**alice**", "> Actually the FBI said it has more evidence it cannot share."}, nil},
		{"latest", "/quote story:1 pick:latest", []string{"**ChrisW**", "> Strange but typical"}, nil},
		{"top without replies is the first", "/quote story:1 author:alice",
			[]string{"> No, the FBI found"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := run(t, h, tt.line, member)
			wantPublic(t, resp)
			for _, w := range tt.want {
				if !strings.Contains(resp.Data.Content, w) {
					t.Errorf("%s: content lacks %q:\n%s", tt.line, w, resp.Data.Content)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(resp.Data.Content, w) {
					t.Errorf("%s: content has %q:\n%s", tt.line, w, resp.Data.Content)
				}
			}
		})
	}
}

func TestQuoteGolden(t *testing.T) {
	h, _ := testHandler(t, fixture(t))
	golden(t, "quote_author", run(t, h, "/quote story:1 author:sonic989", member))
	golden(t, "quote_mentions", run(t, h, "/quote story:1 author:Mallory", member))
}

func TestQuoteErrors(t *testing.T) {
	h, _ := testHandler(t, fixture(t))
	tests := []struct{ line, want string }{
		{"/quote story:42", `^Story 42 doesn't exist — try /news search or the story autocomplete\.$`},
		{"/quote story:3", `^Story 3 was removed by the server's admins\.$`},
		{"/quote story:2", `^Story 2 has no comments yet\.$`},
		{"/quote story:1 author:sonic98", `^sonic98 hasn't commented on story 1 — did you mean sonic989\?$`},
		{"/quote story:1 author:zed", `^zed hasn't commented on story 1; commenters include ChrisW, alice, sonic989, bob\\_the\\_builder and Mallory\.$`},
		{"/quote story:1 author:alice contains:spaceships", `^No comment by \*\*alice\*\* on story 1 contains “spaceships”\.$`},
		{"/quote story:1 contains:spaceships", `^No comment on story 1 contains “spaceships”\.$`},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			wantEphemeral(t, run(t, h, tt.line, member), tt.want)
		})
	}
}

// A comment holding @everyone and a role mention is quoted without
// pinging anyone and without leaving the quote block.
func TestQuoteCannotPing(t *testing.T) {
	h, _ := testHandler(t, fixture(t))
	c := run(t, h, "/quote story:1 author:Mallory", member).Data.Content
	for _, bad := range []string{"@everyone", "<@&123>", "<@456>"} {
		if strings.Contains(c, bad) {
			t.Errorf("quote holds a live %s:\n%s", bad, c)
		}
	}
	lines := strings.Split(c, "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "> ") {
		t.Errorf("quote is not header, one quoted line, footer:\n%s", c)
	}
}

func TestQuoteTooLong(t *testing.T) {
	h, _ := testHandler(t, fixture(t))
	c := run(t, h, "/quote story:4", member).Data.Content
	lines := strings.Split(c, "\n")
	quote := lines[1]
	if !strings.HasPrefix(quote, "> Sentence 1 of") || !strings.HasSuffix(quote, "lines. …") {
		t.Errorf("long comment not cut at a sentence end with a marker: ...%s", quote[len(quote)-60:])
	}
	if !strings.Contains(c, "✂ Cut to fit one message: about ") {
		t.Errorf("no note that the comment was cut:\n%s", c)
	}
}

// pick:random is deterministic for a seeded source, and a different seed
// can pick differently.
func TestQuoteRandom(t *testing.T) {
	db := fixture(t)
	h, _ := testHandler(t, db)
	first := run(t, h, "/quote story:1 pick:random", member).Data.Content
	for range 3 {
		if again := run(t, h, "/quote story:1 pick:random", member).Data.Content; again != first {
			t.Fatalf("same seed, different picks:\n%s\n%s", first, again)
		}
	}
	seen := map[string]bool{}
	for seed := range uint64(20) {
		h2, _ := testHandler(t, db)
		h2.Rand = seeded(seed)
		seen[run(t, h2, "/quote story:1 pick:random", member).Data.Content] = true
	}
	if len(seen) < 3 {
		t.Errorf("20 seeds picked only %d distinct comments", len(seen))
	}
}

// failingSource is the fixture store with the feed's comment source down.
type failingSource struct {
	Store
	health news.SourceHealth
}

func (f failingSource) CommentHealth(context.Context, string) (news.SourceHealth, error) {
	return f.health, nil
}

// A member asking about an empty thread whose source is failing is told
// so, not that nobody has commented.
func TestEmptyThreadOfFailingSource(t *testing.T) {
	h, _ := testHandler(t, failingSource{Store: fixture(t), health: news.SourceHealth{FeedID: "example", Failures: 4,
		FailingSince: at(60), LastError: "hacker news: item 100 (https://hn.example/v0/item/100.json?key=SECRET): HTTP 500"}})
	want := `^Story 2 has no comments here yet because its comment source is failing: it has failed 4 times in a row since <t:1709298000:R> ` +
		`\(hacker news: item 100 \(https://hn\.example/v0/item/100\.json\): HTTP 500\)\. newsbot keeps trying; ask again later\.$`
	for _, line := range []string{"/quote story:2", "/summarize story:2", "/thread story:2"} {
		wantEphemeral(t, run(t, h, line, member), want)
	}
	// A thread that has comments is quoted from them, source or not.
	if d := run(t, h, "/quote story:1 author:alice", member).Data; d.Flags&discordgo.MessageFlagsEphemeral != 0 {
		t.Errorf("quote of a stored thread refused: %s", d.Content)
	}
}
