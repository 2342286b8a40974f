package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/emulator"
)

// startBot connects a small discordgo bot to e: /hello answers in the
// channel with a button that edits the answer, /secret answers
// privately, and the topic option autocompletes.
func startBot(t *testing.T, e *emulator.Emulator) *discordgo.Session {
	t.Helper()
	s, err := discordgo.New("Bot test")
	if err != nil {
		t.Fatal(err)
	}
	s.Client = e.Client()
	s.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		var resp *discordgo.InteractionResponse
		switch i.Type {
		case discordgo.InteractionApplicationCommandAutocomplete:
			resp = &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
				Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "Bridges <b>", Value: "bridges"}}}}
		case discordgo.InteractionMessageComponent:
			resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage,
				Data: &discordgo.InteractionResponseData{Content: "page 2"}}
		case discordgo.InteractionApplicationCommand:
			d := i.ApplicationCommandData()
			resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "**hello** " + d.Name}}
			if d.Name == "secret" {
				resp.Data.Flags = discordgo.MessageFlagsEphemeral
			} else {
				resp.Data.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
					discordgo.Button{Label: "Next ▶", CustomID: "next", Style: discordgo.SecondaryButton}}}}
			}
		}
		if err := s.InteractionRespond(i.Interaction, resp); err != nil {
			t.Errorf("answer interaction: %v", err)
		}
	})
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	_, err = s.ApplicationCommandBulkOverwrite(e.ApplicationID(), emulator.DefaultGuildID, []*discordgo.ApplicationCommand{
		{Name: "hello", Description: "Say hello", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "topic", Description: "What about", Autocomplete: true}}},
		{Name: "secret", Description: "Only for you"},
		{Name: "feeds", Description: "Admins", DefaultMemberPermissions: ptr(int64(32)), Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "list", Description: "Every feed"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func ptr[T any](v T) *T { return &v }

func startWeb(t *testing.T) (*emulator.Emulator, *discordgo.Session, *httptest.Server) {
	e := emulator.Start(t, emulator.Options{})
	bot := startBot(t, e)
	srv := httptest.NewServer(New(Options{Emulator: e.URL}).Handler())
	t.Cleanup(srv.Close)
	return e, bot, srv
}

func post(t *testing.T, srv *httptest.Server, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(srv.URL+"/api/interactions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

// TestEvents: the page gets the state with rendered markdown, then each
// post as it happens, rendered too.
func TestEvents(t *testing.T) {
	_, bot, srv := startWeb(t)
	if _, err := bot.ChannelMessageSend(emulator.DefaultNewsChannel, "**first** <script>x</script>"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	events := emulator.ReadEvents(resp.Body)
	defer events.Close()
	next := func(want string, v any) {
		t.Helper()
		name, data, err := events.Next()
		if err != nil || name != want {
			t.Fatalf("event %q (%v), want %s", name, err, want)
		}
		if err := json.Unmarshal(data, v); err != nil {
			t.Fatal(err)
		}
	}
	var st stateView
	next("state", &st)
	if st.Guild.Name != "Newsroom" || len(st.Channels) != 4 || len(st.Members) != 2 {
		t.Errorf("state: guild %+v, %d channels, %d members; want Newsroom, 4, 2", st.Guild, len(st.Channels), len(st.Members))
	}
	if got := st.Messages[emulator.DefaultNewsChannel]; len(got) != 1 || got[0].HTML != "<strong>first</strong> &lt;script&gt;x&lt;/script&gt;" {
		t.Errorf("state messages = %+v, want the post rendered and escaped", got)
	}
	if _, err := bot.ChannelMessageSend(emulator.DefaultNewsChannel, "> quoted"); err != nil {
		t.Fatal(err)
	}
	var m messageView
	next("message", &m)
	if m.HTML != "<blockquote>quoted</blockquote>" || !m.Author.Bot {
		t.Errorf("message event = %+v, want the quote rendered", m)
	}
}

// TestInteractions: a command, its autocomplete and a button take the
// interaction path to the bot; a private answer comes back marked so.
func TestInteractions(t *testing.T) {
	_, _, srv := startWeb(t)
	status, out := post(t, srv, `{"type":"autocomplete","focused":"topic","command":"/hello topic:br","channel_id":"`+emulator.DefaultNewsChannel+`"}`)
	if status != 200 || !strings.Contains(mustJSON(out["choices"]), `"name":"Bridges \u003cb\u003e","value":"bridges"`) {
		t.Errorf("autocomplete: %d %v", status, out)
	}
	status, out = post(t, srv, `{"type":"command","command":"/hello topic:bridges","user_id":"`+emulator.DefaultMemberUserID+`"}`)
	msgs, _ := out["messages"].([]any)
	if status != 200 || len(msgs) != 1 {
		t.Fatalf("/hello: %d %v", status, out)
	}
	hello := msgs[0].(map[string]any)
	if hello["html"] != "<strong>hello</strong> hello" || !strings.Contains(mustJSON(hello["command"]), `"name":"member"`) ||
		!strings.Contains(mustJSON(hello["rows"]), `"custom_id":"next"`) {
		t.Errorf("/hello answer = %v", hello)
	}
	status, out = post(t, srv, `{"type":"component","message_id":"`+hello["id"].(string)+`","custom_id":"next"}`)
	if msgs, _ := out["messages"].([]any); status != 200 || len(msgs) != 1 || msgs[0].(map[string]any)["html"] != "page 2" ||
		msgs[0].(map[string]any)["edited"] == nil {
		t.Errorf("button: %d %v, want the answer edited to page 2", status, out)
	}
	_, out = post(t, srv, `{"type":"command","command":"/secret"}`)
	if msgs, _ := out["messages"].([]any); len(msgs) != 1 || msgs[0].(map[string]any)["ephemeral"] != true {
		t.Errorf("/secret: %v, want one ephemeral message", out)
	}
	status, out = post(t, srv, `{"type":"command","command":"/nope"}`)
	if status != 400 || !strings.Contains(out["error"].(string), "unknown command /nope") {
		t.Errorf("unknown command: %d %v, want 400 naming it", status, out)
	}
}

// TestCommands: the "/" list has one entry per subcommand, with who may
// see it.
func TestCommands(t *testing.T) {
	_, _, srv := startWeb(t)
	resp, err := http.Get(srv.URL + "/api/commands")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var cmds []commandView
	if err := json.NewDecoder(resp.Body).Decode(&cmds); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cmds {
		names = append(names, c.Name+"|"+c.Permissions)
	}
	if got, want := strings.Join(names, " "), "hello| secret| feeds list|32"; got != want {
		t.Errorf("commands = %s, want %s", got, want)
	}
	if len(cmds) > 0 && (len(cmds[0].Options) != 1 || !cmds[0].Options[0].Autocomplete) {
		t.Errorf("/hello options = %+v, want topic with autocomplete", cmds[0].Options)
	}
}

// TestGuard: only this machine's page may use the API, and everything it
// serves carries the content security policy.
func TestGuard(t *testing.T) {
	h := New(Options{Emulator: "http://127.0.0.1:1"}).Handler()
	tests := []struct {
		name, method, host, ctype string
		want                      int
	}{
		{"the page", "GET", "127.0.0.1:7778", "", 200},
		{"localhost", "GET", "localhost:7778", "", 200},
		{"another site's name (DNS rebinding)", "GET", "evil.example:7778", "", http.StatusMisdirectedRequest},
		{"a form post from elsewhere", "POST", "127.0.0.1:7778", "text/plain", http.StatusUnsupportedMediaType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "/"
			if tt.method == "POST" {
				path = "/api/interactions"
			}
			r := httptest.NewRequest(tt.method, path, strings.NewReader("{}"))
			r.Host = tt.host
			if tt.ctype != "" {
				r.Header.Set("Content-Type", tt.ctype)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.want {
				t.Errorf("status %d, want %d: %s", w.Code, tt.want, w.Body)
			}
			if tt.want == 200 && !strings.Contains(w.Header().Get("Content-Security-Policy"), "script-src 'self'") {
				t.Errorf("no CSP on the page: %v", w.Header())
			}
		})
	}
	w, r := httptest.NewRecorder(), httptest.NewRequest("GET", "/static/main.js", nil)
	r.Host = "127.0.0.1:7778"
	h.ServeHTTP(w, r)
	if body, _ := io.ReadAll(w.Body); w.Code != 200 || !strings.Contains(w.Header().Get("Content-Type"), "javascript") || !strings.Contains(string(body), "EventSource") {
		t.Errorf("main.js: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
