package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/render"
)

// reconcileDepth is how far back in a channel a lost send is looked for.
const reconcileDepth = 100

// nonceless reports a delivery whose send carries no nonce Discord could
// answer a repeat with: a forum post (a story's or a notice's) and
// anything a webhook posts. After an unrecorded attempt it is looked for
// at once, not only once the nonce has expired.
func (dl *Deliverer) nonceless(ctx context.Context, d news.Delivery) bool {
	switch d.Kind {
	case news.DeliveryNew, news.DeliveryNotice:
		t, err := dl.target(ctx, d)
		return err == nil && (t.forum() || d.Kind == news.DeliveryNew && t.sub.Webhook != nil)
	case news.DeliveryUpdated:
		post, err := dl.Store.PostOf(ctx, d.StoryID, d.ChannelID)
		return err == nil && post.WebhookID != ""
	}
	return false
}

// reconcile looks for what an earlier, unrecorded attempt of d may have
// posted. Discord has forgotten the nonce by now, or there was none, so
// the message is recognised by what the bot would have written, by the
// bot or one of its webhooks.
func (dl *Deliverer) reconcile(ctx context.Context, d news.Delivery) (news.Posted, *discordgo.Message, error) {
	switch d.Kind {
	case news.DeliveryNew:
		return dl.reconcilePost(ctx, d)
	case news.DeliveryUpdated:
		return dl.reconcileReply(ctx, d)
	case news.DeliveryNotice:
		msg, name, err := dl.notice(ctx, d)
		if err != nil {
			return news.Posted{}, nil, err
		}
		want := func(m *discordgo.Message) bool { return strings.TrimSpace(m.Content) == strings.TrimSpace(msg.Content) }
		if t, err := dl.target(ctx, d); err == nil && t.forum() {
			m, err := dl.findForumPost(ctx, t, name, nil, want)
			return postedIn(m), m, err
		}
		m, err := dl.findIn(ctx, d, d.ChannelID, nil, want)
		return posted(m), m, err
	}
	return news.Posted{}, nil, nil
}

// reconcilePost looks for a story's first post: its card carries "story N"
// in the footer. A post found without the discussion thread the
// subscription wants gets it now.
func (dl *Deliverer) reconcilePost(ctx context.Context, d news.Delivery) (news.Posted, *discordgo.Message, error) {
	t, err := dl.target(ctx, d)
	if err != nil {
		return news.Posted{}, nil, err
	}
	marker := fmt.Sprintf("story %d", d.StoryID)
	want := func(m *discordgo.Message) bool {
		return len(m.Embeds) > 0 && m.Embeds[0].Footer != nil &&
			(m.Embeds[0].Footer.Text == marker || strings.HasPrefix(m.Embeds[0].Footer.Text, marker+" "))
	}
	var hooks []string
	if t.sub.Webhook != nil {
		hooks = dl.ownHooks(ctx, d.ChannelID)
	}
	if t.forum() {
		s, err := dl.Store.Story(ctx, d.StoryID)
		if err != nil {
			return news.Posted{}, nil, err
		}
		m, err := dl.findForumPost(ctx, t, render.ThreadName(s.Title), hooks, want)
		return postedIn(m), m, err
	}
	m, err := dl.findIn(ctx, d, d.ChannelID, hooks, want)
	if m == nil || err != nil {
		return news.Posted{}, nil, err
	}
	p := posted(m)
	p.Crosspost = t.crosspost()
	switch {
	case m.Thread != nil:
		p.ThreadID = m.Thread.ID
	case t.sub.Thread:
		s, err := dl.Store.Story(ctx, d.StoryID)
		if err != nil {
			return news.Posted{}, nil, err
		}
		p.ThreadID = dl.startThread(ctx, t, m.ID, s)
	}
	return p, m, nil
}

// reconcileReply looks for an update's reply where it would have gone:
// the story's thread (or forum post), else its channel.
func (dl *Deliverer) reconcileReply(ctx context.Context, d news.Delivery) (news.Posted, *discordgo.Message, error) {
	post, err := dl.Store.PostOf(ctx, d.StoryID, d.ChannelID)
	if err != nil {
		return news.Posted{}, nil, nil // nothing was posted, so no reply could have been
	}
	channel := d.ChannelID
	if post.ThreadID != "" {
		channel = post.ThreadID
	}
	s, err := dl.Store.Story(ctx, d.StoryID)
	if err != nil {
		return news.Posted{}, nil, err
	}
	rev, err := dl.revision(ctx, d)
	if err != nil {
		return news.Posted{}, nil, err
	}
	// Rendering is deterministic: the reply it would have sent is the
	// reply to look for.
	content := render.UpdateReply(s, rev).Content
	var hooks []string
	if post.WebhookID != "" {
		hooks = []string{post.WebhookID}
	}
	m, err := dl.findIn(ctx, d, channel, hooks, func(m *discordgo.Message) bool { return m.Content == content })
	return posted(m), m, err
}

// findIn looks through a channel's recent messages for one of ours that
// want recognises.
func (dl *Deliverer) findIn(ctx context.Context, d news.Delivery, channel string, hooks []string,
	want func(*discordgo.Message) bool) (*discordgo.Message, error) {
	msgs, err := dl.Session.ChannelMessages(channel, reconcileDepth, "", "", "", rest(ctx)...)
	if err != nil {
		return nil, fmt.Errorf("reconcile delivery %d with channel %s: %w", d.ID, channel, err)
	}
	for _, m := range msgs {
		if dl.ours(m, hooks) && want(m) {
			return m, nil
		}
	}
	return nil, nil
}

// posted is what a message found again records.
func posted(m *discordgo.Message) news.Posted {
	if m == nil {
		return news.Posted{}
	}
	return news.Posted{MessageID: m.ID, WebhookID: m.WebhookID}
}

// postedIn is what a forum post's first message found again records: the
// message and the post, whose ids are the same.
func postedIn(m *discordgo.Message) news.Posted {
	p := posted(m)
	if m != nil {
		p.ThreadID = m.ChannelID
	}
	return p
}
