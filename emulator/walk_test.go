package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// walker sends raw REST requests, as any client library would, and
// fails the test on an unexpected status.
type walker struct {
	t    *testing.T
	e    *Emulator
	http *http.Client
}

// do sends body (nil: none) and returns the answer's body.
func (w *walker) do(method, path string, body any, want int) []byte {
	w.t.Helper()
	return w.send(method, path, "Bot walk-token", body, want)
}

func (w *walker) send(method, path, auth string, body any, want int) []byte {
	w.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			w.t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, w.e.URL+"/api/v10"+path, r)
	if err != nil {
		w.t.Fatal(err)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := w.http.Do(req)
	if err != nil {
		w.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	if resp.StatusCode != want {
		w.t.Fatalf("%s %s: %d %s; want %d", method, path, resp.StatusCode, out, want)
	}
	return out
}

// id reads the "id" of a JSON object.
func (w *walker) id(body []byte) string {
	w.t.Helper()
	var v struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &v); err != nil || v.ID == "" {
		w.t.Fatalf("no id in %s", body)
	}
	return v.ID
}

// interaction has e dispatch req and returns it as the bot received it,
// with a channel that yields Interact's outcome.
func (w *walker) interaction(got <-chan *discordgo.Interaction, req InteractionRequest) (*discordgo.Interaction, <-chan error) {
	w.t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := w.e.Interact(context.Background(), req)
		done <- err
	}()
	return waitFor(w.t, got, "INTERACTION_CREATE for "+req.Command+req.CustomID), done
}

// TestEveryRouteAnswersAsDescribed walks every route the emulator serves,
// answering well and badly, with a client that speaks only HTTP and a
// raw gateway connection on the zlib-stream transport. The emulator
// checks each answer and dispatch against Discord's OpenAPI description
// as it sends it; the test fails on any that does not match, on a route
// the walk missed, and on an event it did not see.
func TestEveryRouteAnswersAsDescribed(t *testing.T) {
	if _, err := os.Stat(specPath); err != nil {
		t.Skipf("no OpenAPI description at %s", specPath)
	}
	t.Parallel()
	e := startEmu(t, Options{InteractionDeadline: 20 * time.Second, RateLimit: RateLimit{Global: -1}})
	w := &walker{t: t, e: e, http: &http.Client{Timeout: 10 * time.Second}}
	events := watchGateway(t, e)
	got := make(chan *discordgo.Interaction, 4)
	bot := newSession(t, e)
	bot.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { got <- i.Interaction })
	openBot(t, bot)

	walkDiscovery(w)
	walkCommands(w)
	walkGuild(w)
	story := walkMessages(w)
	walkInteractions(w, got, story)
	walkForums(w)
	walkWebhooks(w)
	walkErrors(w)

	walked := map[string]bool{}
	for _, r := range e.Requests() {
		if r.Status < 300 {
			walked[r.Route] = true
		}
	}
	for _, rt := range apiRoutes() {
		if !walked[rt.name()] {
			t.Errorf("%s was not walked to a successful answer: add it here, so its answers are checked", rt.name())
		}
	}
	want := []string{"READY", "GUILD_CREATE", "MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE", "THREAD_CREATE", "THREAD_UPDATE", "INTERACTION_CREATE"}
	seen := events.wait(t, want)
	for _, typ := range seen {
		if _, ok := eventSchemas[typ]; !ok {
			t.Errorf("the gateway sent %s, which eventSchemas does not describe", typ)
		}
	}
	for _, v := range e.Violations() {
		t.Errorf("%s: %s", v.Source, strings.Join(v.Errors, "; "))
	}
}

func walkDiscovery(w *walker) {
	w.do("GET", "/gateway", nil, 200)
	w.do("GET", "/gateway/bot", nil, 200)
	w.do("GET", "/users/@me", nil, 200)
	w.do("GET", "/users/"+DefaultAdminUserID, nil, 200)
	w.do("GET", "/applications/@me", nil, 200)
}

func walkCommands(w *walker) {
	cmds := testCommands()
	for _, base := range []string{
		"/applications/" + DefaultApplicationID + "/commands",
		"/applications/" + DefaultApplicationID + "/guilds/" + DefaultGuildID + "/commands",
	} {
		w.do("PUT", base, cmds, 200)
		extra := w.id(w.do("POST", base, map[string]any{"name": "extra", "description": "one more"}, 201))
		w.do("POST", base, map[string]any{"name": "extra", "description": "again"}, 200)
		w.do("GET", base, nil, 200)
		w.do("GET", base+"/"+extra, nil, 200)
		w.do("PATCH", base+"/"+extra, map[string]any{"description": "edited"}, 200)
		w.do("DELETE", base+"/"+extra, nil, 204)
	}
}

