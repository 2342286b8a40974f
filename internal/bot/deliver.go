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
	"github.com/newsbot-dev/newsbot/internal/outbox"
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
// is reconciled against the channel before anything is sent again - at
// once for what takes no nonce (forum posts, webhook executes). It is the
// outbox's outbox.Deliverer.
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

	// Limiter, when set, is the limiter the session's requests go
	// through (Bot.Limiter): a delivery whose channel must wait is not
	// started but handed back to the outbox with outbox.Later.
	Limiter *Limiter

	types channelTypes
	hooks hooks
	warn  warnOnce

	recordTimeout time.Duration // tests shorten it; recordTimeout when 0

	// AfterSend, when set, runs between a successful send and its record.
	// Returning an error leaves the send unrecorded, exactly as a crash at
	// that moment would; tests use it to prove a restart neither loses nor
	// repeats the post.
	AfterSend func(d news.Delivery) error
}

// recordTimeout bounds recording a send. The time starts when the
// recording does, never with the request: a send that happened must be
// recorded however long it took, even after the delivery's own time ran
// out.
const recordTimeout = 10 * time.Second

// Deliver sends one delivery and records it as sent. An error says why it
// was not, classified for the outbox (see failed).
func (dl *Deliverer) Deliver(ctx context.Context, d news.Delivery) error {
	if wait := dl.paced(d); wait > 0 {
		return outbox.Later(wait)
	}
	if d.Attempts > 0 && (dl.now().Sub(d.LastAttempt) > NonceWindow || dl.nonceless(ctx, d)) {
		if p, m, err := dl.reconcile(ctx, d); err != nil {
			return dl.failed(d, err)
		} else if m != nil {
			dl.log().Info("delivery found already posted", "delivery", d.ID, "message", m.ID)
			return dl.record(ctx, func(rec context.Context) error { return dl.Store.MarkPosted(rec, d.ID, p, dl.now()) })
		}
	}
	if err := dl.Store.RecordAttempt(ctx, d.ID, dl.now()); err != nil {
		return err
	}
	p, m, err := dl.send(ctx, d)
	if err != nil {
		return dl.failed(d, err)
	}
	if dl.AfterSend != nil {
		if err := dl.AfterSend(d); err != nil {
			return err
		}
	}
	if err := dl.record(ctx, func(rec context.Context) error { return dl.Store.MarkPosted(rec, d.ID, p, dl.now()) }); err != nil {
		return err
	}
	if dl.OnPost != nil {
		dl.OnPost(d, m)
	}
	return nil
}

// record writes a delivery's outcome with time of its own: not the
// request's deadline, which a slow send may have used up, nor its
// cancellation, which shutdown may have sent.
func (dl *Deliverer) record(ctx context.Context, write func(context.Context) error) error {
	timeout := dl.recordTimeout
	if timeout <= 0 {
		timeout = recordTimeout
	}
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	return write(rec)
}

// rest are the options of every request a delivery makes: its context, and
// no waiting out a 429 inside discordgo (which sleeps, deaf to the context
// and to shutdown) - the outbox schedules the retry instead.
func rest(ctx context.Context) []discordgo.RequestOption {
	return []discordgo.RequestOption{discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false)}
}

// send performs the delivery and returns what it made in Discord.
func (dl *Deliverer) send(ctx context.Context, d news.Delivery) (news.Posted, *discordgo.Message, error) {
	var m *discordgo.Message
	var err error
	switch d.Kind {
	case news.DeliveryNew:
		return dl.sendNew(ctx, d)
	case news.DeliveryUpdated:
		return dl.sendUpdate(ctx, d)
	case news.DeliveryNotice:
		return dl.sendNotice(ctx, d)
	case news.DeliveryComments:
		m, err = dl.sendCount(ctx, d)
	case news.DeliveryCrosspost:
		m, err = dl.sendCrosspost(ctx, d)
	default:
		err = permanent(fmt.Errorf("delivery %d: unknown kind %q", d.ID, d.Kind))
	}
	if err != nil {
		return news.Posted{}, nil, err
	}
	return news.Posted{MessageID: m.ID}, m, nil
}

