package emulator

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// flow is a discordgo bot connected to an emulator, with the events it
// saw delivered on channels.
type flow struct {
	e        *Emulator
	bot      *discordgo.Session
	ctx      context.Context
	opened   time.Time
	ready    chan *discordgo.Ready
	guilds   chan *discordgo.GuildCreate
	resumed  chan struct{}
	created  chan *discordgo.Message
	answered chan error
}

func newFlow(t *testing.T) *flow {
	e := startEmu(t, Options{HeartbeatInterval: time.Second})
	f := &flow{
		e: e, bot: newSession(t, e), ctx: testCtx(t),
		ready: make(chan *discordgo.Ready, 4), guilds: make(chan *discordgo.GuildCreate, 4),
		resumed: make(chan struct{}, 4), created: make(chan *discordgo.Message, 64), answered: make(chan error, 4),
	}
	f.bot.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { f.ready <- r })
	f.bot.AddHandler(func(_ *discordgo.Session, g *discordgo.GuildCreate) { f.guilds <- g })
	f.bot.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) { f.resumed <- struct{}{} })
	f.bot.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { f.created <- m.Message })
	f.bot.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) { f.answered <- answerDeferred(s, i) })
	openBot(t, f.bot)
	f.opened = time.Now()
	return f
}

// TestDiscordgoFlow drives the unmodified discordgo client through what
// the bot does in a day: connect, register commands, answer a command
// with defer → edit → followup, post an embed, edit it, open a thread,
// survive a forced RECONNECT with RESUME, wait out a 429, heartbeat.
func TestDiscordgoFlow(t *testing.T) {
	t.Parallel()
	start := time.Now()
	f := newFlow(t)
	t.Run("READY and GUILD_CREATE", f.connected)
	t.Run("bulk overwrite keeps ids", f.commands)
	t.Run("deferred answer, edit, followup", f.deferred)
	t.Run("embed, edit, thread", f.story)
	t.Run("RECONNECT then RESUME replays what was missed", f.reconnect)
	t.Run("429 is waited out", f.rateLimited)
	t.Run("heartbeats are acknowledged", f.heartbeats)
	for _, r := range f.e.Requests() {
		if r.Status >= 400 && r.Status != 429 {
			t.Errorf("%s %s answered %d (code %d); body %s", r.Method, r.Path, r.Status, r.Code, r.Body)
		}
	}
	t.Logf("OpenAPI schemas exercised: %s", strings.Join(f.e.SchemasExercised(), ", "))
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("flow took %v; want under 10 s", d)
	}
}

func (f *flow) connected(t *testing.T) {
	r := waitFor(t, f.ready, "READY")
	if r.User.ID != DefaultBotID || r.SessionID == "" || r.Application == nil || r.Application.ID != DefaultApplicationID {
		t.Fatalf("READY = user %+v session %q application %+v", r.User, r.SessionID, r.Application)
	}
	g := waitFor(t, f.guilds, "GUILD_CREATE")
	if g.Name != "Newsroom" || len(g.Channels) != 4 || len(g.Roles) != 3 || len(g.Members) != 3 {
		t.Fatalf("GUILD_CREATE: %q with %d channels, %d roles, %d members", g.Name, len(g.Channels), len(g.Roles), len(g.Members))
	}
}

func (f *flow) commands(t *testing.T) {
	first := registerCommands(t, f.bot)
	again := registerCommands(t, f.bot)
	listed, err := f.bot.ApplicationCommands(DefaultApplicationID, DefaultGuildID)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 3 || len(listed) != 3 {
		t.Fatalf("registered %d, listed %d commands; want 3", len(first), len(listed))
	}
	for i := range first {
		if first[i].ID == "" || first[i].ID != again[i].ID || listed[i].Name != first[i].Name {
			t.Errorf("command %d: ids %q then %q, listed %q", i, first[i].ID, again[i].ID, listed[i].Name)
		}
	}
}

