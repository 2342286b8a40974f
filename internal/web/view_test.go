package web

import (
	"encoding/json"
	"testing"

	"github.com/newsbot-dev/newsbot/emulator"
)

func TestViewMessage(t *testing.T) {
	edited := "2026-01-02T03:04:05.000000+00:00"
	name := "newsbot"
	bot := emulator.User{ID: "99", Username: "newsbot", GlobalName: &name, Bot: true}
	parent := emulator.Message{ID: "1", Author: bot, Embeds: []emulator.Embed{{Title: "Heatwave \\*warning\\*"}}}
	m := emulator.Message{
		ID: "2", ChannelID: "10", Type: 19, Author: bot, Content: "**Updated:** x", EditedTimestamp: &edited,
		Embeds: []emulator.Embed{{
			Title: "Updated: Heat", URL: "javascript:alert(1)", Color: 0xF59E0B, Description: "> added",
			Author: &emulator.EmbedAuthor{Name: "<World>", URL: "https://example.com/a b"},
			Fields: []emulator.EmbedField{{Name: "**Most active**", Value: "marta\\_k", Inline: true}},
			Footer: &emulator.EmbedFooter{Text: "story 2 · <b>"}, Image: &emulator.EmbedMedia{URL: "data:image/png;base64,xx"},
		}},
		Components: []json.RawMessage{json.RawMessage(`{"type":1,"components":[
			{"type":2,"style":2,"label":"Next ▶","custom_id":"thread:2:2:"},
			{"type":2,"style":5,"label":"Open","url":"javascript:alert(2)"},
			{"type":3,"custom_id":"pick","placeholder":"Choose"}]}`)},
		MessageReference:    &emulator.MessageReference{MessageID: "1"},
		ReferencedMessage:   &parent,
		InteractionMetadata: &emulator.InteractionMetadata{User: emulator.User{ID: "10", Username: "admin"}, Name: "thread"},
		Flags:               emulator.FlagEphemeral,
	}
	v := viewMessage(m)
	checks := []struct {
		what      string
		got, want any
	}{
		{"content", v.HTML, "<strong>Updated:</strong> x"},
		{"edited", v.Edited, edited},
		{"ephemeral", v.Ephemeral, true},
		{"reply author", v.Reply.Author.Name, "newsbot"},
		{"reply preview is the embed title", v.Reply.HTML, "Heatwave *warning*"},
		{"command", v.Command.Name + " by " + v.Command.User.Name, "thread by admin"},
		{"colour", v.Embeds[0].Color, "#f59e0b"},
		{"no javascript: title link", v.Embeds[0].URL, ""},
		{"author stays text", v.Embeds[0].Author, "<World>"},
		{"author URL made well formed", v.Embeds[0].AuthorURL, "https://example.com/a%20b"},
		{"description", v.Embeds[0].HTML, "<blockquote>added</blockquote>"},
		{"field name", v.Embeds[0].Fields[0].NameHTML, "<strong>Most active</strong>"},
		{"field value", v.Embeds[0].Fields[0].HTML, "marta_k"},
		{"footer stays text", v.Embeds[0].Footer, "story 2 · <b>"},
		{"no data: image", v.Embeds[0].Image, ""},
		{"button", v.Rows[0][0], buttonView{Style: 2, Label: "Next ▶", CustomID: "thread:2:2:"}},
		{"javascript: link button is dead", v.Rows[0][1], buttonView{Style: 5, Label: "Open", Disabled: true}},
		{"select menu shown, not usable", v.Rows[0][2], buttonView{Style: 2, Label: "Choose", Disabled: true}},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %#v, want %#v", c.what, c.got, c.want)
		}
	}
}

func TestViewMessageGoneReference(t *testing.T) {
	v := viewMessage(emulator.Message{ID: "3", Type: 19, MessageReference: &emulator.MessageReference{MessageID: "1"}})
	if v.Reply == nil || v.Reply.Author != nil || v.Reply.HTML != "Original message was deleted" {
		t.Errorf("reply = %+v, want the deleted-message line", v.Reply)
	}
}
