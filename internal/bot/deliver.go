package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/render"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// NonceWindow is how long Discord is trusted to remember a nonce. It keeps
// nonces "a few minutes"; two is on the safe side. A delivery attempted
// longer ago than this is looked for in the channel before a resend.
const NonceWindow = 2 * time.Minute

// Deliverer sends outbox deliveries to Discord, exactly once each: every
// send carries the delivery's nonce with enforce_nonce, the attempt is
// recorded before sending, and an attempt that was never recorded as sent
// is reconciled against the channel before anything is sent again. It is
// the outbox's outbox.Deliverer.
type Deliverer struct {
	Session *discordgo.Session
	Store   *store.DB
	Feeds   func(id string) (config.Feed, bool) // the current config's feeds
	Log     *slog.Logger
	Now     func() time.Time
	BotID   func() string // the bot's user id, to recognise its own messages

	// OnPost, when set, is called after each delivery is recorded as sent;
	// the playground prints posts with it.
	OnPost func(d news.Delivery, m *discordgo.Message)

	types channelTypes

	// AfterSend, when set, runs between a successful send and its record.
	// Returning an error leaves the send unrecorded, exactly as a crash at
	// that moment would; tests use it to prove a restart neither loses nor
	// repeats the post.
	AfterSend func(d news.Delivery) error
}

// recordTimeout bounds recording a send. It is recorded even when the
// delivery's own time ran out: a send that happened must be recorded.
const recordTimeout = 10 * time.Second

// Deliver sends one delivery and records it as sent. An error says why it
// was not, classified for the outbox (see failed).
func (dl *Deliverer) Deliver(ctx context.Context, d news.Delivery) error {
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if d.Attempts > 0 && dl.now().Sub(d.LastAttempt) > NonceWindow {
		if m, err := dl.reconcile(ctx, d); err != nil {
			return dl.failed(d, err)
		} else if m != nil {
			dl.log().Info("delivery found already posted", "delivery", d.ID, "message", m.ID)
			return dl.Store.MarkSent(rec, d.ID, m.ID, "", dl.now())
		}
	}
	if err := dl.Store.RecordAttempt(ctx, d.ID, dl.now()); err != nil {
		return err
	}
	m, threadID, err := dl.send(ctx, d)
	if err != nil {
		return dl.failed(d, err)
	}
	if dl.AfterSend != nil {
		if err := dl.AfterSend(d); err != nil {
			return err
		}
	}
	if err := dl.Store.MarkSent(rec, d.ID, m.ID, threadID, dl.now()); err != nil {
		return err
	}
	if dl.OnPost != nil {
		dl.OnPost(d, m)
	}
	return nil
}

// rest are the options of every request a delivery makes: its context, and
// no waiting out a 429 inside discordgo (which sleeps, deaf to the context
// and to shutdown) - the outbox schedules the retry instead.
func rest(ctx context.Context) []discordgo.RequestOption {
	return []discordgo.RequestOption{discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false)}
}

// send performs the delivery and returns the message that records it.
func (dl *Deliverer) send(ctx context.Context, d news.Delivery) (*discordgo.Message, string, error) {
	switch d.Kind {
	case news.DeliveryNew:
		return dl.sendNew(ctx, d)
	case news.DeliveryUpdated:
		m, err := dl.sendUpdate(ctx, d)
		return m, "", err
	case news.DeliveryNotice:
		msg, err := dl.notice(ctx, d)
		if err != nil {
			return nil, "", err
		}
		m, err := dl.post(ctx, d.ChannelID, d.Nonce, msg)
		return m, "", err
	case news.DeliveryComments:
		m, err := dl.sendCount(ctx, d)
		return m, "", err
	}
	return nil, "", permanent(fmt.Errorf("delivery %d: unknown kind %q", d.ID, d.Kind))
}

func (dl *Deliverer) sendNew(ctx context.Context, d news.Delivery) (*discordgo.Message, string, error) {
	s, err := dl.Store.Story(ctx, d.StoryID)
	if err != nil {
		return nil, "", err
	}
	if s.Deleted {
		return nil, "", permanent(fmt.Errorf("story %d was deleted before it was posted", s.ID))
	}
	if err := dl.checkChannel(ctx, d.ChannelID); err != nil {
		return nil, "", err
	}
	f, _ := dl.Feeds(d.FeedID)
	msg, err := render.NewStory(s, render.Post{FeedName: f.Name, Template: f.Template})
	if err != nil {
		dl.log().Warn("feed template failed; posted with the standard card", "feed", f.ID, "err", err)
	}
	m, err := dl.post(ctx, d.ChannelID, d.Nonce, msg)
	if err != nil || !f.Thread {
		return m, "", err
	}
	th, err := dl.Session.MessageThreadStartComplex(d.ChannelID, m.ID, &discordgo.ThreadStart{
		Name: render.Trim(s.Title, 100, ""), AutoArchiveDuration: 1440,
	}, rest(ctx)...)
	if err != nil {
		// The post is out; a missing thread is worth a log line, not a resend.
		dl.log().Warn("could not start a thread on the post", "story", s.ID, "channel", d.ChannelID, "err", err)
		return m, "", nil
	}
	return m, th.ID, nil
}