func (dl *Deliverer) sendNew(ctx context.Context, d news.Delivery) (news.Posted, *discordgo.Message, error) {
	s, err := dl.Store.Story(ctx, d.StoryID)
	if err != nil {
		return news.Posted{}, nil, err
	}
	if s.Deleted {
		return news.Posted{}, nil, permanent(fmt.Errorf("story %d was deleted before it was posted", s.ID))
	}
	t, err := dl.target(ctx, d)
	if err != nil {
		return news.Posted{}, nil, err
	}
	msg, err := render.NewStory(s, render.Post{FeedName: t.feed.Name, Template: t.sub.Template})
	if err != nil {
		dl.log().Warn("feed template failed; posted with the standard card", "feed", t.feed.ID, "err", err)
	}
	roles, users := t.pings(s)
	render.Ping(msg, roles, users)
	if t.forum() {
		tags, err := dl.forumTags(ctx, t)
		if err != nil {
			return news.Posted{}, nil, err
		}
		m, hook, err := dl.startForumPost(ctx, t, render.ThreadName(s.Title), tags, msg)
		if err != nil {
			return news.Posted{}, nil, err
		}
		return news.Posted{MessageID: m.ID, ThreadID: m.ChannelID, WebhookID: hook}, m, nil
	}
	if t.feed.Crosspost && t.typ != announcement && t.known && dl.warn.first("crosspost "+t.feed.ID+" "+t.channelID) {
		dl.log().Warn("crosspost: true, but the channel is not an announcement channel: its posts are not published",
			"feed", t.feed.ID, "channel", t.channelID)
	}
	m, hook, err := dl.postAs(ctx, t, "", d.Nonce, msg)
	if err != nil {
		return news.Posted{}, nil, err
	}
	p := news.Posted{MessageID: m.ID, WebhookID: hook, Crosspost: t.crosspost()}
	if !t.sub.Thread {
		return p, m, nil
	}
	p.ThreadID = dl.startThread(ctx, t, m.ID, s)
	return p, m, nil
}

// startThread starts the story's discussion thread on its post and
// returns its id, "" when Discord refused: the post is out, and a missing
// thread is worth a log line, not a resend.
func (dl *Deliverer) startThread(ctx context.Context, t target, messageID string, s news.Story) string {
	th, err := dl.Session.MessageThreadStartComplex(t.channelID, messageID, &discordgo.ThreadStart{
		Name: render.ThreadName(s.Title), AutoArchiveDuration: t.autoArchive(),
	}, rest(ctx)...)
	if err != nil {
		dl.log().Warn("could not start a thread on the post", "story", s.ID, "channel", t.channelID, "err", err)
		return ""
	}
	return th.ID
}

// postAs posts a message in channel (or its thread) as the subscription
// says: through its webhook, or as the bot with the delivery's nonce. It
// returns the webhook's id when one posted.
func (dl *Deliverer) postAs(ctx context.Context, t target, thread, nonce string, m *discordgo.MessageSend) (*discordgo.Message, string, error) {
	if t.sub.Webhook == nil {
		where := t.channelID
		if thread != "" {
			where = thread
		}
		msg, err := dl.post(ctx, where, nonce, m)
		return msg, "", err
	}
	h, err := dl.hookFor(ctx, t.channelID)
	if err != nil {
		return nil, "", err
	}
	msg, err := dl.execute(ctx, h, thread, t.sub.Webhook, m, nil)
	if err != nil {
		return nil, "", err
	}
	return msg, h.ID, nil
}

