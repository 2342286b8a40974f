package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// In forum and media channels each story is a post: a thread named after
// it whose first message is the card. Updates edit that message and reply
// inside the thread. Creating a post takes no nonce, so an attempt that
// may have reached Discord is looked for among the forum's posts before
// it is made again.

// forumPostBody creates a forum post; discordgo's helper drops the post's
// first message from the answer, and the deliverer records it.
type forumPostBody struct {
	Name                string                 `json:"name"`
	AutoArchiveDuration int                    `json:"auto_archive_duration,omitempty"`
	AppliedTags         []string               `json:"applied_tags,omitempty"`
	Message             *discordgo.MessageSend `json:"message"`
}

type forumPostAnswer struct {
	discordgo.Channel
	Message *discordgo.Message `json:"message"`
}

// startForumPost opens a post in a forum or media channel, as the bot or
// through the subscription's webhook. It returns the first message; its
// ChannelID is the post's thread, whose id it shares.
func (dl *Deliverer) startForumPost(ctx context.Context, t target, name string, tags []string,
	m *discordgo.MessageSend) (*discordgo.Message, string, error) {
	if t.sub.Webhook != nil {
		h, err := dl.hookFor(ctx, t.channelID)
		if err != nil {
			return nil, "", err
		}
		msg, err := dl.execute(ctx, h, "", t.sub.Webhook, m, &newPost{name: name, tags: tags})
		if err != nil {
			return nil, "", err
		}
		// An execute cannot set how long the post may idle; the bot can,
		// as a moderator of its own forum's threads.
		if d := t.autoArchive(); d != 1440 {
			if _, err := dl.Session.ChannelEdit(msg.ChannelID, &discordgo.ChannelEdit{AutoArchiveDuration: d}, rest(ctx)...); err != nil {
				dl.log().Warn("could not set the post's archive time", "thread", msg.ChannelID, "err", err)
			}
		}
		return msg, h.ID, nil
	}
	endpoint := discordgo.EndpointChannelThreads(t.channelID)
	raw, err := dl.Session.RequestWithBucketID("POST", endpoint, forumPostBody{
		Name: name, AutoArchiveDuration: t.autoArchive(), AppliedTags: tags, Message: m,
	}, endpoint, rest(ctx)...)
	if err != nil {
		return nil, "", err
	}
	var out forumPostAnswer
	if err := discordgo.Unmarshal(raw, &out); err != nil {
		return nil, "", fmt.Errorf("read the post Discord opened in forum %s: %w", t.channelID, err)
	}
	if out.Message == nil {
		out.Message = &discordgo.Message{ID: out.ID, Embeds: m.Embeds, Content: m.Content}
	}
	out.Message.ChannelID = out.ID
	return out.Message, "", nil
}

// errMissingTag is a configured tag the forum does not have.
type errMissingTag struct {
	feed, channel, tag string
	have               []string
}

func (e errMissingTag) Error() string {
	have := "none"
	if len(e.have) > 0 {
		have = strings.Join(e.have, ", ")
	}
	return fmt.Sprintf("feed %s: forum channel %s has no tag %q (its tags: %s); fix forum.tags in the config",
		e.feed, e.channel, e.tag, have)
}

