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

// reconcile looks for the message an earlier, unrecorded attempt of d may
// have posted. Discord has forgotten the nonce by now, so the message is
// recognised by what the bot would have written.
func (dl *Deliverer) reconcile(ctx context.Context, d news.Delivery) (*discordgo.Message, error) {
	channel := d.ChannelID
	var want func(m *discordgo.Message) bool
	switch d.Kind {
	case news.DeliveryNew:
		marker := fmt.Sprintf("story %d", d.StoryID)
		want = func(m *discordgo.Message) bool {
			return len(m.Embeds) > 0 && m.Embeds[0].Footer != nil &&
				(m.Embeds[0].Footer.Text == marker || strings.HasPrefix(m.Embeds[0].Footer.Text, marker+" "))
		}
	case news.DeliveryUpdated:
		post, err := dl.Store.PostOf(ctx, d.StoryID, d.ChannelID)
		if err != nil {
			return nil, nil // nothing was posted, so no reply could have been
		}
		if post.ThreadID != "" {
			channel = post.ThreadID
		}
		s, err := dl.Store.Story(ctx, d.StoryID)
		if err != nil {
			return nil, err
		}
		rev, err := dl.revision(ctx, d)
		if err != nil {
			return nil, err
		}
		// Rendering is deterministic: the reply it would have sent is the
		// reply to look for.
		content := render.UpdateReply(s, rev).Content
		want = func(m *discordgo.Message) bool { return m.Content == content }
	case news.DeliveryNotice:
		msg, err := dl.notice(ctx, d)
		if err != nil {
			return nil, err
		}
		want = func(m *discordgo.Message) bool { return strings.TrimSpace(m.Content) == strings.TrimSpace(msg.Content) }
	default:
		return nil, nil
	}
	msgs, err := dl.Session.ChannelMessages(channel, reconcileDepth, "", "", "", rest(ctx)...)
	if err != nil {
		return nil, fmt.Errorf("reconcile delivery %d with channel %s: %w", d.ID, channel, err)
	}
	self := ""
	if dl.BotID != nil {
		self = dl.BotID()
	}
	for _, m := range msgs {
		if (self == "" || (m.Author != nil && m.Author.ID == self)) && want(m) {
			return m, nil
		}
	}
	return nil, nil
}
