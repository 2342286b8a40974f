package commands

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func storyOpt(v any) *discordgo.Interaction {
	return &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand,
		Data: discordgo.ApplicationCommandInteractionData{Name: cmdQuote,
			Options: []*discordgo.ApplicationCommandInteractionDataOption{{Name: optStory, Type: discordgo.ApplicationCommandOptionInteger, Value: v}}}}
}

// Whatever arrives, the member gets a valid answer that says what is wrong.
func TestRespondOddInteractions(t *testing.T) {
	h, _ := testHandler(t, fixture(t))
	tests := []struct {
		name string
		i    *discordgo.Interaction
		want string
	}{
		{"no data", &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand}, `^That command arrived without its data\.$`},
		{"unknown command", &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand,
			Data: discordgo.ApplicationCommandInteractionData{Name: "weather"}}, `^newsbot has no command /weather`},
		{"modal", &discordgo.Interaction{Type: discordgo.InteractionModalSubmit}, `^newsbot doesn't handle that kind of interaction\.$`},
		{"button without data", &discordgo.Interaction{Type: discordgo.InteractionMessageComponent}, `^That button arrived without its data\.$`},
		{"story as text", storyOpt("abc"), `^“abc” isn't a story number`},
		{"story as fraction", storyOpt(1.5), `^“1\.5” isn't a story number`},
		{"story huge", storyOpt(1e300), `isn't a story number`},
		{"story as bool", storyOpt(true), `^“true” isn't a story number`},
		{"story negative", storyOpt(-3.0), `^Story numbers start at 1`},
		{"story missing", storyOpt(nil), `^Pick a story`},
		{"story in a string", storyOpt("1"), `^\*\*ChrisW\*\*`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := respond(t, h, tt.i, member)
			if tt.name == "story in a string" {
				wantPublic(t, resp)
				return
			}
			wantEphemeral(t, resp, tt.want)
		})
	}
	resp, err := h.Respond(context.Background(), nil)
	if err != nil || resp == nil {
		t.Fatalf("nil interaction: %v, %v", resp, err)
	}
	checkLimits(t, resp)
	pong, _ := h.Respond(context.Background(), &discordgo.Interaction{Type: discordgo.InteractionPing})
	if pong.Type != discordgo.InteractionResponsePong {
		t.Errorf("ping answered with %d", pong.Type)
	}
}

func TestEphemeralHint(t *testing.T) {
	h := &Handler{}
	for line, want := range map[string]bool{
		"/feeds list": true, "/feeds preview feed:x": true, "/quote story:1": false, "/summarize story:1": false,
	} {
		i, err := ParseCommandLine(h.Commands(), line)
		if err != nil {
			t.Fatal(err)
		}
		if got := h.Ephemeral(i); got != want {
			t.Errorf("Ephemeral(%s) = %v, want %v", line, got, want)
		}
	}
	if h.Ephemeral(nil) || h.Ephemeral(&discordgo.Interaction{Type: discordgo.InteractionApplicationCommand}) {
		t.Errorf("Ephemeral of an empty interaction is true")
	}
}

// FuzzRespond: an interaction as Discord's JSON, however malformed, gets a
// valid answer within Discord's limits and never a panic.
func FuzzRespond(f *testing.F) {
	for _, s := range []string{
		`{"type":2,"data":{"name":"quote","options":[{"name":"story","type":4,"value":1}]}}`,
		`{"type":2,"data":{"name":"thread","options":[{"name":"story","type":4,"value":5},{"name":"author","type":3,"value":"ann"}]}}`,
		`{"type":4,"data":{"name":"quote","options":[{"name":"story","type":4,"value":"nor","focused":true}]}}`,
		`{"type":3,"data":{"custom_id":"thread:5:2:","component_type":2}}`,
		`{"type":2,"data":{"name":"news","options":[{"name":"search","type":1,"options":[{"name":"query","type":3,"value":"korea"}]}]}}`,
		`{"type":2,"member":{"permissions":"32"},"data":{"name":"feeds","options":[{"name":"status","type":1}]}}`,
	} {
		f.Add([]byte(s))
	}
	h, _ := testHandler(f, fixture(f))
	h.Feeds = &fakeFeeds{status: []FeedStatus{exampleStatus(), failingStatus()}}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var i discordgo.Interaction
		if json.Unmarshal(raw, &i) != nil {
			return
		}
		resp, err := h.Respond(context.Background(), &i)
		if err != nil {
			t.Fatalf("Respond: %v", err)
		}
		if resp.Type != discordgo.InteractionResponsePong {
			checkLimits(t, resp)
		}
	})
}
