package summarize

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

const testKey = "sk-test-0123456789"

// fakeLLM is a chat-completions endpoint that answers with answer (or with
// status when it is not 200) and records what it was asked.
type fakeLLM struct {
	status int
	answer string
	block  bool // hold the request until the client gives up
	got    chan chatRequest
	auth   chan string
}

func (f *fakeLLM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
		http.Error(w, "not found: "+r.Method+" "+r.URL.Path, http.StatusNotFound)
		return
	}
	var req chatRequest
	body, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, "bad request body", http.StatusBadRequest)
		return
	}
	f.got <- req
	f.auth <- r.Header.Get("Authorization")
	if f.block {
		<-r.Context().Done()
		return
	}
	w.WriteHeader(f.status)
	io.WriteString(w, f.answer)
}

func newFake(t *testing.T, status int, answer string) (*fakeLLM, *Abstractive) {
	t.Helper()
	f := &fakeLLM{status: status, answer: answer, got: make(chan chatRequest, 1), auth: make(chan string, 1)}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, &Abstractive{BaseURL: srv.URL + "/v1/", Model: "tiny", APIKey: testKey, Client: srv.Client()}
}

func completion(text string) string {
	b, _ := json.Marshal(map[string]any{"choices": []any{map[string]any{
		"message": map[string]any{"role": "assistant", "content": text}, "finish_reason": "stop"}}})
	return string(b)
}

func TestSummarizeAbstractive(t *testing.T) {
	f, a := newFake(t, 200, completion("  Readers split over the lanes:\nalice welcomes them, bob fears for parking.  "))
	r := Summarize(context.Background(), bikeLanes(), Short, a)
	if r.Engine != EngineAbstractive || r.Fallback != "" {
		t.Fatalf("engine %q fallback %q, want the abstractive answer", r.Engine, r.Fallback)
	}
	if want := "Readers split over the lanes: alice welcomes them, bob fears for parking."; r.Text != want {
		t.Errorf("text %q, want %q", r.Text, want)
	}
	req := <-f.got
	if req.Model != "tiny" || len(req.Messages) != 2 || req.Messages[0].Role != "system" || req.Messages[1].Role != "user" {
		t.Errorf("request %+v, want model tiny with a system and a user message", req)
	}
	if !strings.Contains(req.Messages[1].Content, "[2] bob: No, this is a waste of money.") {
		t.Errorf("user message lacks the numbered, attributed comments:\n%s", req.Messages[1].Content)
	}
	if !strings.Contains(req.Messages[0].Content, "40 words") {
		t.Errorf("system message does not state the short budget: %s", req.Messages[0].Content)
	}
	if got := <-f.auth; got != "Bearer "+testKey {
		t.Errorf("Authorization %q, want the bearer key", got)
	}
}

func TestSummarizeFallsBack(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		answer  string
		block   bool
		wantErr string
	}{
		{"server error", 500, `{"error":"overloaded, key ` + testKey + `"}`, false, "status 500"},
		{"garbage JSON", 200, `{"choices": [`, false, "decode answer"},
		{"not JSON at all", 200, `<html>gateway</html>`, false, "decode answer"},
		{"no choices", 200, `{"choices": []}`, false, "no choices"},
		{"empty message", 200, completion("   "), false, "empty message"},
		{"null content", 200, `{"choices":[{"message":{"content":null}}]}`, false, "empty message"},
		{"refusal field", 200, `{"choices":[{"message":{"content":null,"refusal":"I can't help."}}]}`, false, "refused"},
		{"refusal in prose", 200, completion("I'm sorry, but I can't summarize this."), false, "refused"},
		{"content filter", 200, `{"choices":[{"message":{"content":""},"finish_reason":"content_filter"}]}`, false, "content filter"},
		{"timeout", 200, "", true, "deadline exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, a := newFake(t, tt.status, tt.answer)
			f.block = tt.block
			a.Timeout = 200 * time.Millisecond
			r := Summarize(context.Background(), bikeLanes(), Standard, a)
			if r.Engine != EngineExtractive || len(r.Points) == 0 || r.Text == "" {
				t.Fatalf("engine %q with %d points, want the extractive fallback", r.Engine, len(r.Points))
			}
			if want := Text(Extract(bikeLanes(), Standard.Words()), Standard.Words()); r.Text != want {
				t.Errorf("fallback text %q, want the extractive summary %q", r.Text, want)
			}
			if !strings.Contains(r.Fallback, tt.wantErr) {
				t.Errorf("fallback reason %q, want it to mention %q", r.Fallback, tt.wantErr)
			}
			if strings.Contains(r.Fallback, testKey) {
				t.Errorf("fallback reason leaks the API key: %q", r.Fallback)
			}
		})
	}
}

func TestSummarizeUnconfiguredIsExtractive(t *testing.T) {
	for _, a := range []*Abstractive{nil, {}, {BaseURL: "http://127.0.0.1:1"}} {
		r := Summarize(context.Background(), bikeLanes(), Short, a)
		if r.Engine != EngineExtractive || r.Fallback != "" || r.Text == "" {
			t.Errorf("%+v: engine %q fallback %q text %q, want a plain extractive summary", a, r.Engine, r.Fallback, r.Text)
		}
	}
}

func TestAbstractiveCutsLongAnswers(t *testing.T) {
	_, a := newFake(t, 200, completion(strings.Repeat("word ", 100)))
	text, err := a.Summarize(context.Background(), bikeLanes(), Short)
	if err != nil {
		t.Fatal(err)
	}
	if n := wordCount(text); n != Short.Words() || !strings.HasSuffix(text, "…") {
		t.Errorf("answer cut to %d words (%q...), want %d ending in …", n, text[:20], Short.Words())
	}
}

func TestAbstractiveBoundsThreadText(t *testing.T) {
	big := Thread{Title: "Long thread", Question: strings.Repeat("q", 5000)}
	for i := 1; i <= 400; i++ {
		big.Comments = append(big.Comments, news.Comment{Index: i, Author: "someone",
			Body: strings.Repeat("Lorem ipsum dolor sit amet. ", 40)})
	}
	f, a := newFake(t, 200, completion("Fine."))
	a.MaxInput = 3000
	if _, err := a.Summarize(context.Background(), big, Detailed); err != nil {
		t.Fatal(err)
	}
	user := (<-f.got).Messages[1].Content
	if n := len([]rune(user)); n > 3000+200 {
		t.Errorf("sent %d characters of thread, want about 3000 at most", n)
	}
	if !strings.Contains(user, "more comments not shown") {
		t.Errorf("the cut is not said: %.200s…", user)
	}
}

func TestAbstractiveCanceledContext(t *testing.T) {
	_, a := newFake(t, 200, completion("Fine."))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := a.Summarize(ctx, bikeLanes(), Short)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
