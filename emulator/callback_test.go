package emulator

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// answer is how the test's bot answers the next interaction; it returns
// what the callback route answered.
type answer func(s *discordgo.Session, i *discordgo.InteractionCreate) ([]byte, error)

// scriptedBot starts a bot that answers each interaction with the next
// answer given to it and reports the callback's answer.
func scriptedBot(t *testing.T) (*Emulator, *discordgo.Session, chan<- answer, <-chan []byte) {
	t.Helper()
	next := make(chan answer, 1)
	out := make(chan []byte, 1)
	e, bot := startBot(t, Options{}, func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		body, err := (<-next)(s, i)
		if err != nil {
			t.Errorf("answer: %v", err)
		}
		out <- body
	})
	return e, bot, next, out
}

// withResponse answers with ?with_response=true through discordgo.
func withResponse(typ discordgo.InteractionResponseType, data *discordgo.InteractionResponseData) answer {
	return func(s *discordgo.Session, i *discordgo.InteractionCreate) ([]byte, error) {
		url := discordgo.EndpointInteractionResponse(i.ID, i.Token)
		body, err := s.RequestWithBucketID("POST", url+"?with_response=true",
			discordgo.InteractionResponse{Type: typ, Data: data}, discordgo.EndpointInteractionResponse(i.ID, ""))
		if err == nil && typ == discordgo.InteractionResponseDeferredChannelMessageWithSource {
			content := "done"
			_, err = s.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{Content: &content})
		}
		return body, err
	}
}

type callbackAnswer struct {
	Interaction struct {
		ID        string `json:"id"`
		Type      int    `json:"type"`
		MessageID string `json:"response_message_id"`
		Loading   *bool  `json:"response_message_loading"`
		Ephemeral *bool  `json:"response_message_ephemeral"`
	} `json:"interaction"`
	Resource *struct {
		Type    int      `json:"type"`
		Message *Message `json:"message"`
	} `json:"resource"`
}

// TestCallbackWithResponse: ?with_response=true answers 200 with the
// interaction and the message the callback created or updated.
func TestCallbackWithResponse(t *testing.T) {
	t.Parallel()
	e, bot, next, out := scriptedBot(t)
	story := postStory(t, bot)
	no, yes := false, true
	cases := []struct {
		name     string
		req      InteractionRequest
		answer   answer
		resource int    // 0: none
		content  string // of the resource's message
		loading  *bool
		eph      *bool
	}{
		{"a public message", InteractionRequest{Command: "/quote story:1"},
			withResponse(4, &discordgo.InteractionResponseData{Content: "a quote", AllowedMentions: noMentions()}), 4, "a quote", &no, &no},
		{"an ephemeral message", InteractionRequest{Command: "/quote story:1"},
			withResponse(4, &discordgo.InteractionResponseData{Content: "for you", Flags: discordgo.MessageFlagsEphemeral}), 4, "for you", &no, &yes},
		{"a deferred answer", InteractionRequest{Command: "/quote story:1"},
			withResponse(5, nil), 0, "", &yes, &no},
		{"a button's update", InteractionRequest{Type: "component", MessageID: story.ID, CustomID: "summarize:1"},
			withResponse(7, &discordgo.InteractionResponseData{Content: "updated"}), 7, "updated", &no, &no},
		{"an autocomplete", InteractionRequest{Type: "autocomplete", Command: "/quote story:ko", Focused: "story"},
			withResponse(8, &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "Korea", Value: "1"}}}), 0, "", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			next <- tc.answer
			res, err := e.Interact(testCtx(t), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			body := waitFor(t, out, "the callback's answer")
			var a callbackAnswer
			if err := json.Unmarshal(body, &a); err != nil {
				t.Fatalf("answer %q: %v", body, err)
			}
			if a.Interaction.ID != res.InteractionID || !reflect.DeepEqual(a.Interaction.Loading, tc.loading) || !reflect.DeepEqual(a.Interaction.Ephemeral, tc.eph) {
				t.Errorf("interaction = %+v; want id %s loading %v ephemeral %v", a.Interaction, res.InteractionID, deref(tc.loading), deref(tc.eph))
			}
			if tc.resource == 0 {
				if a.Resource != nil {
					t.Errorf("resource = %+v; want none", a.Resource)
				}
				return
			}
			if a.Resource == nil || a.Resource.Type != tc.resource || a.Resource.Message == nil {
				t.Fatalf("resource = %s; want type %d with the message", body, tc.resource)
			}
			m := a.Resource.Message
			if m.Content != tc.content || m.ID != a.Interaction.MessageID || m.ID != res.Messages[0].ID {
				t.Errorf("resource message %s %q; want %s %q (the interaction's response)", m.ID, m.Content, res.Messages[0].ID, tc.content)
			}
		})
	}
}