// forumTags resolves the feed's tag names to the forum's tag ids, ignoring
// case. A name the forum lacks is an error that names it and the tags
// there are.
func (dl *Deliverer) forumTags(ctx context.Context, t target) ([]string, error) {
	names := t.feed.Forum.Tags
	if len(names) == 0 {
		return nil, nil
	}
	ch, err := dl.Session.State.Channel(t.channelID)
	if err != nil || len(ch.AvailableTags) == 0 {
		if ch, err = dl.Session.Channel(t.channelID, rest(ctx)...); err != nil {
			return nil, fmt.Errorf("read the tags of forum %s: %w", t.channelID, err)
		}
	}
	var ids, have []string
	for _, tag := range ch.AvailableTags {
		have = append(have, tag.Name)
	}
	for _, name := range names {
		id := ""
		for _, tag := range ch.AvailableTags {
			if strings.EqualFold(tag.Name, name) {
				id = tag.ID
				break
			}
		}
		if id == "" {
			return nil, permanent(errMissingTag{feed: t.feed.ID, channel: t.channelID, tag: name, have: have})
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// findForumPost looks among a forum's posts for one named name whose first
// message want recognises, by the bot or by one of its webhooks.
func (dl *Deliverer) findForumPost(ctx context.Context, t target, name string, hooks []string, want func(*discordgo.Message) bool) (*discordgo.Message, error) {
	var threads []*discordgo.Channel
	if t.guild != "" {
		active, err := dl.Session.GuildThreadsActive(t.guild, rest(ctx)...)
		if err != nil {
			return nil, fmt.Errorf("list the active threads of guild %s: %w", t.guild, err)
		}
		threads = append(threads, active.Threads...)
	}
	if archived, err := dl.Session.ThreadsArchived(t.channelID, nil, 0, rest(ctx)...); err == nil {
		threads = append(threads, archived.Threads...)
	}
	for _, th := range threads {
		if th.ParentID != t.channelID || th.Name != name {
			continue
		}
		m, err := dl.Session.ChannelMessage(th.ID, th.ID, rest(ctx)...)
		if isCode(err, discordgo.ErrCodeUnknownMessage) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read the first message of post %s: %w", th.ID, err)
		}
		if dl.ours(m, hooks) && want(m) {
			m.ChannelID = th.ID
			return m, nil
		}
	}
	return nil, nil
}

// ours reports a message the bot posted, itself or through one of its
// webhooks (hooks lists their ids).
func (dl *Deliverer) ours(m *discordgo.Message, hooks []string) bool {
	if m.WebhookID != "" {
		return slices.Contains(hooks, m.WebhookID)
	}
	self := dl.botID()
	return self == "" || m.Author != nil && m.Author.ID == self
}

// ownHooks lists the ids of the bot's webhooks in a channel, for telling
// its webhook posts from others'. None when it may not list them.
func (dl *Deliverer) ownHooks(ctx context.Context, channelID string) []string {
	list, err := dl.Session.ChannelWebhooks(channelID, rest(ctx)...)
	if err != nil {
		return nil
	}
	var out []string
	for _, h := range list {
		if h.User != nil && h.User.ID == dl.botID() {
			out = append(out, h.ID)
		}
	}
	return out
}

// reopen unarchives a story's thread, so its first message can be edited.
func (dl *Deliverer) reopen(ctx context.Context, threadID string) error {
	no := false
	if _, err := dl.Session.ChannelEdit(threadID, &discordgo.ChannelEdit{Archived: &no}, rest(ctx)...); err != nil {
		return fmt.Errorf("reopen archived thread %s: %w", threadID, err)
	}
	return nil
}

// noticeInForum posts a feed notice as a forum post of its own.
func (dl *Deliverer) noticeInForum(ctx context.Context, t target, d news.Delivery, name string,
	m *discordgo.MessageSend) (news.Posted, *discordgo.Message, error) {
	t.sub.Webhook = nil // notices come from the bot itself
	msg, _, err := dl.startForumPost(ctx, t, name, nil, m)
	if err != nil {
		return news.Posted{}, nil, err
	}
	return news.Posted{MessageID: msg.ID, ThreadID: msg.ChannelID}, msg, nil
}

// gone reports a story's thread (or post) that was deleted, closed to the
// bot or locked by a moderator: the reply must go elsewhere.
func gone(err error) bool {
	return isCode(err, discordgo.ErrCodeUnknownChannel) || isCode(err, discordgo.ErrCodeMissingAccess) ||
		isCode(err, discordgo.ErrCodeThreadIsLocked) || errors.Is(err, errHookGone)
}
