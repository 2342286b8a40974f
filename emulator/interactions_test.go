package emulator

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// startBot starts an emulator and a connected discordgo bot with the test
// commands registered; handle answers every interaction.
func startBot(t *testing.T, opts Options, handle func(s *discordgo.Session, i *discordgo.InteractionCreate)) (*Emulator, *discordgo.Session) {
	t.Helper()
	if opts.InteractionDeadline == 0 {
		// Tests not about the deadline must not miss it on a loaded
		// machine running many bots under -race; those about it set it.
		opts.InteractionDeadline = 20 * time.Second
	}
	e := startEmu(t, opts)
	bot := newSession(t, e)
	bot.ShouldReconnectOnError = false
	bot.AddHandler(handle)
	openBot(t, bot)
	registerCommands(t, bot)
	return e, bot
}

func respond(s *discordgo.Session, i *discordgo.InteractionCreate, typ discordgo.InteractionResponseType, data *discordgo.InteractionResponseData) error {
	return s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: typ, Data: data})
}

func TestFirstCallbackAfterDeadline(t *testing.T) {
	t.Parallel()
	var e *Emulator
	late := make(chan error, 1)
	e, _ = startBot(t, Options{InteractionDeadline: 100 * time.Millisecond}, func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		<-e.InteractionDeadline(i.ID) // answer only once Discord has given up
		late <- respond(s, i, discordgo.InteractionResponseChannelMessageWithSource, &discordgo.InteractionResponseData{Content: "too late"})
	})
	_, err := e.Interact(testCtx(t), InteractionRequest{Command: "/quote story:1"})
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "did not answer") {
		t.Errorf("Interact error = %v; want a timeout saying the bot did not answer", err)
	}
	err = waitFor(t, late, "the late callback")
	if code, status := restCode(t, err), restStatus(t, err); code != 10062 || status != 404 {
		t.Errorf("late callback got %d (HTTP %d); want 10062 (404)", code, status)
	}
}

func TestSecondCallback(t *testing.T) {
	t.Parallel()
	second := make(chan error, 1)
	e, _ := startBot(t, Options{}, func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		data := &discordgo.InteractionResponseData{Content: "first", AllowedMentions: noMentions()}
		if err := respond(s, i, discordgo.InteractionResponseChannelMessageWithSource, data); err != nil {
			second <- fmt.Errorf("first callback: %w", err)
			return
		}
		data.Content = "second"
		second <- respond(s, i, discordgo.InteractionResponseChannelMessageWithSource, data)
	})
	res, err := e.Interact(testCtx(t), InteractionRequest{Command: "/quote story:1"})
	if err != nil {
		t.Fatal(err)
	}
	if code := restCode(t, waitFor(t, second, "the second callback")); code != 40060 {
		t.Errorf("second callback got %d; want 40060", code)
	}
	if res.CallbackType != 4 || len(res.Messages) != 1 || res.Messages[0].Content != "first" {
		t.Errorf("result = type %d, messages %+v", res.CallbackType, res.Messages)
	}
}

func TestAutocomplete(t *testing.T) {
	t.Parallel()
	got := make(chan discordgo.ApplicationCommandInteractionData, 2)
	tooMany := make(chan error, 1)
	e, _ := startBot(t, Options{}, func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		data := i.ApplicationCommandData()
		got <- data
		typed := data.GetOption("story").StringValue()
		n := 1
		if typed == "everything" {
			n = 26
		}
		var cs []*discordgo.ApplicationCommandOptionChoice
		for k := range n {
			cs = append(cs, &discordgo.ApplicationCommandOptionChoice{Name: fmt.Sprintf("%s talks (%d)", typed, k+1), Value: fmt.Sprint(k + 1)})
		}
		err := respond(s, i, discordgo.InteractionApplicationCommandAutocompleteResult, &discordgo.InteractionResponseData{Choices: cs})
		if n == 26 {
			tooMany <- err
		}
	})
	res, err := e.Interact(testCtx(t), InteractionRequest{Type: "autocomplete", Command: "/quote story:north korea author:Chris", Focused: "story"})
	if err != nil {
		t.Fatal(err)
	}
	data := waitFor(t, got, "autocomplete data")
	if o := data.GetOption("story"); !o.Focused || o.StringValue() != "north korea" || data.GetOption("author").StringValue() != "Chris" {
		t.Errorf("options = %+v", data.Options)
	}
	if res.CallbackType != 8 || !strings.Contains(string(res.Callback), `"north korea talks (1)"`) {
		t.Errorf("callback = %d %s", res.CallbackType, res.Callback)
	}
	go e.Interact(testCtx(t), InteractionRequest{Type: "autocomplete", Command: "/quote story:everything", Focused: "story"})
	if code := restCode(t, waitFor(t, tooMany, "the 26-choice answer")); code != 50035 {
		t.Errorf("26 choices got %d; want 50035", code)
	}
}

