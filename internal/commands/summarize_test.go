package commands

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/summarize"
)

func TestSummarize(t *testing.T) {
	db := fixture(t)
	h, _ := testHandler(t, db)
	for _, length := range []string{"", " length:short", " length:standard", " length:detailed"} {
		t.Run("length"+length, func(t *testing.T) {
			resp := run(t, h, "/summarize story:1"+length, member)
			wantPublic(t, resp)
			e := resp.Data.Embeds[0]
			if !strings.HasPrefix(e.Description, "**10 comments** from **5 people**, over 1 hour") {
				t.Errorf("no size line: %q", e.Description)
			}
			checkAttributed(t, text(resp), sonyComments())
			if f := field(resp, "Most active"); !strings.HasPrefix(f, "**alice** (3 comments, 57 words)\n**ChrisW** (3 comments") {
				t.Errorf("most active = %q, want alice and ChrisW first", f)
			}
			if f := field(resp, "Most replied-to"); !strings.HasPrefix(f, "**ChrisW** · comment 1 · 3 direct replies") {
				t.Errorf("most replied-to = %q", f)
			}
			if !strings.HasPrefix(e.Footer.Text, "Extractive summary") {
				t.Errorf("footer %q does not name the engine", e.Footer.Text)
			}
		})
	}
	golden(t, "summarize", run(t, h, "/summarize story:1", member))
}

// pointRE finds extracts as the summary renders them: “text” — **author**.
var pointRE = regexp.MustCompile(`“([^”]+)” — \*\*([^*]+)\*\*`)

// checkAttributed fails unless every extract in shown is real text of a
// comment by the author it is credited to.
func checkAttributed(t *testing.T, shown string, cs []news.Comment) {
	t.Helper()
	ms := pointRE.FindAllStringSubmatch(shown, -1)
	if len(ms) == 0 {
		t.Fatalf("no extracts in:\n%s", shown)
	}
	for _, m := range ms {
		quote := unescape(strings.TrimSuffix(m[1], "…"))
		author := unescape(m[2])
		found := false
		for _, c := range cs {
			if c.Author == author && quotes(c.Body, quote) {
				found = true
			}
		}
		if !found {
			t.Errorf("extract %q is not from a comment by %s", quote, author)
		}
	}
}

// quotes reports whether quote is words of body as written, spacing aside,
// but for the "…" that marks a sentence's opening left out ("Actually
// the FBI said…" quoted as "…the FBI said…").
func quotes(body, quote string) bool {
	body = strings.Join(strings.Fields(body), " ")
	return strings.Contains(body, strings.TrimPrefix(quote, "…"))
}

func unescape(s string) string {
	return regexp.MustCompile(`\\(.)`).ReplaceAllString(strings.ReplaceAll(s, "@\u200b", "@"), "$1")
}

// TestSummarizeProse: style:prose answers with one paragraph in which
// every quotation is the words of the person it is credited to, and the
// argument between ChrisW and alice is named.
func TestSummarizeProse(t *testing.T) {
	h, _ := testHandler(t, fixture(t))
	resp := run(t, h, "/summarize story:1 style:prose", member)
	wantPublic(t, resp)
	e := resp.Data.Embeds[0]
	if strings.Contains(e.Description, "Main points") || len(e.Fields) != 0 {
		t.Errorf("prose style shows the points layout: %q, %d fields", e.Description, len(e.Fields))
	}
	if !strings.Contains(e.Description, "ChrisW argues, “") || !strings.Contains(e.Description, "while alice replies, “") {
		t.Errorf("prose does not name the argument between ChrisW and alice: %q", e.Description)
	}
	if !strings.HasPrefix(e.Footer.Text, "Prose digest: every quotation") {
		t.Errorf("footer %q", e.Footer.Text)
	}
	ms := proseRE.FindAllStringSubmatch(e.Description, -1)
	if len(ms) < 3 {
		t.Fatalf("%d attributed quotations in %q, want at least 3", len(ms), e.Description)
	}
	for _, m := range ms {
		author, quote := unescape(m[1]), unescape(strings.TrimSuffix(m[2], "…"))
		found := false
		for _, c := range sonyComments() {
			if c.Author == author && quotes(c.Body, quote) {
				found = true
			}
		}
		if !found {
			t.Errorf("quotation %q is not from a comment by %s", quote, author)
		}
	}
	golden(t, "summarize_prose", resp)
}

// proseRE finds a quotation in the prose digest with the name it is
// credited to: "alice replies, “…”".
var proseRE = regexp.MustCompile(`(\S+) (?:and \d+ others? )?(?:argues|replies|answers|points out|point out|adds|add|asks|ask|writes), “([^”]+)”`)

func TestSummarizeErrors(t *testing.T) {
	h, _ := testHandler(t, fixture(t))
	tests := []struct{ line, want string }{
		{"/summarize story:42", `^Story 42 doesn't exist`},
		{"/summarize story:3", `^Story 3 was removed by the server's admins\.$`},
		{"/summarize story:2", `^Story 2 has no comments yet\.$`},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			wantEphemeral(t, run(t, h, tt.line, member), tt.want)
		})
	}
}

// With an abstractive engine configured, its prose leads the summary and
// the footer says a model wrote it; when it fails, the extracts stand.
func TestSummarizeAbstractive(t *testing.T) {
	fail := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail {
			http.Error(w, "overloaded", http.StatusServiceUnavailable)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{
			"message": map[string]any{"role": "assistant", "content": "People argue whether North Korea did it; most doubt the evidence."},
		}}})
	}))
	defer srv.Close()
	h, logs := testHandler(t, fixture(t))
	h.Summarizer = &summarize.Abstractive{BaseURL: srv.URL, Model: "test-model", APIKey: "sk-secret"}
	resp := run(t, h, "/summarize story:1", member)
	e := resp.Data.Embeds[0]
	if !strings.Contains(e.Description, "People argue whether North Korea did it") {
		t.Errorf("no abstractive overview in %q", e.Description)
	}
	if !strings.Contains(e.Footer.Text, "language model (test-model)") {
		t.Errorf("footer %q does not name the engine", e.Footer.Text)
	}
	fail = true
	resp = run(t, h, "/summarize story:1", member)
	if got := resp.Data.Embeds[0].Footer.Text; !strings.HasPrefix(got, "Extractive summary") {
		t.Errorf("after a failure the footer says %q", got)
	}
	if strings.Contains(text(resp), "overloaded") || !strings.Contains(logs.String(), "abstractive summary failed") {
		t.Errorf("failure shown to the member or not logged; log:\n%s", logs)
	}
	if strings.Contains(logs.String(), "sk-secret") {
		t.Errorf("API key in the log")
	}
}

func TestSummarizeContextCanceled(t *testing.T) {
	h, logs := testHandler(t, fixture(t))
	i, err := ParseCommandLine(h.Commands(), "/summarize story:1")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	resp, err := h.Respond(ctx, i)
	if err != nil {
		t.Fatal(err)
	}
	checkLimits(t, resp)
	wantEphemeral(t, resp, `^Sorry — that took too long`)
	if !strings.Contains(logs.String(), "context canceled") {
		t.Errorf("cancellation not logged:\n%s", logs)
	}
}
