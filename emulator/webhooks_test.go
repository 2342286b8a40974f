package emulator

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestWebhookPostsUnderItsNameAndAvatar(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	s := newSession(t, e)
	h, err := s.WebhookCreate(DefaultNewsChannel, "newsbot", "")
	if err != nil {
		t.Fatal(err)
	}
	if h.Token == "" || h.ChannelID != DefaultNewsChannel || h.ApplicationID != DefaultApplicationID {
		t.Fatalf("webhook = %+v", h)
	}
	const avatar = "https://example.com/world.png"
	m, err := s.WebhookExecute(h.ID, h.Token, true, &discordgo.WebhookParams{Content: "<@&" + DefaultGuildID + "> Storm warning",
		Username: "World News", AvatarURL: avatar, AllowedMentions: noMentions()})
	if err != nil {
		t.Fatal(err)
	}
	shown := e.Messages(DefaultNewsChannel)
	if len(shown) != 1 || shown[0].WebhookID != h.ID || shown[0].Author.Username != "World News" ||
		shown[0].Author.Avatar == nil || *shown[0].Author.Avatar != AvatarHash(avatar) {
		t.Fatalf("channel shows %+v; want one message from the webhook as World News with the avatar", shown)
	}
	if len(shown[0].MentionRoles) != 0 {
		t.Error("allowed_mentions with parse [] still pinged a role")
	}
	content := "Storm warning (updated)"
	if _, err := s.WebhookMessageEdit(h.ID, h.Token, m.ID, &discordgo.WebhookEdit{Content: &content}); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.Message(m.ID); got.Content != content || got.EditedTimestamp == nil || got.Author.Username != "World News" {
		t.Errorf("after the edit: %+v", got)
	}
	_, err = s.ChannelMessageEdit(DefaultNewsChannel, m.ID, "the bot cannot edit it")
	if restCode(t, err) != 50005 {
		t.Errorf("bot editing the webhook's message: %v; want 50005", err)
	}
	if err := s.WebhookMessageDelete(h.ID, h.Token, m.ID); err != nil || len(e.Messages(DefaultNewsChannel)) != 0 {
		t.Errorf("delete: %v; channel has %d messages", err, len(e.Messages(DefaultNewsChannel)))
	}
	hooks, err := s.ChannelWebhooks(DefaultNewsChannel)
	if err != nil || len(hooks) != 1 || hooks[0].ID != h.ID || hooks[0].Token != h.Token {
		t.Errorf("channel webhooks = %+v, %v", hooks, err)
	}
}