func TestButtonUpdatesMessage(t *testing.T) {
	t.Parallel()
	e, bot := startBot(t, Options{}, func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		id := i.MessageComponentData().CustomID
		respond(s, i, discordgo.InteractionResponseUpdateMessage, &discordgo.InteractionResponseData{
			Content: "clicked " + id + " on " + i.Message.Content, Components: []discordgo.MessageComponent{}})
	})
	story := postStory(t, bot)
	res, err := e.Interact(testCtx(t), InteractionRequest{Type: "component", MessageID: story.ID, CustomID: "summarize:1", UserID: DefaultMemberUserID})
	if err != nil {
		t.Fatal(err)
	}
	want := "clicked summarize:1 on New story"
	if res.CallbackType != 7 || len(res.Messages) != 1 || res.Messages[0].Content != want || len(res.Messages[0].Components) != 0 {
		t.Errorf("result = type %d %+v", res.CallbackType, res.Messages)
	}
	if m, _ := e.Message(story.ID); m.Content != want || m.EditedTimestamp == nil {
		t.Errorf("stored message = %q edited %v", m.Content, m.EditedTimestamp)
	}
	_, err = e.Interact(testCtx(t), InteractionRequest{Type: "component", MessageID: story.ID, CustomID: "summarize:1"})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), `no component with custom_id "summarize:1"`) {
		t.Errorf("clicking a removed button: %v", err)
	}
}

func TestEphemeralAnswerStaysOutOfHistory(t *testing.T) {
	t.Parallel()
	e, _ := startBot(t, Options{}, func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		respond(s, i, discordgo.InteractionResponseChannelMessageWithSource, &discordgo.InteractionResponseData{
			Content: "only you can see this", Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()})
	})
	res, err := e.Interact(testCtx(t), InteractionRequest{Command: "/quote story:1", ChannelID: DefaultTechChannel})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Messages) != 1 || res.Messages[0].Flags&FlagEphemeral == 0 {
		t.Errorf("messages = %+v; want one ephemeral", res.Messages)
	}
	if h := e.Messages(DefaultTechChannel); len(h) != 0 {
		t.Errorf("channel history has %d messages; ephemeral answers are not in it", len(h))
	}
}

func TestExpiredTokenRejectsFollowups(t *testing.T) {
	t.Parallel()
	followup := make(chan error, 1)
	e, _ := startBot(t, Options{TokenLifetime: time.Nanosecond}, func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		if err := respond(s, i, discordgo.InteractionResponseDeferredChannelMessageWithSource, nil); err != nil {
			followup <- err
			return
		}
		_, err := s.FollowupMessageCreate(i.Interaction, true, &discordgo.WebhookParams{Content: "late", AllowedMentions: noMentions()})
		followup <- err
	})
	_, err := e.Interact(testCtx(t), InteractionRequest{Command: "/quote story:1", TimeoutMS: 50})
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "did not edit @original") {
		t.Errorf("Interact error = %v", err)
	}
	err = waitFor(t, followup, "the followup")
	if code, status := restCode(t, err), restStatus(t, err); code != 50027 || status != 401 {
		t.Errorf("followup with an expired token got %d (HTTP %d); want 50027 (401)", code, status)
	}
}

