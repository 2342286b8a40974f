package bot

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/emulator"
)

// fakeHandler answers /ping after a delay with a fixed answer.
type fakeHandler struct {
	delay  time.Duration
	answer *discordgo.InteractionResponse
	err    error
	panics bool
}

func (f *fakeHandler) Commands() []*discordgo.ApplicationCommand {
	return []*discordgo.ApplicationCommand{
		{Name: "ping", Description: "Answer", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "word", Description: "A word", Autocomplete: true},
		}},
	}
}

func (f *fakeHandler) Respond(ctx context.Context, i *discordgo.Interaction) (*discordgo.InteractionResponse, error) {
	if f.panics {
		panic("boom")
	}
	select {
	case <-time.After(f.delay):
	case <-ctx.Done():
	}
	return f.answer, f.err
}

func message(content string, flags discordgo.MessageFlags) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: content, Flags: flags},
	}
}

// connect opens a real bot on the emulator with h.
func connect(t testing.TB, h *fakeHandler) *emulator.Emulator {
	t.Helper()
	emu, _ := open(t, h)
	return emu
}

// open is connect, returning the bot too.
func open(t testing.TB, h *fakeHandler) (*emulator.Emulator, *Bot) {
	t.Helper()
	emu := emulator.Start(t, withSpec(emulator.Options{}))
	// A slow handler runs well past the deferral; a quick one well inside
	// it, however loaded the machine running the test.
	deferAfter := 2 * time.Second
	if h.delay > 0 {
		deferAfter = h.delay / 6
	}
	b, err := New(Options{Token: "t", APIURL: emu.URL, GuildID: emulator.DefaultGuildID, Handler: h,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), DeferAfter: deferAfter})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.Open(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return emu, b
}

// transports are the two ways an interaction reaches the bot; every
// answer must come out the same either way.
var transports = []struct {
	name    string
	connect func(testing.TB, *fakeHandler) *emulator.Emulator
}{{"gateway", connect}, {"http", connectHTTP}}

// answerCase is a handler and what a member reads when it answers.
type answerCase struct {
	name      string
	h         *fakeHandler
	followups int
	callback  int    // first callback type the emulator saw
	content   string // what the member finally reads
	private   bool
}

func TestAnswers(t *testing.T) {
	for _, tc := range []answerCase{
		{"quick answer", &fakeHandler{answer: message("pong", 0)}, 0, 4, "pong", false},
		{"slow answer is deferred then edited", &fakeHandler{delay: 300 * time.Millisecond, answer: message("slow pong", 0)}, 0, 5, "slow pong", false},
		{"slow private answer after a public deferral", &fakeHandler{delay: 300 * time.Millisecond,
			answer: message("only you can see this", discordgo.MessageFlagsEphemeral)}, 1, 5, "only you can see this", true},
		{"handler error", &fakeHandler{err: errors.New("database on fire")}, 0, 4, "something went wrong", true},
	} {
		for _, via := range transports {
			t.Run(via.name+"/"+tc.name, func(t *testing.T) { checkAnswer(t, via.connect(t, tc.h), tc) })
		}
	}
}

func checkAnswer(t *testing.T, emu *emulator.Emulator, tc answerCase) {
	t.Helper()
	res, err := emu.Interact(context.Background(), emulator.InteractionRequest{Command: "/ping", Followups: tc.followups})
	if err != nil {
		t.Fatal(err)
	}
	if res.CallbackType != tc.callback {
		t.Errorf("first callback type %d, want %d", res.CallbackType, tc.callback)
	}
	if len(res.Messages) == 0 {
		t.Fatalf("no message in the answer: %+v", res)
	}
	last := res.Messages[len(res.Messages)-1]
	if !strings.Contains(last.Content, tc.content) || (last.Flags&64 != 0) != tc.private {
		t.Errorf("member reads %q (flags %d); want %q, private %v", last.Content, last.Flags, tc.content, tc.private)
	}
	if tc.private {
		for _, m := range emu.Messages(emulator.DefaultNewsChannel) {
			if strings.Contains(m.Content, tc.content) || m.Content == "" {
				t.Errorf("a private answer (or an empty thinking message) is in the channel: %+v", m)
			}
		}
	}
	if strings.Contains(last.Content, "database on fire") {
		t.Error("an internal error reached the member")
	}
}

func TestSlowAutocompleteOffersNothingRatherThanHanging(t *testing.T) {
	for _, via := range transports {
		t.Run(via.name, func(t *testing.T) {
			emu := via.connect(t, &fakeHandler{delay: 300 * time.Millisecond, answer: &discordgo.InteractionResponse{
				Type: discordgo.InteractionApplicationCommandAutocompleteResult,
				Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "late", Value: "late"}}},
			}})
			res, err := emu.Interact(context.Background(), emulator.InteractionRequest{Type: "autocomplete", Command: "/ping word:x", Focused: "word"})
			if err != nil {
				t.Fatal(err)
			}
			if res.CallbackType != 8 || strings.Contains(string(res.Callback), "late") || !strings.Contains(string(res.Callback), `"choices":[]`) {
				t.Errorf("callback %d %s; want an empty autocomplete answer in time", res.CallbackType, res.Callback)
			}
		})
	}
}

func TestRedactKeepsTokensOutOfLogs(t *testing.T) {
	err := errors.New(`Post "http://127.0.0.1:7777/api/v10/interactions/123/aW50ZXJhY3Rpb246c2VjcmV0/callback": connection refused`)
	got := redact(err)
	if strings.Contains(got, "aW50ZXJhY3Rpb246c2VjcmV0") || !strings.Contains(got, "/interactions/123/…") {
		t.Errorf("redact = %q", got)
	}
	err = errors.New(`Patch "https://discord.com/api/v9/webhooks/99/tok3n-value/messages/@original": EOF`)
	if got := redact(err); strings.Contains(got, "tok3n-value") {
		t.Errorf("redact = %q", got)
	}
}

func TestHandlerPanicCostsOneAnswer(t *testing.T) {
	for _, via := range transports {
		t.Run(via.name, func(t *testing.T) {
			emu := via.connect(t, &fakeHandler{panics: true})
			for n := 0; n < 2; n++ { // and the bot answers the next one too
				res, err := emu.Interact(context.Background(), emulator.InteractionRequest{Command: "/ping"})
				if err != nil || len(res.Messages) == 0 || !strings.Contains(res.Messages[0].Content, "something went wrong") {
					t.Fatalf("answer %d after a panic: %+v, %v", n+1, res, err)
				}
			}
		})
	}
}
