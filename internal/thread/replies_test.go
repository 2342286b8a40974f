package thread

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// thread builds comments in page order from "author: body" strings.
func thread(lines ...string) []news.Comment {
	cs := make([]news.Comment, len(lines))
	for i, l := range lines {
		author, body, _ := strings.Cut(l, ": ")
		cs[i] = news.Comment{Index: i + 1, Author: author, Body: body}
	}
	return cs
}

func replyTos(cs []news.Comment) []int {
	out := make([]int, len(cs))
	for i, c := range cs {
		out[i] = c.ReplyTo
	}
	return out
}

func TestInferReplies(t *testing.T) {
	tests := []struct {
		name    string
		thread  []string
		replyTo []int
	}{
		// Addresses.
		{"@name", []string{"ann: first", "bob: second", "cat: @ann you are right"}, []int{0, 0, 1}},
		{"@ name with a space", []string{"ann: first", "bob: @ ann no"}, []int{0, 1}},
		{"@ prefix of three letters", []string{"Jrmy84: slander", "sonic989: @ jrmy\nLet's say"}, []int{0, 1}},
		{"@ prefix too short", []string{"Jrmy84: slander", "sonic989: @ jr what"}, []int{0, 0}},
		{"nearest comment by that author", []string{"ann: one", "ann: two", "bob: three", "cat: @Ann which?"}, []int{0, 0, 0, 2}},
		{"a full name beats a nearer prefix", []string{"chris: one", "chrisw: two", "bob: @chris hi"}, []int{0, 0, 1}},
		{"unknown name", []string{"ann: one", "bob: @zed hi"}, []int{0, 0}},
		{"an e-mail address is no address", []string{"example: one", "bob: write to me@example.com"}, []int{0, 0}},
		{"a later author is not addressed", []string{"ann: @bob hi", "bob: hello"}, []int{0, 0}},
		{"opening with a name", []string{"ChrisW: NK did it", "plmkoh: ChrisW, that is not what I read"}, []int{0, 1}},
		{"opening with a word that is no author", []string{"ann: one", "bob: Well, no"}, []int{0, 0}},

		// Quotations.
		{"double quotes, case and spacing ignored", []string{
			"Rute: If the police spread rumors about you, what would you do? Go door to door?",
			"Devil-X: These days.. you never know.",
			`Silent: "WHAT  would you do?" Shake my fist.`,
		}, []int{0, 0, 1}},
		{"curly quotes", []string{"ann: the bridge hums in the wind", "bob: “hums in the wind” is generous"}, []int{0, 1}},
		{"single quotes around apostrophes", []string{
			"ChrisW: Other news agencies are stating it was hacktivists.",
			"plmkoh: Funny because the 'news agencies' I've read all say otherwise.",
		}, []int{0, 1}},
		{"a > line", []string{
			"mcstorm: it was fine, honestly better than the local paper",
			"neo: > it was fine, honestly better than the local paper\nFine for football maybe.",
		}, []int{0, 1}},
		{"quote found only in the article", []string{"ann: first", `bob: they said "software cannot ask a follow-up question"`}, []int{0, 0}},
		{"a single common word", []string{"ann: this is it", `bob: "this"`}, []int{0, 0}},
		{"a single uncommon word", []string{"ann: all of their antics are obvious", `bob: this "antics" of theirs`}, []int{0, 1}},
		{"an elided quote", []string{
			"ann: Let us help you find the bad guys before it is too late for everyone",
			`bob: "Let us help you ... too late for everyone" sounds like a threat`,
		}, []int{0, 1}},
		{"the longest quoted match wins", []string{
			"plmkoh: Around two weeks later GOP demanded the take down of the film",
			"ChrisW: all of their antics are obvious",
			`Silent: this "antics" thing. "Around two weeks later GOP demanded the take down" WTF?`,
		}, []int{0, 0, 1}},
		{"equal quotes go to the nearest", []string{"ann: the harbour tunnel leaks", "bob: the harbour tunnel leaks badly", `cat: "harbour tunnel leaks"`}, []int{0, 0, 2}},

		// Shared runs of words.
		{"five words, two of them content", []string{
			"Silent: China is getting more and more fed up with NK.",
			"ChrisW: China says they are getting more and more fed up... but they condone it.",
		}, []int{0, 1}},
		{"stop words only", []string{"ann: I don't think they did it.", "bob: Well I don't think they did it either."}, []int{0, 0}},
		{"four words", []string{"ann: the bridge hums loudly today", "bob: yes the bridge hums loudly"}, []int{0, 0}},

		// Precedence and limits.
		{"an address beats a quote", []string{
			"ann: the bridge hums in the wind every night",
			"bob: something else entirely",
			`cat: @bob "the bridge hums in the wind every night"`,
		}, []int{0, 0, 2}},
		{"a quote beats a longer shared run", []string{
			"ann: the council will tape over some of the holes next week",
			"bob: a choir had started rehearsing with it",
			`cat: "rehearsing with it" they said. The council will tape over some of the holes next week!`,
		}, []int{0, 0, 2}},
		{"never its own author", []string{"Greta: They promised it would last a century.", "Greta: 'a century' was optimistic."}, []int{0, 0}},
		{"never itself", []string{`ann: "quote me" I said, "quote me"`}, []int{0}},
		{"no evidence", []string{"ann: Thats because they feel threatened", "bob: Like a wolf cub biting a lion"}, []int{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := replyTos(InferReplies(thread(tt.thread...)))
			if !slices.Equal(got, tt.replyTo) {
				t.Errorf("reply_to = %v, want %v", got, tt.replyTo)
			}
		})
	}
}

