package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

const forum = emulator.DefaultForumChannel

// subscribe makes the rig's feed post in channel with sub's settings.
func (r *rig) subscribe(channel string, sub config.Subscription) {
	sub.ChannelID = channel
	r.dl.Feeds = func(id string) (config.Feed, bool) {
		return config.Feed{ID: id, Name: "World", AvatarURL: "https://example.com/w.png", Updates: config.UpdatesEditAndReply,
			Channels: []string{channel}, Subscriptions: []config.Subscription{sub}}, true
	}
}

func (r *rig) saveTo(channel string, a news.Article) {
	r.t.Helper()
	if _, err := r.db.SaveArticle(context.Background(), a, store.SaveOptions{FeedID: "world", Now: r.now, Post: []string{channel}}); err != nil {
		r.t.Fatal(err)
	}
}

// A comment count edit of a forum post goes to its first message, inside
// the post - as the bot or through the webhook that made it.
func TestForumCommentCountEditsFirstMessage(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sub   config.Subscription
		route string
	}{
		{"as the bot", config.Subscription{}, "PATCH /channels/{channel_id}/messages/{message_id}"},
		{"through a webhook", config.Subscription{Webhook: &config.Webhook{Name: "World"}}, "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, emulator.Options{})
			r.subscribe(forum, tc.sub)
			r.saveTo(forum, story)
			r.drain()
			post, err := r.db.PostOf(context.Background(), 1, forum)
			if err != nil || post.ThreadID == "" || post.ThreadID != post.MessageID {
				t.Fatalf("forum post recorded as %+v, %v", post, err)
			}
			if _, err := r.db.EnqueueCommentCount(context.Background(), 1, 12, r.now); err != nil {
				t.Fatal(err)
			}
			r.drain()
			msgs := r.emu.Messages(post.ThreadID)
			if len(msgs) != 1 || msgs[0].EditedTimestamp == nil {
				t.Fatalf("post holds %+v; want its one first message, edited", msgs)
			}
			edits := r.posts("PATCH", strings.TrimPrefix(tc.route, "PATCH "))
			if len(edits) != 1 || !strings.Contains(edits[0].Path, post.ThreadID) {
				t.Errorf("edits = %+v; want one through %s naming the post", edits, tc.route)
			}
		})
	}
}

// A feed notice in a forum opens a post of its own, by the bot.
func TestNoticeInForum(t *testing.T) {
	r := newRig(t, emulator.Options{})
	r.subscribe(forum, config.Subscription{Webhook: &config.Webhook{Name: "World"}})
	n := news.Notice{Kind: news.NoticeFailing, Failures: 5, Since: r.now.Add(-time.Hour), LastError: "HTTP 503"}
	if _, err := r.db.EnqueueNotice(context.Background(), "world", forum, n, r.now); err != nil {
		t.Fatal(err)
	}
	r.drain()
	var post *emulator.Channel
	for _, c := range r.emu.Channels() {
		if c.ParentID == forum {
			post = &c
		}
	}
	if post == nil || post.Name != "Feed World is failing" || post.OwnerID != emulator.DefaultBotID {
		t.Fatalf("forum post = %+v; want the bot's notice post", post)
	}
	if msgs := r.emu.Messages(post.ID); len(msgs) != 1 || !strings.Contains(msgs[0].Content, "HTTP 503") {
		t.Errorf("notice post holds %+v", msgs)
	}
}

// A webhook deleted after it posted a story: the update cannot edit the
// post (nobody can), and the bot replies itself.
func TestUpdateAfterWebhookDeleted(t *testing.T) {
	r := newRig(t, emulator.Options{})
	r.subscribe(news1, config.Subscription{Webhook: &config.Webhook{Name: "World"}})
	r.save(story)
	r.drain()
	post, _ := r.db.PostOf(context.Background(), 1, news1)
	if post.WebhookID == "" {
		t.Fatalf("post not recorded as a webhook's: %+v", post)
	}
	if err := r.dl.Session.WebhookDelete(post.WebhookID); err != nil {
		t.Fatal(err)
	}
	// The deliverer still has the webhook cached: Discord's 10015 tells it.
	updated := story
	updated.Paragraphs = append(append([]string(nil), story.Paragraphs...), "Update: the FBI says otherwise.")
	r.now = r.now.Add(time.Hour)
	r.save(updated)
	r.drain()
	msgs := r.emu.Messages(news1)
	if len(msgs) != 2 || msgs[0].EditedTimestamp != nil || msgs[1].Author.ID != emulator.DefaultBotID ||
		!strings.Contains(msgs[1].Content, "the FBI says otherwise") {
		t.Errorf("channel shows %+v; want the post unedited and the bot's reply", msgs)
	}
	if sent, _ := r.db.Deliveries(context.Background(), store.DeliveryFilter{Kind: news.DeliveryUpdated, State: news.DeliverySent}); len(sent) != 1 {
		t.Errorf("the update was not recorded as sent: %+v", sent)
	}
}