func TestUnknownInteractionAndWebhook(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	s := newSession(t, e)
	fake := &discordgo.Interaction{ID: "1", AppID: DefaultApplicationID, Token: "nope"}
	err := s.InteractionRespond(fake, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
	if code := restCode(t, err); code != 10062 {
		t.Errorf("callback for an unknown interaction: %d; want 10062", code)
	}
	content := "x"
	_, err = s.InteractionResponseEdit(fake, &discordgo.WebhookEdit{Content: &content})
	if code := restCode(t, err); code != 10015 {
		t.Errorf("@original of an unknown token: %d; want 10015", code)
	}
}

func TestInteractionPayload(t *testing.T) {
	t.Parallel()
	got := make(chan *discordgo.Interaction, 4)
	e, _ := startBot(t, Options{}, func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		got <- i.Interaction
		respond(s, i, discordgo.InteractionResponseChannelMessageWithSource, &discordgo.InteractionResponseData{Content: "ok", AllowedMentions: noMentions()})
	})
	ctx := testCtx(t)
	if _, err := e.Interact(ctx, InteractionRequest{Command: "/feeds add url:https://example.com/a feed.xml channel:<#" + DefaultTechChannel + ">"}); err != nil {
		t.Fatal(err)
	}
	i := waitFor(t, got, "the interaction")
	add := i.ApplicationCommandData().Options[0]
	if add.Name != "add" || add.GetOption("url").StringValue() != "https://example.com/a feed.xml" {
		t.Errorf("options = %+v", add)
	}
	if ch := i.ApplicationCommandData().Resolved.Channels[DefaultTechChannel]; ch == nil || ch.Name != "tech" {
		t.Errorf("resolved channels = %+v", i.ApplicationCommandData().Resolved)
	}
	if i.Member.User.ID != DefaultAdminUserID || i.Member.Permissions&discordgo.PermissionManageGuild == 0 || i.GuildID != DefaultGuildID {
		t.Errorf("member %s with permissions %d in guild %s", i.Member.User.ID, i.Member.Permissions, i.GuildID)
	}
	// A member without MANAGE_GUILD still reaches the bot (a server may
	// override default_member_permissions), with their own permissions.
	if _, err := e.Interact(ctx, InteractionRequest{Command: "/feeds list", UserID: DefaultMemberUserID}); err != nil {
		t.Fatal(err)
	}
	if i := waitFor(t, got, "the member's /feeds"); i.Member.Permissions&discordgo.PermissionManageGuild != 0 {
		t.Errorf("member's permissions %d include MANAGE_GUILD", i.Member.Permissions)
	}
	if _, err := e.Interact(ctx, InteractionRequest{Command: "/quote story:2", UserID: DefaultMemberUserID, Permissions: "1024"}); err != nil {
		t.Fatal(err)
	}
	if i := waitFor(t, got, "the member's interaction"); i.Member.Permissions != 1024 || i.Member.User.Username != "member" {
		t.Errorf("member = %s with permissions %d; want member with 1024", i.Member.User.Username, i.Member.Permissions)
	}
}