// TestInferRepliesRespectsTime: page order is not always time order ("top"
// sorting); nobody answers a comment posted after their own, but rounded
// ages within the hour are given the benefit of the doubt.
func TestInferRepliesRespectsTime(t *testing.T) {
	now := time.Date(2020, 11, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name        string
		parentAgo   time.Duration
		replyAgo    time.Duration
		wantReplyTo int
	}{
		{"parent posted first", 2 * time.Hour, time.Hour, 1},
		{"same rounded age", time.Hour, time.Hour, 1},
		{"parent 59m, reply 1h: rounding", 59 * time.Minute, time.Hour, 1},
		{"parent posted days after the reply", 45 * time.Minute, 72 * time.Hour, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := thread("alice: great news for the riverside", `carol: "great news" is a stretch`)
			cs[0].PostedAt, cs[1].PostedAt = now.Add(-tt.parentAgo), now.Add(-tt.replyAgo)
			if got := InferReplies(cs)[1].ReplyTo; got != tt.wantReplyTo {
				t.Errorf("reply_to = %d, want %d", got, tt.wantReplyTo)
			}
		})
	}
}

func TestInferRepliesKeepsStructure(t *testing.T) {
	cs := thread("ann: first post here", "bob: @ann reply", "cat: @ann another", "dan: @bob third")
	cs[1].ReplyTo = 1                 // already known from the source
	cs[2].ParentID = "t3_post"        // a top-level comment in a structured source
	cs[3].ReplyTo, cs[3].Depth = 1, 1 // the source says otherwise than the text
	in := slices.Clone(cs)
	got := InferReplies(cs)
	if want := []int{0, 1, 0, 1}; !slices.Equal(replyTos(got), want) {
		t.Errorf("reply_to = %v, want %v: structured comments are left alone", replyTos(got), want)
	}
	if !slices.Equal(cs, in) {
		t.Errorf("InferReplies changed its input")
	}
}

func TestInferRepliesOddIndexes(t *testing.T) {
	tests := []struct {
		name    string
		indexes []int
		want    []int
	}{
		{"zero indexes are never targets or sources", []int{0, 0}, []int{0, 0}},
		{"gaps are fine", []int{3, 7}, []int{0, 3}},
		{"out of order: never a later Index", []int{5, 2}, []int{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := thread("ann: first", "bob: @ann hi")
			for i := range cs {
				cs[i].Index = tt.indexes[i]
			}
			if got := replyTos(InferReplies(cs)); !slices.Equal(got, tt.want) {
				t.Errorf("reply_to = %v, want %v", got, tt.want)
			}
		})
	}
	if got := InferReplies(nil); len(got) != 0 {
		t.Errorf("InferReplies(nil) = %v", got)
	}
}

func TestQuotations(t *testing.T) {
	tests := []struct {
		body string
		want []string
	}{
		{`Except this "antic" involves`, []string{"antic"}},
		{`"Around 'The Interview' which" WTF`, []string{"Around 'The Interview' which", "The Interview"}},
		{"Sony's don't 'news agencies' I've", []string{"news agencies"}},
		{"> quoted line\nreply", []string{"quoted line"}},
		{`unclosed "quote runs on`, nil},
		{`empty "" quotes`, nil},
		{"«guillemets» and „low“", []string{"guillemets", "low"}},
	}
	for _, tt := range tests {
		if got := quotations(tt.body); !slices.Equal(got, tt.want) {
			t.Errorf("quotations(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestMentions(t *testing.T) {
	tests := []struct {
		body string
		want []string
	}{
		{"@ jrmy\nLet's say", []string{"jrmy"}},
		{"@ChrisW's point, @sonic989.", []string{"chrisw", "sonic989"}},
		{"mail bob@example.com", nil},
		{"@ @", nil},
	}
	for _, tt := range tests {
		if got := mentions(tt.body); !slices.Equal(got, tt.want) {
			t.Errorf("mentions(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func FuzzInferReplies(f *testing.F) {
	f.Add("ann: first\x1ebob: @ann \"first\"\x1ecat: > first\nok\x1eann: 'ok'")
	f.Add("Rute: what would you do?\x1eSilent: \"what would you do?\"\x1esonic: @ sil")
	f.Add(strings.Repeat("a: 'x ", 50) + "\x1eb: a a a a a a a\x1ec: a a a a a a a")
	f.Fuzz(func(t *testing.T, s string) {
		cs := thread(strings.Split(s, "\x1e")...)
		if len(cs) > 2 {
			cs[2].ReplyTo = 1 // a comment whose structure is known
		}
		in := slices.Clone(cs)
		out := InferReplies(cs)
		if !slices.Equal(cs, in) {
			t.Fatal("input changed")
		}
		if len(out) != len(cs) {
			t.Fatalf("%d comments out, %d in", len(out), len(cs))
		}
		for i, c := range out {
			if c.Index != i+1 || c.Body != cs[i].Body || c.Author != cs[i].Author {
				t.Fatalf("comment %d changed beyond ReplyTo: %+v", i+1, c)
			}
			if cs[i].ReplyTo != 0 {
				if c.ReplyTo != cs[i].ReplyTo {
					t.Errorf("comment %d: known ReplyTo %d replaced by %d", c.Index, cs[i].ReplyTo, c.ReplyTo)
				}
				continue
			}
			if c.ReplyTo < 0 || c.ReplyTo >= c.Index {
				t.Errorf("comment %d answers %d", c.Index, c.ReplyTo)
			}
			if c.ReplyTo > 0 && strings.EqualFold(out[c.ReplyTo-1].Author, c.Author) && c.Author != "" {
				t.Errorf("comment %d by %q answers its own author's comment %d", c.Index, c.Author, c.ReplyTo)
			}
		}
	})
}
