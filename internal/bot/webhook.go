package bot

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/render"
)

// A subscription with webhook: true posts through a webhook the bot makes
// in the channel (it needs Manage Webhooks there), under the feed's name
// and avatar. Webhook executes take no nonce: the attempt is recorded
// first and, after a crash, the message is looked for before any resend.

// hookName is the name of the webhook the bot creates; each post shows
// the feed's name instead.
const hookName = "newsbot"

// hooks caches each channel's webhook, found or created once.
type hooks struct {
	mu        sync.Mutex
	byChannel map[string]*discordgo.Webhook
}

// errNoHookPermission explains the missing permission Discord reports as
// a bare 50013.
type errNoHookPermission struct {
	channel string
	err     error
}

func (e errNoHookPermission) Error() string {
	return fmt.Sprintf("channel %s: posting through a webhook needs the Manage Webhooks permission there; "+
		"grant it to the bot's role or remove webhook: true from this channel: %v", e.channel, e.err)
}
func (e errNoHookPermission) Unwrap() error { return e.err }

// hookFor returns the bot's webhook in a channel, creating it when there
// is none.
func (dl *Deliverer) hookFor(ctx context.Context, channelID string) (*discordgo.Webhook, error) {
	if h := dl.cachedHook(channelID, ""); h != nil {
		return h, nil
	}
	h, err := dl.findHook(ctx, channelID, "")
	if err != nil || h != nil {
		return h, err
	}
	h, err = dl.Session.WebhookCreate(channelID, hookName, "", rest(ctx)...)
	if err != nil {
		return nil, dl.hookError(channelID, fmt.Errorf("create a webhook in channel %s: %w", channelID, err))
	}
	dl.cacheHook(channelID, h)
	return h, nil
}

// hookByID returns the webhook that made an earlier post in a channel;
// errHookGone when it was deleted since.
func (dl *Deliverer) hookByID(ctx context.Context, channelID, id string) (*discordgo.Webhook, error) {
	if h := dl.cachedHook(channelID, id); h != nil {
		return h, nil
	}
	h, err := dl.findHook(ctx, channelID, id)
	if err == nil && h == nil {
		err = fmt.Errorf("webhook %s of channel %s: %w", id, channelID, errHookGone)
	}
	return h, err
}

var errHookGone = errors.New("the webhook was deleted")

// findHook lists the channel's webhooks for one the bot made (id, when
// given, picks which). Only the bot's own come with a token it can use.
func (dl *Deliverer) findHook(ctx context.Context, channelID, id string) (*discordgo.Webhook, error) {
	list, err := dl.Session.ChannelWebhooks(channelID, rest(ctx)...)
	if err != nil {
		return nil, dl.hookError(channelID, fmt.Errorf("list the webhooks of channel %s: %w", channelID, err))
	}
	self := dl.botID()
	for _, h := range list {
		mine := h.Token != "" && (self == "" || h.User != nil && h.User.ID == self)
		if mine && (id == "" || h.ID == id) {
			dl.cacheHook(channelID, h)
			return h, nil
		}
	}
	return nil, nil
}

func (dl *Deliverer) hookError(channelID string, err error) error {
	if isCode(err, discordgo.ErrCodeMissingPermissions) {
		return errNoHookPermission{channel: channelID, err: err}
	}
	return err
}

func (dl *Deliverer) cachedHook(channelID, id string) *discordgo.Webhook {
	dl.hooks.mu.Lock()
	defer dl.hooks.mu.Unlock()
	h := dl.hooks.byChannel[channelID]
	if h == nil || id != "" && h.ID != id {
		return nil
	}
	return h
}

func (dl *Deliverer) cacheHook(channelID string, h *discordgo.Webhook) {
	dl.hooks.mu.Lock()
	defer dl.hooks.mu.Unlock()
	if dl.hooks.byChannel == nil {
		dl.hooks.byChannel = map[string]*discordgo.Webhook{}
	}
	dl.hooks.byChannel[channelID] = h
}

// hookFailed says a webhook Discord no longer knows is gone, and forgets it.
func (dl *Deliverer) hookFailed(h *discordgo.Webhook, err error) error {
	if !isCode(err, discordgo.ErrCodeUnknownWebhook) {
		return err
	}
	dl.forgetHook(h.ChannelID)
	return fmt.Errorf("%w: %w", errHookGone, err)
}

// forgetHook drops a cached webhook Discord no longer knows.
func (dl *Deliverer) forgetHook(channelID string) {
	dl.hooks.mu.Lock()
	defer dl.hooks.mu.Unlock()
	delete(dl.hooks.byChannel, channelID)
}

// hookMessage is an execute body: discordgo's WebhookParams lacks the
// tags of a new forum post.
type hookMessage struct {
	*discordgo.WebhookParams
	AppliedTags []string `json:"applied_tags,omitempty"`
}

// newPost names the forum post an execute opens.
type newPost struct {
	name string
	tags []string
}

// execute posts m through h as who (nil: the webhook's own name), into
// thread when given, or as a new forum post when post is given; it waits
// for the message Discord made.
func (dl *Deliverer) execute(ctx context.Context, h *discordgo.Webhook, thread string, who *config.Webhook,
	m *discordgo.MessageSend, post *newPost) (*discordgo.Message, error) {
	params := &discordgo.WebhookParams{Content: m.Content, Embeds: m.Embeds, AllowedMentions: m.AllowedMentions,
		Components: m.Components}
	if params.AllowedMentions == nil {
		params.AllowedMentions = render.NoMentions()
	}
	if who != nil {
		params.Username, params.AvatarURL = who.Name, who.AvatarURL
	}
	body := hookMessage{WebhookParams: params}
	if post != nil {
		params.ThreadName, body.AppliedTags = post.name, post.tags
	}
	q := url.Values{"wait": {"true"}}
	if thread != "" {
		q.Set("thread_id", thread)
	}
	endpoint := discordgo.EndpointWebhookToken(h.ID, h.Token)
	raw, err := dl.Session.RequestWithBucketID("POST", endpoint+"?"+q.Encode(), body, endpoint, rest(ctx)...)
	if err != nil {
		return nil, dl.hookFailed(h, fmt.Errorf("post through webhook %s: %w", h.ID, err))
	}
	var out discordgo.Message
	if err := discordgo.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("read the message webhook %s posted: %w", h.ID, err)
	}
	return &out, nil
}

// hookEdit edits a message h posted (in thread, when it lives in one).
func (dl *Deliverer) hookEdit(ctx context.Context, h *discordgo.Webhook, messageID, thread string,
	embeds []*discordgo.MessageEmbed) (*discordgo.Message, error) {
	endpoint := discordgo.EndpointWebhookMessage(h.ID, h.Token, messageID)
	path := endpoint
	if thread != "" {
		path += "?" + url.Values{"thread_id": {thread}}.Encode()
	}
	body := discordgo.WebhookEdit{Embeds: &embeds, AllowedMentions: render.NoMentions()}
	raw, err := dl.Session.RequestWithBucketID("PATCH", path, body, endpoint, rest(ctx)...)
	if err != nil {
		return nil, dl.hookFailed(h, fmt.Errorf("edit message %s through webhook %s: %w", messageID, h.ID, err))
	}
	var out discordgo.Message
	if err := discordgo.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("read the message webhook %s edited: %w", h.ID, err)
	}
	return &out, nil
}