func TestWebhookInForumAndThreads(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	s := newSession(t, e)
	h, err := s.WebhookCreate(DefaultForumChannel, "newsbot", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.WebhookExecute(h.ID, h.Token, true, &discordgo.WebhookParams{Content: "no thread"})
	if restCode(t, err) != 220001 {
		t.Errorf("forum execute without thread_name: %v; want 220001", err)
	}
	first, err := s.WebhookExecute(h.ID, h.Token, true, &discordgo.WebhookParams{Content: "the card", ThreadName: "Footbridge approved"})
	if err != nil {
		t.Fatal(err)
	}
	thread := first.ChannelID
	if thread != first.ID || e.threadName(thread) != "Footbridge approved" {
		t.Fatalf("first message %+v; want it to open a post named after thread_name, sharing its id", first)
	}
	yes := true
	if _, err := s.ChannelEdit(thread, &discordgo.ChannelEdit{Archived: &yes}); err != nil {
		t.Fatal(err)
	}
	content := "edited"
	_, err = s.WebhookMessageEdit(h.ID, h.Token, first.ID, &discordgo.WebhookEdit{Content: &content})
	if restCode(t, err) != 10008 {
		t.Errorf("edit without thread_id: %v; want 10008 (Discord looks in the channel)", err)
	}
	reply, err := s.WebhookThreadExecute(h.ID, h.Token, true, thread, &discordgo.WebhookParams{Content: "what changed"})
	if err != nil || reply.ChannelID != thread {
		t.Fatalf("reply in the thread: %+v, %v", reply, err)
	}
	edit := fmt.Sprintf("/webhooks/%s/%s/messages/%s?thread_id=%s", h.ID, h.Token, first.ID, thread)
	if _, err := s.RequestWithBucketID("PATCH", discordgo.EndpointAPI+edit[1:], map[string]string{"content": content}, "hook"); err != nil {
		t.Errorf("edit with thread_id once the reply unarchived it: %v", err)
	}
	if msgs := e.Messages(thread); len(msgs) != 2 || msgs[0].Content != "edited" {
		t.Errorf("thread shows %+v", msgs)
	}
	_, err = s.WebhookExecute(h.ID, h.Token+"x", true, &discordgo.WebhookParams{Content: "x", ThreadName: "t"})
	if restCode(t, err) != 50027 {
		t.Errorf("wrong token: %v; want 50027", err)
	}
}

func (e *Emulator) threadName(id string) string {
	for _, c := range e.Channels() {
		if c.ID == id {
			return c.Name
		}
	}
	return ""
}

func TestWebhookChecks(t *testing.T) {
	t.Parallel()
	seed := DefaultSeed()
	g := &seed.Guilds[0]
	g.Channels[1].Overwrites = []SeedOverwrite{{ID: "100000000000000021", Type: 0, Deny: PermManageWebhooks}}
	e := startEmu(t, Options{Seed: &seed})
	s := newSession(t, e)
	_, err := s.WebhookCreate(DefaultTechChannel, "newsbot", "")
	if restStatus(t, err) != 403 || restCode(t, err) != 50013 {
		t.Errorf("create without MANAGE_WEBHOOKS: %v; want 403 50013", err)
	}
	for _, name := range []string{"", strings.Repeat("n", 81), "Clyde news", "my Discord feed"} {
		_, err := s.WebhookCreate(DefaultNewsChannel, name, "")
		if restCode(t, err) != 50035 || !strings.Contains(err.Error(), "name") {
			t.Errorf("name %q: %v; want 50035 on name", name, err)
		}
	}
	_, err = s.WebhookCreate(DefaultNewsChannel, "pic", "not an image")
	if restCode(t, err) != 50035 || !strings.Contains(err.Error(), "avatar") {
		t.Errorf("bad avatar: %v", err)
	}
	var h *discordgo.Webhook
	for i := range maxWebhooksPerChannel {
		if h, err = s.WebhookCreate(DefaultNewsChannel, fmt.Sprint("hook ", i), ""); err != nil {
			t.Fatal(err)
		}
	}
	_, err = s.WebhookCreate(DefaultNewsChannel, "one too many", "")
	if restCode(t, err) != 30007 {
		t.Errorf("16th webhook: %v; want 30007", err)
	}
	_, err = s.WebhookExecute(h.ID, h.Token, true, &discordgo.WebhookParams{Content: "x", Username: "discord bot"})
	if restCode(t, err) != 50035 || !strings.Contains(err.Error(), "username") {
		t.Errorf("username override with 'discord': %v", err)
	}
	_, err = s.WebhookExecute(h.ID, h.Token, true, &discordgo.WebhookParams{Content: "x", ThreadName: "t"})
	if restCode(t, err) != 220003 {
		t.Errorf("thread_name in a text channel: %v; want 220003", err)
	}
	if err := s.WebhookDelete(h.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.WebhookExecute(h.ID, h.Token, true, &discordgo.WebhookParams{Content: "x"})
	if restCode(t, err) != 10015 {
		t.Errorf("deleted webhook: %v; want 10015", err)
	}
}

func TestCrosspostOncePerMessage(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	s := newSession(t, e)
	updates := make(chan *discordgo.Message, 4)
	s.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageUpdate) { updates <- m.Message })
	openBot(t, s)
	m, err := s.ChannelMessageSendComplex(DefaultAnnounceChan, &discordgo.MessageSend{Content: "big news", AllowedMentions: noMentions()})
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.ChannelMessageCrosspost(DefaultAnnounceChan, m.ID)
	if err != nil || out.Flags&discordgo.MessageFlagsCrossPosted == 0 {
		t.Fatalf("crosspost = %+v, %v; want the message flagged CROSSPOSTED", out, err)
	}
	if ev := waitFor(t, updates, "MESSAGE_UPDATE"); ev.Flags&discordgo.MessageFlagsCrossPosted == 0 {
		t.Errorf("MESSAGE_UPDATE flags = %d", ev.Flags)
	}
	_, err = s.ChannelMessageCrosspost(DefaultAnnounceChan, m.ID)
	if restCode(t, err) != 40033 {
		t.Errorf("second crosspost: %v; want 40033", err)
	}
	n, err := s.ChannelMessageSendComplex(DefaultNewsChannel, &discordgo.MessageSend{Content: "x", AllowedMentions: noMentions()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.ChannelMessageCrosspost(DefaultNewsChannel, n.ID)
	if restCode(t, err) != 50024 {
		t.Errorf("crosspost in a text channel: %v; want 50024", err)
	}
}

// Discord lets a channel publish ten messages an hour; the eleventh
// waits.
func TestCrosspostRateLimit(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	s := newSession(t, e)
	var err error
	for i := range 11 {
		var m *discordgo.Message
		if m, err = s.ChannelMessageSendComplex(DefaultAnnounceChan, &discordgo.MessageSend{Content: fmt.Sprint("post ", i), AllowedMentions: noMentions()}); err != nil {
			t.Fatal(err)
		}
		if _, err = s.ChannelMessageCrosspost(DefaultAnnounceChan, m.ID, discordgo.WithRetryOnRatelimit(false)); err != nil {
			if i != 10 {
				t.Fatalf("crosspost %d: %v", i+1, err)
			}
		}
	}
	var rl *discordgo.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter.Minutes() < 50 {
		t.Errorf("11th crosspost within the hour: %v; want a 429 asking to wait most of an hour", err)
	}
}