func (f *flow) deferred(t *testing.T) {
	res, err := f.e.Interact(f.ctx, InteractionRequest{Command: "/quote story:north korea author:ChrisW", Followups: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := waitFor(t, f.answered, "the bot's answer"); err != nil {
		t.Fatal(err)
	}
	if res.CallbackType != 5 || len(res.Messages) != 2 {
		t.Fatalf("callback type %d with %d messages; want 5 with 2", res.CallbackType, len(res.Messages))
	}
	orig, follow := res.Messages[0], res.Messages[1]
	if orig.Content != "ChrisW on north korea" || orig.Flags&FlagLoading != 0 || orig.Type != 20 {
		t.Errorf("original = %q flags %d type %d", orig.Content, orig.Flags, orig.Type)
	}
	if follow.Content != "and a followup" || orig.InteractionMetadata.User.ID != DefaultAdminUserID {
		t.Errorf("followup %q, interaction user %+v", follow.Content, orig.InteractionMetadata)
	}
	if got := f.e.Messages(DefaultNewsChannel); len(got) != 2 || got[0].ID != orig.ID {
		t.Errorf("channel history has %d messages; want the original and the followup", len(got))
	}
}

func (f *flow) story(t *testing.T) {
	story := postStory(t, f.bot)
	content := "Story updated"
	embeds := []*discordgo.MessageEmbed{{Title: "Korea talks (updated)", Description: "Now with an update."}}
	if _, err := f.bot.ChannelMessageEditComplex(&discordgo.MessageEdit{ID: story.ID, Channel: DefaultTechChannel,
		Content: &content, Embeds: &embeds, AllowedMentions: noMentions()}); err != nil {
		t.Fatal(err)
	}
	th, err := f.bot.MessageThreadStart(DefaultTechChannel, story.ID, "Korea talks: updates", 1440)
	if err != nil {
		t.Fatal(err)
	}
	if th.ID != story.ID || th.Type != discordgo.ChannelTypeGuildPublicThread || th.ParentID != DefaultTechChannel {
		t.Errorf("thread = id %s type %d parent %s", th.ID, th.Type, th.ParentID)
	}
	if _, err := f.bot.ChannelMessageSendComplex(th.ID, &discordgo.MessageSend{Content: "Added: a paragraph", AllowedMentions: noMentions()}); err != nil {
		t.Fatal(err)
	}
	msgs := f.e.Messages(DefaultTechChannel)
	if len(msgs) != 1 || msgs[0].Content != content || msgs[0].EditedTimestamp == nil || msgs[0].Embeds[0].Title != "Korea talks (updated)" || msgs[0].Thread == nil {
		t.Errorf("stored story = %+v", msgs)
	}
	if in := f.e.Messages(th.ID); len(in) != 1 || in[0].Content != "Added: a paragraph" {
		t.Errorf("thread messages = %+v", in)
	}
}

func (f *flow) reconnect(t *testing.T) {
	f.e.Inject(Fault{Kind: "reconnect"})
	if err := f.e.WaitGateway(f.ctx, func(s GatewayStats) bool { return s.Connections == 0 }); err != nil {
		t.Fatal(err)
	}
	away, err := f.bot.ChannelMessageSendComplex(DefaultNewsChannel, &discordgo.MessageSend{Content: "posted while away", AllowedMentions: noMentions()})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, f.resumed, "RESUMED")
	for m := waitFor(t, f.created, "MESSAGE_CREATE"); m.ID != away.ID; m = waitFor(t, f.created, "the missed MESSAGE_CREATE") {
	}
	if s := f.e.GatewayStats(); s.Identifies != 1 || s.Resumes < 1 {
		t.Errorf("gateway stats %+v; want 1 identify and a resume", s)
	}
}

func (f *flow) rateLimited(t *testing.T) {
	path := "/channels/" + DefaultNewsChannel + "/messages"
	f.e.Inject(Fault{Kind: "429", Count: 1, RetryAfter: 0.05, Path: path, Method: "POST"})
	t0 := time.Now()
	if _, err := f.bot.ChannelMessageSendComplex(DefaultNewsChannel, &discordgo.MessageSend{Content: "after the limit", AllowedMentions: noMentions()}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(t0); d < 50*time.Millisecond {
		t.Errorf("send took %v; discordgo should have waited retry_after", d)
	}
	var statuses []int
	for _, r := range f.e.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, path) && strings.Contains(string(r.Body), "after the limit") {
			statuses = append(statuses, r.Status)
		}
	}
	if fmt.Sprint(statuses) != "[429 200]" {
		t.Errorf("statuses of the send = %v; want [429 200]", statuses)
	}
}

func (f *flow) heartbeats(t *testing.T) {
	// The third ACK leaves a second after the second, which discordgo has
	// recorded by then.
	if err := f.e.WaitGateway(f.ctx, func(s GatewayStats) bool { return s.HeartbeatAcks >= 3 }); err != nil {
		t.Fatal(err)
	}
	f.bot.RLock()
	last := f.bot.LastHeartbeatAck
	f.bot.RUnlock()
	if !last.After(f.opened) {
		t.Errorf("discordgo recorded no heartbeat ACK since Open (last %v)", last)
	}
}

// answerDeferred answers /quote the slow way: defer, edit, followup.
func answerDeferred(s *discordgo.Session, i *discordgo.InteractionCreate) error {
	data := i.ApplicationCommandData()
	story, author := data.GetOption("story").StringValue(), data.GetOption("author").StringValue()
	if err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
		return fmt.Errorf("defer: %w", err)
	}
	content := author + " on " + story
	if _, err := s.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{Content: &content, AllowedMentions: noMentions()}); err != nil {
		return fmt.Errorf("edit: %w", err)
	}
	if _, err := s.FollowupMessageCreate(i.Interaction, true, &discordgo.WebhookParams{Content: "and a followup", AllowedMentions: noMentions()}); err != nil {
		return fmt.Errorf("followup: %w", err)
	}
	return nil
}

// postStory sends an embed like the bot's new-story post.
func postStory(t *testing.T, s *discordgo.Session) *discordgo.Message {
	t.Helper()
	m, err := s.ChannelMessageSendComplex(DefaultTechChannel, &discordgo.MessageSend{
		Content: "New story",
		Embeds: []*discordgo.MessageEmbed{{
			Title: "Korea talks", URL: "https://example.com/korea", Description: "Talks resumed.",
			Timestamp: "2024-05-01T10:00:00Z", Color: 0x3366ff,
			Author: &discordgo.MessageEmbedAuthor{Name: "example.com"},
			Footer: &discordgo.MessageEmbedFooter{Text: "12 comments"},
			Fields: []*discordgo.MessageEmbedField{{Name: "Top comment", Value: "ChrisW: what would you do?", Inline: true}},
		}},
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Summarize", Style: discordgo.PrimaryButton, CustomID: "summarize:1"},
			discordgo.Button{Label: "Read", Style: discordgo.LinkButton, URL: "https://example.com/korea"},
		}}},
		AllowedMentions: noMentions(),
	})
	if err != nil {
		t.Fatalf("post story: %v", err)
	}
	if m.Embeds[0].Type != "rich" || m.Embeds[0].Fields[0].Value != "ChrisW: what would you do?" {
		t.Errorf("posted embed = %+v", m.Embeds[0])
	}
	return m
}