func deref(b *bool) any {
	if b == nil {
		return "absent"
	}
	return *b
}

// TestInteractionMetadataReadBack: answers to a command and to a button,
// read back from channel history as any client would, carry everything
// interaction_metadata requires.
func TestInteractionMetadataReadBack(t *testing.T) {
	t.Parallel()
	e, bot, next, out := scriptedBot(t)
	story := postStory(t, bot)
	followup := func(s *discordgo.Session, i *discordgo.InteractionCreate) ([]byte, error) {
		err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: 4,
			Data: &discordgo.InteractionResponseData{Content: "a quote", AllowedMentions: noMentions()}})
		if err != nil {
			return nil, err
		}
		_, err = s.FollowupMessageCreate(i.Interaction, true, &discordgo.WebhookParams{Content: "and more", AllowedMentions: noMentions()})
		return nil, err
	}

	next <- followup
	cmd, err := e.Interact(testCtx(t), InteractionRequest{Command: "/quote story:1", ChannelID: DefaultTechChannel, UserID: DefaultMemberUserID, Followups: 1})
	waitFor(t, out, "the /quote answer")
	if err != nil {
		t.Fatal(err)
	}
	next <- followup
	click, err := e.Interact(testCtx(t), InteractionRequest{Type: "component", MessageID: story.ID, CustomID: "summarize:1", UserID: DefaultMemberUserID, Followups: 1})
	waitFor(t, out, "the button's answer")
	if err != nil {
		t.Fatal(err)
	}

	raw, err := bot.Request("GET", discordgo.EndpointChannelMessages(DefaultTechChannel), nil)
	if err != nil {
		t.Fatal(err)
	}
	var history []json.RawMessage
	if err := json.Unmarshal(raw, &history); err != nil {
		t.Fatal(err)
	}
	type metadata struct {
		ID         string            `json:"id"`
		Type       int               `json:"type"`
		User       *User             `json:"user"`
		Owners     map[string]string `json:"authorizing_integration_owners"`
		Original   string            `json:"original_response_message_id"`
		Interacted string            `json:"interacted_message_id"`
	}
	byID := map[string]metadata{}
	for _, m := range history {
		var v struct {
			ID string    `json:"id"`
			MD *metadata `json:"interaction_metadata"`
		}
		json.Unmarshal(m, &v)
		if v.MD != nil {
			byID[v.ID] = *v.MD
		}
		if _, err := os.Stat(specPath); err == nil {
			errs, err := ValidateSchema(specPath, "MessageResponse", m)
			if err != nil || len(errs) > 0 {
				t.Errorf("message %s does not match MessageResponse: %v %v", v.ID, errs, err)
			}
		}
	}
	owners := map[string]string{"0": DefaultGuildID}
	want := map[string]metadata{
		cmd.Messages[0].ID:   {ID: cmd.InteractionID, Type: 2, Owners: owners},
		cmd.Messages[1].ID:   {ID: cmd.InteractionID, Type: 2, Owners: owners, Original: cmd.Messages[0].ID},
		click.Messages[0].ID: {ID: click.InteractionID, Type: 3, Owners: owners, Interacted: story.ID},
		click.Messages[1].ID: {ID: click.InteractionID, Type: 3, Owners: owners, Interacted: story.ID, Original: click.Messages[0].ID},
	}
	for id, w := range want {
		got, ok := byID[id]
		if !ok {
			t.Errorf("message %s has no interaction_metadata", id)
			continue
		}
		if got.User == nil || got.User.ID != DefaultMemberUserID {
			t.Errorf("message %s: interaction_metadata.user = %+v; want the member who typed", id, got.User)
		}
		got.User = nil
		if !reflect.DeepEqual(got, w) {
			t.Errorf("message %s: interaction_metadata = %+v; want %+v", id, got, w)
		}
	}
}