// sendUpdate edits the story's post and/or replies with what changed, as
// the feed's updates setting says. In a forum the post's first message is
// edited and the reply goes inside the post; a post made through a
// webhook is edited and answered through it.
func (dl *Deliverer) sendUpdate(ctx context.Context, d news.Delivery) (news.Posted, *discordgo.Message, error) {
	post, err := dl.Store.PostOf(ctx, d.StoryID, d.ChannelID)
	if err != nil {
		return news.Posted{}, nil, permanent(fmt.Errorf("no post of story %d in channel %s to update: %w", d.StoryID, d.ChannelID, err))
	}
	s, err := dl.Store.Story(ctx, d.StoryID)
	if err != nil {
		return news.Posted{}, nil, err
	}
	rev, err := dl.revision(ctx, d)
	if err != nil {
		return news.Posted{}, nil, err
	}
	t, err := dl.target(ctx, d)
	if err != nil {
		return news.Posted{}, nil, err
	}
	mode := t.feed.Updates
	if mode == "" {
		mode = config.UpdatesEditAndReply
	}
	edited := &discordgo.Message{ID: post.MessageID, ChannelID: d.ChannelID}
	if mode.Edit() {
		e, _ := render.UpdatedStory(s, render.Post{FeedName: t.feed.Name, Template: t.sub.Template})
		m, err := dl.editPost(ctx, t, post, e)
		switch {
		case isCode(err, discordgo.ErrCodeUnknownMessage), errors.Is(err, errHookGone):
			dl.log().Info("story post was deleted; not editing it", "story", s.ID, "message", post.MessageID, "err", err)
		case err != nil:
			return news.Posted{}, nil, err
		default:
			edited = m
		}
	}
	if !mode.Reply() {
		return news.Posted{MessageID: edited.ID}, edited, nil
	}
	reply := render.UpdateReply(s, rev)
	if post.ThreadID != "" {
		m, hook, err := dl.replyTo(ctx, t, post, post.ThreadID, d.Nonce, reply)
		if !gone(err) {
			return news.Posted{MessageID: idOf(m), WebhookID: hook}, m, err
		}
		if t.forum() {
			return news.Posted{}, nil, permanent(fmt.Errorf("story %d's post %s in forum %s is gone: %w", s.ID, post.ThreadID, d.ChannelID, err))
		}
		// The discussion thread was deleted or closed to the bot: the
		// channel still takes the reply.
		dl.log().Info("story thread is gone; replying in the channel", "story", s.ID, "thread", post.ThreadID, "err", err)
		reply = render.UpdateReply(s, rev)
	}
	if post.WebhookID == "" {
		reply.Reference = &discordgo.MessageReference{MessageID: post.MessageID, ChannelID: d.ChannelID, FailIfNotExists: new(bool)}
	}
	m, hook, err := dl.replyTo(ctx, t, post, "", d.Nonce, reply)
	return news.Posted{MessageID: idOf(m), WebhookID: hook}, m, err
}

func idOf(m *discordgo.Message) string {
	if m == nil {
		return ""
	}
	return m.ID
}

// replyTo posts an update's reply the way the post was made: through the
// webhook that made it while it exists, else as the bot.
func (dl *Deliverer) replyTo(ctx context.Context, t target, post news.Delivery, thread, nonce string,
	m *discordgo.MessageSend) (*discordgo.Message, string, error) {
	t.sub.Webhook = nil
	if post.WebhookID != "" {
		h, err := dl.hookByID(ctx, post.ChannelID, post.WebhookID)
		var msg *discordgo.Message
		if err == nil {
			msg, err = dl.execute(ctx, h, thread, dl.hookIdentity(t), m, nil)
		}
		if err == nil {
			return msg, h.ID, nil
		}
		if !errors.Is(err, errHookGone) {
			return nil, "", err
		}
		dl.log().Info("the webhook that posted the story is gone; the bot replies itself", "story", post.StoryID, "webhook", post.WebhookID)
	}
	return dl.postAs(ctx, t, thread, nonce, m)
}

// hookIdentity is the name and avatar a webhook reply shows: the
// subscription's, else the feed's.
func (dl *Deliverer) hookIdentity(t target) *config.Webhook {
	if t.sub.Webhook != nil {
		return t.sub.Webhook
	}
	return &config.Webhook{Name: t.feed.Name, AvatarURL: t.feed.AvatarURL}
}