func walkGuild(w *walker) {
	g := "/guilds/" + DefaultGuildID
	w.do("GET", g, nil, 200)
	w.do("GET", g+"?with_counts=true", nil, 200)
	w.do("GET", g+"/channels", nil, 200)
	w.do("GET", g+"/roles", nil, 200)
	w.do("GET", g+"/members/"+DefaultAdminUserID, nil, 200)
	w.do("GET", "/channels/"+DefaultNewsChannel, nil, 200)
	w.do("GET", "/channels/"+DefaultForumChannel, nil, 200)
	w.do("POST", "/channels/"+DefaultNewsChannel+"/typing", nil, 204)
}

// walkMessages posts, reads, edits, replies to and threads messages, and
// returns a post with a button.
func walkMessages(w *walker) string {
	msgs := "/channels/" + DefaultNewsChannel + "/messages"
	story := w.id(w.do("POST", msgs, map[string]any{
		"content": "New story", "nonce": "walk-1", "enforce_nonce": true,
		"allowed_mentions": map[string]any{"parse": []string{}},
		"embeds": []map[string]any{{"title": "Korea talks", "url": "https://example.com/k", "color": 0x3366ff,
			"timestamp": "2024-05-01T10:00:00Z", "fields": []map[string]any{{"name": "Top", "value": "a comment"}},
			"footer": map[string]any{"text": "12 comments"}, "author": map[string]any{"name": "example.com"}}},
		"components": []map[string]any{{"type": 1, "components": []map[string]any{
			{"type": 2, "style": 1, "label": "Summarize", "custom_id": "summarize:1"},
			{"type": 2, "style": 5, "label": "Read", "url": "https://example.com/k"}}}},
	}, 200))
	w.do("POST", msgs, map[string]any{"content": "same nonce", "nonce": "walk-1", "enforce_nonce": true}, 200)
	reply := w.id(w.do("POST", msgs, map[string]any{"content": "<@" + DefaultAdminUserID + "> a reply",
		"message_reference": map[string]any{"message_id": story}}, 200))
	w.do("GET", msgs, nil, 200)
	w.do("GET", msgs+"?limit=1&before="+reply, nil, 200)
	w.do("GET", msgs+"/"+reply, nil, 200)
	w.do("PATCH", msgs+"/"+reply, map[string]any{"content": "an edited reply"}, 200)
	w.do("POST", msgs+"/"+story+"/threads", map[string]any{"name": "updates", "auto_archive_duration": 60}, 201)
	w.do("GET", "/channels/"+story, nil, 200)
	w.do("POST", "/channels/"+DefaultTechChannel+"/threads", map[string]any{"name": "a thread", "type": 11}, 201)
	w.do("POST", "/channels/"+DefaultForumChannel+"/threads", map[string]any{"name": "a post",
		"message": map[string]any{"content": "first message"}}, 201)
	w.do("DELETE", msgs+"/"+reply, nil, 204)
	return story
}

// walkInteractions answers a command, a deferred command, a button and
// an autocomplete through the callback and webhook routes.
func walkInteractions(w *walker, got <-chan *discordgo.Interaction, story string) {
	callback := func(i *discordgo.Interaction) string { return "/interactions/" + i.ID + "/" + i.Token + "/callback" }
	hook := func(i *discordgo.Interaction) string { return "/webhooks/" + DefaultApplicationID + "/" + i.Token }

	i, done := w.interaction(got, InteractionRequest{Command: "/quote story:1 author:ChrisW"})
	w.send("POST", callback(i)+"?with_response=true", "", map[string]any{"type": 4, "data": map[string]any{"content": "a quote"}}, 200)
	waitFor(w.t, done, "the /quote answer")
	follow := w.id(w.send("POST", hook(i)+"?wait=true", "", map[string]any{"content": "a followup"}, 200))
	w.send("POST", hook(i), "", map[string]any{"content": "another"}, 204)
	w.send("GET", hook(i)+"/messages/@original", "", nil, 200)
	w.send("PATCH", hook(i)+"/messages/@original", "", map[string]any{"content": "an edited quote"}, 200)
	w.send("GET", hook(i)+"/messages/"+follow, "", nil, 200)
	w.send("PATCH", hook(i)+"/messages/"+follow, "", map[string]any{"content": "an edited followup"}, 200)
	w.send("DELETE", hook(i)+"/messages/"+follow, "", nil, 204)
	w.send("POST", callback(i), "", map[string]any{"type": 4, "data": map[string]any{"content": "twice"}}, 400)

	i, done = w.interaction(got, InteractionRequest{Command: "/summarize story:1"})
	w.send("POST", callback(i)+"?with_response=true", "", map[string]any{"type": 5, "data": map[string]any{"flags": 64}}, 200)
	w.send("PATCH", hook(i)+"/messages/@original", "", map[string]any{"content": "the summary"}, 200)
	waitFor(w.t, done, "the deferred /summarize answer")

	i, done = w.interaction(got, InteractionRequest{Type: "component", MessageID: story, CustomID: "summarize:1"})
	w.send("POST", callback(i)+"?with_response=true", "", map[string]any{"type": 7, "data": map[string]any{"content": "clicked"}}, 200)
	waitFor(w.t, done, "the button's update")

	i, done = w.interaction(got, InteractionRequest{Type: "autocomplete", Command: "/quote story:kor", Focused: "story"})
	w.send("POST", callback(i), "", map[string]any{"type": 8, "data": map[string]any{
		"choices": []map[string]any{{"name": "Korea talks", "value": "1"}}}}, 204)
	waitFor(w.t, done, "the autocomplete answer")
}

