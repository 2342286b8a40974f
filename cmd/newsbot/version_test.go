package main

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/metrics"
)

func TestVersion(t *testing.T) {
	code, out, _ := run(t, "version")
	if code != 0 || !strings.HasPrefix(out, "newsbot dev (revision unknown (built without VCS information") || !strings.Contains(out, " go1.") {
		t.Errorf("exit %d: %q", code, out)
	}
	version, revision = "v1.2.0", "0123abc"
	defer func() { version, revision = "", "" }()
	if _, out, _ := run(t, "version"); !strings.HasPrefix(out, "newsbot v1.2.0 (revision 0123abc) go") {
		t.Errorf("with -X values: %q", out)
	}
	if !strings.HasPrefix(config.DefaultUserAgent(), "newsbot/") {
		t.Errorf("user agent %q", config.DefaultUserAgent())
	}
}

// Command latency is labelled only with names newsbot registered: a
// hostile interaction cannot grow the label set.
func TestCommandLabels(t *testing.T) {
	h := timedHandler{m: metrics.New(metrics.Build{}, nil, nil), known: map[string]bool{"quote": true, "thread": true}}
	tests := []struct {
		i         *discordgo.Interaction
		name, typ string
	}{
		{&discordgo.Interaction{Type: discordgo.InteractionApplicationCommand, Data: discordgo.ApplicationCommandInteractionData{Name: "quote"}}, "quote", "command"},
		{&discordgo.Interaction{Type: discordgo.InteractionApplicationCommandAutocomplete, Data: discordgo.ApplicationCommandInteractionData{Name: "quote"}}, "quote", "autocomplete"},
		{&discordgo.Interaction{Type: discordgo.InteractionApplicationCommand, Data: discordgo.ApplicationCommandInteractionData{Name: "x" + strings.Repeat("y", 90)}}, "unknown", "command"},
		{&discordgo.Interaction{Type: discordgo.InteractionMessageComponent, Data: discordgo.MessageComponentInteractionData{CustomID: "thread:1:2:"}}, "thread", "component"},
		{&discordgo.Interaction{Type: discordgo.InteractionMessageComponent, Data: discordgo.MessageComponentInteractionData{CustomID: "evil:1"}}, "unknown", "component"},
	}
	for _, tt := range tests {
		if name, typ := h.label(tt.i); name != tt.name || typ != tt.typ {
			t.Errorf("label(%v) = %s %s, want %s %s", tt.i.Data, name, typ, tt.name, tt.typ)
		}
	}
}