// editPost shows e on the story's post: in the forum post's own thread,
// through the webhook that made it, reopening an archived post first.
func (dl *Deliverer) editPost(ctx context.Context, t target, post news.Delivery, e *discordgo.MessageEmbed) (*discordgo.Message, error) {
	embeds := []*discordgo.MessageEmbed{e}
	where, thread := post.ChannelID, ""
	if t.forum() && post.ThreadID != "" {
		where, thread = post.ThreadID, post.ThreadID
	}
	edit := func() (*discordgo.Message, error) {
		if post.WebhookID != "" {
			h, err := dl.hookByID(ctx, post.ChannelID, post.WebhookID)
			if err != nil {
				return nil, err
			}
			return dl.hookEdit(ctx, h, post.MessageID, thread, embeds)
		}
		return dl.Session.ChannelMessageEditComplex(&discordgo.MessageEdit{
			ID: post.MessageID, Channel: where, Embeds: &embeds, AllowedMentions: render.NoMentions(),
		}, rest(ctx)...)
	}
	m, err := edit()
	if thread != "" && isCode(err, discordgo.ErrCodePerformedOperationOnArchivedThread) {
		if err := dl.reopen(ctx, thread); err != nil {
			return nil, err
		}
		m, err = edit()
	}
	return m, err
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
	t, err := dl.target(ctx, d)
	if err != nil {
		return nil, err
	}
	e, _ := render.StoryEmbed(s, render.Post{FeedName: t.feed.Name, Template: t.sub.Template}, s.Revision > 1 && t.feed.Updates.Edit())
	m, err := dl.editPost(ctx, t, post, e)
	if isCode(err, discordgo.ErrCodeUnknownMessage) || errors.Is(err, errHookGone) {
		return nil, permanent(fmt.Errorf("story %d's post %s was deleted: %w", s.ID, post.MessageID, err))
	}
	return m, err
}

// sendCrosspost publishes a story's post in an announcement channel.
// Publishing twice is refused as "already crossposted", which is success.
func (dl *Deliverer) sendCrosspost(ctx context.Context, d news.Delivery) (*discordgo.Message, error) {
	post, err := dl.Store.PostOf(ctx, d.StoryID, d.ChannelID)
	if err != nil {
		return nil, permanent(fmt.Errorf("no post of story %d in channel %s to publish: %w", d.StoryID, d.ChannelID, err))
	}
	m, err := dl.Session.ChannelMessageCrosspost(d.ChannelID, post.MessageID, rest(ctx)...)
	switch {
	case isCode(err, discordgo.ErrCodeMessageAlreadyCrossposted):
		return &discordgo.Message{ID: post.MessageID, ChannelID: d.ChannelID}, nil
	case isCode(err, discordgo.ErrCodeUnknownMessage):
		return nil, permanent(fmt.Errorf("story %d's post %s was deleted before it was published: %w", d.StoryID, post.MessageID, err))
	case err != nil:
		return nil, fmt.Errorf("publish story %d's post %s: %w", d.StoryID, post.MessageID, err)
	}
	return m, nil
}

// sendNotice posts a feed notice: a message, or in a forum a post of its
// own.
func (dl *Deliverer) sendNotice(ctx context.Context, d news.Delivery) (news.Posted, *discordgo.Message, error) {
	msg, name, err := dl.notice(ctx, d)
	if err != nil {
		return news.Posted{}, nil, err
	}
	t, err := dl.target(ctx, d)
	if err != nil {
		return news.Posted{}, nil, err
	}
	if t.forum() {
		return dl.noticeInForum(ctx, t, d, name, msg)
	}
	m, err := dl.post(ctx, d.ChannelID, d.Nonce, msg)
	if err != nil {
		return news.Posted{}, nil, err
	}
	return news.Posted{MessageID: m.ID}, m, nil
}

// notice renders a feed health notice with the feed as the config has it
// now, and the name of the forum post it opens in a forum. A notice
// queued before notices were stored as facts is its text.
func (dl *Deliverer) notice(ctx context.Context, d news.Delivery) (*discordgo.MessageSend, string, error) {
	feed := render.NoticeFeed{Name: d.FeedID}
	if f, ok := dl.Feeds(d.FeedID); ok {
		feed = render.NoticeFeed{Name: f.Name, URL: f.URL}
	}
	n, err := dl.Store.Notice(ctx, d.ID)
	if errors.Is(err, news.ErrNotFound) && d.Text != "" {
		return render.PlainText(d.Text), render.ThreadName("Feed " + feed.Name), nil
	}
	if err != nil {
		return nil, "", err
	}
	return render.Notice(n, feed), render.NoticeTitle(n, feed), nil
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

func (dl *Deliverer) botID() string {
	if dl.BotID != nil {
		return dl.BotID()
	}
	return ""
}

func (dl *Deliverer) log() *slog.Logger {
	if dl.Log != nil {
		return dl.Log
	}
	return slog.Default()
}