// sendUpdate edits the story's post and/or replies with what changed, as
// the feed's updates setting says.
func (dl *Deliverer) sendUpdate(ctx context.Context, d news.Delivery) (*discordgo.Message, error) {
	post, err := dl.Store.PostOf(ctx, d.StoryID, d.ChannelID)
	if err != nil {
		return nil, permanent(fmt.Errorf("no post of story %d in channel %s to update: %w", d.StoryID, d.ChannelID, err))
	}
	s, err := dl.Store.Story(ctx, d.StoryID)
	if err != nil {
		return nil, err
	}
	rev, err := dl.revision(ctx, d)
	if err != nil {
		return nil, err
	}
	f, ok := dl.Feeds(d.FeedID)
	mode := f.Updates
	if !ok || mode == "" {
		mode = config.UpdatesEditAndReply
	}
	edited := &discordgo.Message{ID: post.MessageID, ChannelID: d.ChannelID}
	if mode.Edit() {
		e, _ := render.UpdatedStory(s, render.Post{FeedName: f.Name, Template: f.Template})
		embeds := []*discordgo.MessageEmbed{e}
		m, err := dl.Session.ChannelMessageEditComplex(&discordgo.MessageEdit{
			ID: post.MessageID, Channel: d.ChannelID, Embeds: &embeds, AllowedMentions: render.NoMentions(),
		}, rest(ctx)...)
		switch {
		case isCode(err, discordgo.ErrCodeUnknownMessage):
			dl.log().Info("story post was deleted; not editing it", "story", s.ID, "message", post.MessageID)
		case err != nil:
			return nil, err
		default:
			edited = m
		}
	}
	if !mode.Reply() {
		return edited, nil
	}
	reply := render.UpdateReply(s, rev)
	if post.ThreadID != "" {
		m, err := dl.post(ctx, post.ThreadID, d.Nonce, reply)
		if !isCode(err, discordgo.ErrCodeUnknownChannel) && !isCode(err, discordgo.ErrCodeMissingAccess) {
			return m, err
		}
		// The discussion thread was deleted or closed to the bot: the
		// channel still takes the reply.
		dl.log().Info("story thread is gone; replying in the channel", "story", s.ID, "thread", post.ThreadID)
		reply = render.UpdateReply(s, rev)
	}
	reply.Reference = &discordgo.MessageReference{MessageID: post.MessageID, ChannelID: d.ChannelID, FailIfNotExists: new(bool)}
	return dl.post(ctx, d.ChannelID, d.Nonce, reply)
}

// sendCount edits a story's post to show its current comment count. An
// edit is idempotent, so a repeat after a crash is harmless.
func (dl *Deliverer) sendCount(ctx context.Context, d news.Delivery) (*discordgo.Message, error) {
	post, err := dl.Store.PostOf(ctx, d.StoryID, d.ChannelID)
	if err != nil {
		return nil, permanent(fmt.Errorf("no post of story %d in channel %s to edit: %w", d.StoryID, d.ChannelID, err))
	}
	s, err := dl.Store.Story(ctx, d.StoryID)
	if err != nil {
		return nil, err
	}
	f, _ := dl.Feeds(d.FeedID)
	e, _ := render.StoryEmbed(s, render.Post{FeedName: f.Name, Template: f.Template}, s.Revision > 1 && f.Updates.Edit())
	embeds := []*discordgo.MessageEmbed{e}
	m, err := dl.Session.ChannelMessageEditComplex(&discordgo.MessageEdit{
		ID: post.MessageID, Channel: d.ChannelID, Embeds: &embeds, AllowedMentions: render.NoMentions(),
	}, rest(ctx)...)
	if isCode(err, discordgo.ErrCodeUnknownMessage) {
		return nil, permanent(fmt.Errorf("story %d's post %s was deleted: %w", s.ID, post.MessageID, err))
	}
	return m, err
}

// notice renders a feed health notice with the feed as the config has it
// now. A notice queued before notices were stored as facts is its text.
func (dl *Deliverer) notice(ctx context.Context, d news.Delivery) (*discordgo.MessageSend, error) {
	n, err := dl.Store.Notice(ctx, d.ID)
	if errors.Is(err, news.ErrNotFound) && d.Text != "" {
		return render.PlainText(d.Text), nil
	}
	if err != nil {
		return nil, err
	}
	feed := render.NoticeFeed{Name: d.FeedID}
	if f, ok := dl.Feeds(d.FeedID); ok {
		feed = render.NoticeFeed{Name: f.Name, URL: f.URL}
	}
	return render.Notice(n, feed), nil
}

func (dl *Deliverer) revision(ctx context.Context, d news.Delivery) (news.Revision, error) {
	revs, err := dl.Store.Revisions(ctx, d.StoryID)
	if err != nil {
		return news.Revision{}, err
	}
	for _, r := range revs {
		if r.Number == d.Revision {
			return r, nil
		}
	}
	return news.Revision{}, permanent(fmt.Errorf("story %d has no revision %d", d.StoryID, d.Revision))
}

// nonceMessage is a message create with Discord's nonce fields, which
// discordgo's MessageSend lacks.
type nonceMessage struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

// post creates a message with the delivery's nonce: should this exact
// request be sent twice, Discord answers the second with the first message.
func (dl *Deliverer) post(ctx context.Context, channelID, nonce string, m *discordgo.MessageSend) (*discordgo.Message, error) {
	if m.AllowedMentions == nil {
		m.AllowedMentions = render.NoMentions()
	}
	if m.Embeds == nil {
		m.Embeds = []*discordgo.MessageEmbed{}
	}
	endpoint := discordgo.EndpointChannelMessages(channelID)
	body, err := dl.Session.RequestWithBucketID("POST", endpoint,
		nonceMessage{MessageSend: m, Nonce: nonce, EnforceNonce: nonce != ""}, endpoint, rest(ctx)...)
	if err != nil {
		return nil, err
	}
	var out discordgo.Message
	if err := discordgo.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("read message Discord created in channel %s: %w", channelID, err)
	}
	return &out, nil
}

func (dl *Deliverer) now() time.Time {
	if dl.Now != nil {
		return dl.Now()
	}
	return time.Now()
}

func (dl *Deliverer) log() *slog.Logger {
	if dl.Log != nil {
		return dl.Log
	}
	return slog.Default()
}