// TestCallbackTypes answers with each callback type where it is valid,
// and with one where it is not.
func TestCallbackTypes(t *testing.T) {
	t.Parallel()
	done := make(chan error, 4)
	e, bot := startBot(t, Options{InteractionDeadline: 2 * time.Second}, func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		done <- answerByPlan(s, i)
	})
	ctx := testCtx(t)
	res, err := e.Interact(ctx, InteractionRequest{Type: "ping"})
	if err != nil || res.CallbackType != 1 || len(res.Messages) != 0 {
		t.Errorf("ping: %v %+v", err, res)
	}
	if err := waitFor(t, done, "pong"); err != nil {
		t.Error(err)
	}
	res, err = e.Interact(ctx, InteractionRequest{Command: "/quote story:modal"})
	if err != nil || res.CallbackType != 9 || !strings.Contains(string(res.Callback), `"custom_id":"feedback"`) {
		t.Errorf("modal: %v %s", err, res.Callback)
	}
	if err := waitFor(t, done, "the modal"); err != nil {
		t.Error(err)
	}
	res, err = e.Interact(ctx, InteractionRequest{Command: "/quote story:secret"})
	if err != nil || len(res.Messages) != 1 || res.Messages[0].Flags != FlagEphemeral || res.Messages[0].Content != "just for you" {
		t.Fatalf("deferred ephemeral: %v %+v", err, res.Messages)
	}
	if err := waitFor(t, done, "the ephemeral answer"); err != nil {
		t.Error(err)
	}
	if err := bot.InteractionResponseDelete(&discordgo.Interaction{AppID: DefaultApplicationID, Token: res.Token}); err != nil {
		t.Fatal(err)
	}
	if _, found := e.Message(res.Messages[0].ID); found || len(e.Messages(DefaultNewsChannel)) != 0 {
		t.Errorf("the deleted ephemeral answer is still stored")
	}
	story := postStory(t, bot)
	res, err = e.Interact(ctx, InteractionRequest{Type: "component", MessageID: story.ID, CustomID: "summarize:1"})
	if err != nil || res.CallbackType != 6 || res.Messages[0].ID != story.ID {
		t.Errorf("deferred update: %v %+v", err, res)
	}
	if err := waitFor(t, done, "the @original edit"); err != nil {
		t.Error(err)
	}
	if m, _ := e.Message(story.ID); m.Content != "summary: it is complicated" {
		t.Errorf("component message after @original edit = %q", m.Content)
	}
	if _, err := e.Interact(ctx, InteractionRequest{Command: "/quote story:update"}); !errors.Is(err, ErrTimeout) {
		t.Errorf("a command answered only with type 7: %v", err)
	}
	if code := restCode(t, waitFor(t, done, "the type-7 answer")); code != 50035 {
		t.Errorf("type 7 for a command: %d; want 50035", code)
	}
}

// answerByPlan answers as the story option (or interaction type) says.
func answerByPlan(s *discordgo.Session, i *discordgo.InteractionCreate) error {
	switch i.Type {
	case discordgo.InteractionPing:
		return respond(s, i, discordgo.InteractionResponsePong, nil)
	case discordgo.InteractionMessageComponent:
		if err := respond(s, i, discordgo.InteractionResponseDeferredMessageUpdate, nil); err != nil {
			return err
		}
		content := "summary: it is complicated"
		_, err := s.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{Content: &content, AllowedMentions: noMentions()})
		return err
	}
	switch i.ApplicationCommandData().GetOption("story").StringValue() {
	case "modal":
		return respond(s, i, discordgo.InteractionResponseModal, &discordgo.InteractionResponseData{CustomID: "feedback", Title: "Feedback",
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.TextInput{CustomID: "text", Label: "What do you think?", Style: discordgo.TextInputParagraph}}}}})
	case "secret":
		return deferredEphemeral(s, i)
	default:
		return respond(s, i, discordgo.InteractionResponseUpdateMessage, &discordgo.InteractionResponseData{Content: "x"})
	}
}

// deferredEphemeral defers privately, reads the loading message, fills it.
func deferredEphemeral(s *discordgo.Session, i *discordgo.InteractionCreate) error {
	if err := respond(s, i, discordgo.InteractionResponseDeferredChannelMessageWithSource,
		&discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}); err != nil {
		return err
	}
	orig, err := s.InteractionResponse(i.Interaction)
	if err != nil {
		return err
	}
	if orig.Flags != discordgo.MessageFlagsEphemeral|discordgo.MessageFlagsLoading {
		return fmt.Errorf("loading message flags %d", orig.Flags)
	}
	content := "just for you"
	_, err = s.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{Content: &content, AllowedMentions: noMentions()})
	return err
}
