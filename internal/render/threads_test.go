package render

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestPing(t *testing.T) {
	tests := []struct {
		name         string
		roles, users []string
		content      string
		wantContent  string
		wantMentions string
	}{
		{"nobody", nil, nil, "", "", `{"parse":[],"replied_user":false}`},
		{"a role", []string{"40"}, nil, "", "<@&40>", `{"parse":[],"roles":["40"],"replied_user":false}`},
		{"a role and a user before the text", []string{"40"}, []string{"10"}, "Storm warning", "<@&40> <@10>\nStorm warning",
			`{"parse":[],"roles":["40"],"users":["10"],"replied_user":false}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &discordgo.MessageSend{Content: tc.content, AllowedMentions: NoMentions()}
			Ping(m, tc.roles, tc.users)
			if tc.wantContent == "" {
				tc.wantContent = tc.content
			}
			am, _ := json.Marshal(m.AllowedMentions)
			if m.Content != tc.wantContent || string(am) != tc.wantMentions {
				t.Errorf("content %q, allowed_mentions %s; want %q, %s", m.Content, am, tc.wantContent, tc.wantMentions)
			}
		})
	}
}

func TestThreadName(t *testing.T) {
	for in, want := range map[string]string{
		"  Bridge\n  opens  ": "Bridge opens",
		"":                    "Untitled story",
	} {
		if got := ThreadName(in); got != want {
			t.Errorf("ThreadName(%q) = %q; want %q", in, got, want)
		}
	}
	if got := ThreadName(strings.Repeat("Council ", 20)); Len(got) > MaxThreadName || !strings.HasSuffix(got, "Council…") {
		t.Errorf("a long title named %q (%d characters); want it cut to 100 at a word", got, Len(got))
	}
}