// walkErrors makes the emulator answer each kind of error it has.
func walkErrors(w *walker) {
	msgs := "/channels/" + DefaultNewsChannel + "/messages"
	w.do("GET", "/channels/1", nil, 404)
	w.do("GET", "/guilds/1", nil, 404)
	w.do("GET", msgs+"/1", nil, 404)
	w.do("GET", "/no/such/route", nil, 404)
	w.do("DELETE", "/gateway", nil, 405)
	w.send("GET", "/users/@me", "", nil, 401)
	w.do("POST", msgs, `{"content":`, 400)
	w.do("POST", msgs, map[string]any{}, 400)
	w.do("POST", msgs, map[string]any{"content": strings.Repeat("x", 2001),
		"embeds": []map[string]any{{"title": strings.Repeat("t", 257)}}}, 400)
	w.do("GET", msgs+"?limit=101", nil, 400)
	w.do("PUT", "/applications/"+DefaultApplicationID+"/commands", []map[string]any{{"name": "Bad Name", "description": ""}}, 400)
	w.do("POST", "/channels/"+DefaultForumChannel+"/messages", map[string]any{"content": "x"}, 400)
	w.send("PATCH", "/webhooks/"+DefaultApplicationID+"/nope/messages/@original", "", map[string]any{"content": "x"}, 404)
	w.send("POST", "/interactions/1/nope/callback?with_response=maybe", "", map[string]any{"type": 4}, 400)
	w.e.Inject(Fault{Kind: "429", Path: "users/@me", RetryAfter: 0.01})
	w.do("GET", "/users/@me", nil, 429)
	w.e.Inject(Fault{Kind: "429", Path: "users/@me", RetryAfter: 0.01, Global: true})
	w.do("GET", "/users/@me", nil, 429)
}

// eventLog collects the dispatch types a raw zlib-stream client saw.
type eventLog struct {
	mu      sync.Mutex
	types   map[string]bool
	changed chan struct{}
}

// watchGateway connects a bare client with ?compress=zlib-stream and
// logs every dispatch it inflates.
func watchGateway(t *testing.T, e *Emulator) *eventLog {
	t.Helper()
	g := dialGateway(t, e, "v=10&encoding=json&compress=zlib-stream")
	zs := newInflater(t, g.ws)
	if p := zs.next(); p.Op != 10 {
		t.Fatalf("first payload op %d; want HELLO", p.Op)
	}
	g.send(`{"op":2,"d":{"token":"Bot x","intents":513,"properties":{}}}`)
	log := &eventLog{types: map[string]bool{}, changed: make(chan struct{}, 1)}
	go func() {
		for {
			p, err := zs.read()
			if err != nil {
				return
			}
			log.mu.Lock()
			log.types[p.T] = true
			log.mu.Unlock()
			select {
			case log.changed <- struct{}{}:
			default:
			}
		}
	}()
	return log
}

// wait returns the types seen once all of want have been, or fails.
func (l *eventLog) wait(t *testing.T, want []string) []string {
	t.Helper()
	deadline := time.After(8 * time.Second)
	for {
		l.mu.Lock()
		var seen, missing []string
		for typ := range l.types {
			seen = append(seen, typ)
		}
		for _, typ := range want {
			if !l.types[typ] {
				missing = append(missing, typ)
			}
		}
		l.mu.Unlock()
		if len(missing) == 0 {
			sort.Strings(seen)
			return seen
		}
		select {
		case <-l.changed:
		case <-deadline:
			t.Fatalf("the zlib-stream client never saw %v (saw %v)", missing, seen)
		}
	}
}
