package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// control calls the control API and decodes the JSON answer into out.
func control(t *testing.T, e *Emulator, method, path, body string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, e.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, path, data, err)
		}
	}
	return resp.StatusCode
}

func TestControlWithoutBot(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	var chans []Channel
	if st := control(t, e, "GET", "/_emulator/channels", "", &chans); st != 200 || len(chans) != 4 {
		t.Fatalf("channels: %d, %d channels", st, len(chans))
	}
	for _, c := range chans {
		if c.GuildID != DefaultGuildID {
			t.Errorf("channel %s has guild_id %q", c.ID, c.GuildID)
		}
	}
	var errBody map[string]string
	cases := []struct {
		method, path, body string
		status             int
		msg                string
	}{
		{"POST", "/_emulator/interactions", `{"command":"/quote story:1"}`, 503, "no bot is connected"},
		{"POST", "/_emulator/interactions", `{"comand":"/quote"}`, 400, `unknown field "comand"`},
		{"GET", "/_emulator/channels/1/messages", "", 404, "unknown channel 1"},
		{"POST", "/_emulator/faults", `{"kind":"5xx","status":404}`, 400, "not a 5xx status"},
		{"GET", "/_emulator/nothing", "", 404, "GET /_emulator/ lists them"},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			if st := control(t, e, tc.method, tc.path, tc.body, &errBody); st != tc.status || !strings.Contains(errBody["error"], tc.msg) {
				t.Errorf("%d %q; want %d with %q", st, errBody["error"], tc.status, tc.msg)
			}
		})
	}
}

func TestControlInteractions(t *testing.T) {
	t.Parallel()
	e, _ := startBot(t, Options{InteractionDeadline: 1500 * time.Millisecond}, func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		data := i.ApplicationCommandData()
		if data.Name == "summarize" {
			return // never answers
		}
		respond(s, i, discordgo.InteractionResponseChannelMessageWithSource, &discordgo.InteractionResponseData{
			Content:         fmt.Sprintf("quoting %s for %d", data.GetOption("author").StringValue(), i.Member.Permissions),
			AllowedMentions: noMentions()})
	})
	var res struct {
		Callback  struct{ Type int }
		Messages  []Message
		ElapsedMS *int64 `json:"elapsed_ms"`
	}
	st := control(t, e, "POST", "/_emulator/interactions", `{"guild_id":"`+DefaultGuildID+`","channel_id":"`+DefaultNewsChannel+
		`","user_id":"`+DefaultMemberUserID+`","permissions":"2048","command":"/quote story:1 author:Chris W"}`, &res)
	if st != 200 || res.Callback.Type != 4 || len(res.Messages) != 1 || res.Messages[0].Content != "quoting Chris W for 2048" || res.ElapsedMS == nil {
		t.Fatalf("interaction: %d %+v", st, res)
	}
	var msgs []Message
	control(t, e, "GET", "/_emulator/channels/"+DefaultNewsChannel+"/messages", "", &msgs)
	if len(msgs) != 1 || msgs[0].ID != res.Messages[0].ID {
		t.Errorf("channel messages = %+v", msgs)
	}
	// Discord writes permissions as a string; a number is taken too.
	st = control(t, e, "POST", "/_emulator/interactions", `{"permissions":1024,"command":"/quote story:1 author:Ann"}`, &res)
	if st != 200 || len(res.Messages) != 1 || res.Messages[0].Content != "quoting Ann for 1024" {
		t.Fatalf("numeric permissions: %d %+v", st, res)
	}
	var errBody map[string]string
	bad := []struct{ body, msg string }{
		{`{"command":"/nope"}`, "unknown command /nope (registered: /quote, /summarize, /feeds)"},
		{`{"command":"/quote colour:red"}`, `unknown option "colour" for /quote (options: story, author)`},
		{`{"command":"/summarize story:one"}`, "option story of /summarize wants an integer, got \"one\""},
		{`{"command":"/summarize words:3"}`, "missing required option story: for /summarize"},
		{`{"command":"/feeds"}`, "/feeds needs a subcommand: list, add"},
		{`{"command":"/quote story:1","permissions":true}`, "invalid JSON body: want a decimal number or a string holding one, not true"},
		{`{"command":"/quote story:1","permissions":"12.5"}`, `permissions "12.5": want a decimal bit set such as "2147483648"`},
		{`{"command":"/quote story:1","user_id":"5"}`, `unknown user_id "5": give a seeded user's id or any snowflake (17-20 digits)`},
	}
	for _, b := range bad {
		if st := control(t, e, "POST", "/_emulator/interactions", b.body, &errBody); st != 400 || errBody["error"] != b.msg {
			t.Errorf("%s: %d %q; want 400 %q", b.body, st, errBody["error"], b.msg)
		}
	}
	if st := control(t, e, "POST", "/_emulator/interactions", `{"command":"/summarize story:1"}`, &errBody); st != 504 || !strings.Contains(errBody["error"], "did not answer") {
		t.Errorf("unanswered: %d %q; want 504", st, errBody["error"])
	}
	var reqs []Request
	control(t, e, "GET", "/_emulator/requests", "", &reqs)
	last := reqs[len(reqs)-1]
	if !strings.HasSuffix(last.Path, "/callback") || last.Status != 204 || !strings.Contains(string(last.Body), "quoting Ann") {
		t.Errorf("last request = %+v", last)
	}
}

func TestControlFaultsAndReset(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	s := newSession(t, e)
	var out map[string]any
	if st := control(t, e, "POST", "/_emulator/faults", `{"kind":"5xx","status":500,"count":2,"path":"/users/@me"}`, &out); st != 200 {
		t.Fatalf("inject: %d %v", st, out)
	}
	var pending []Fault
	if control(t, e, "GET", "/_emulator/faults", "", &pending); len(pending) != 1 || pending[0].Count != 2 {
		t.Errorf("pending = %+v", pending)
	}
	if _, err := s.User("@me"); restStatus(t, err) != 500 {
		t.Errorf("with a 5xx fault: %v", err)
	}
	control(t, e, "DELETE", "/_emulator/faults", "", &out)
	if _, err := s.User("@me"); err != nil {
		t.Errorf("after clearing faults: %v", err)
	}
	if _, err := s.ChannelMessageSendComplex(DefaultNewsChannel, &discordgo.MessageSend{Content: "x", AllowedMentions: noMentions()}); err != nil {
		t.Fatal(err)
	}
	control(t, e, "POST", "/_emulator/reset", "", &out)
	if n := len(e.Messages(DefaultNewsChannel)); n != 0 || len(e.Requests()) != 0 {
		t.Errorf("after reset: %d messages, %d requests", n, len(e.Requests()))
	}
}

// TestUnseededUserCanInteract: a check may type as any snowflake; that user
// joins the guild as a plain member with the permissions given.
func TestUnseededUserCanInteract(t *testing.T) {
	t.Parallel()
	got := make(chan *discordgo.InteractionCreate, 1)
	e, _ := startBot(t, Options{}, func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		got <- i
		respond(s, i, discordgo.InteractionResponseChannelMessageWithSource, &discordgo.InteractionResponseData{Content: "hi", AllowedMentions: noMentions()})
	})
	if _, err := e.Interact(testCtx(t), InteractionRequest{Command: "/quote story:1", UserID: "300000000000000042", Permissions: "1024"}); err != nil {
		t.Fatal(err)
	}
	i := waitFor(t, got, "the interaction")
	if i.Member == nil || i.Member.User.ID != "300000000000000042" || i.Member.Permissions != 1024 {
		t.Errorf("member = %+v", i.Member)
	}
}
