package main

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

const (
	forumChannel    = emulator.DefaultForumChannel
	announceChannel = emulator.DefaultAnnounceChan
)

// crashOnce makes the app "die" between one send and its record: the
// send reached Discord, the store never heard of it.
type crashOnce struct {
	armed   atomic.Bool
	crashed chan news.Delivery
}

func newCrash() *crashOnce { return &crashOnce{crashed: make(chan news.Delivery, 1)} }

func (c *crashOnce) options() appOptions {
	return appOptions{afterSend: func(d news.Delivery) error {
		if d.Kind == news.DeliveryNew && c.armed.CompareAndSwap(true, false) {
			c.crashed <- d
			return errors.New("killed between send and record")
		}
		return nil
	}}
}

// threads returns the posts (threads) under a channel, in creation order.
func (w *world) threads(parent string) []emulator.Channel {
	var out []emulator.Channel
	for _, c := range w.emu.Channels() {
		if c.ParentID == parent && c.ThreadMetadata != nil {
			out = append(out, c)
		}
	}
	return out
}

func (w *world) thread(parent, name string) emulator.Channel {
	w.t.Helper()
	for _, th := range w.threads(parent) {
		if th.Name == name {
			return th
		}
	}
	w.t.Fatalf("no thread %q under %s", name, parent)
	return emulator.Channel{}
}

// session is a discordgo client of the emulator for the test's own moves
// (archiving a thread, as a moderator would).
func (w *world) session() *discordgo.Session {
	s, err := discordgo.New("Bot test-token")
	if err != nil {
		w.t.Fatal(err)
	}
	s.Client = w.emu.Client()
	return s
}

func (w *world) archive(thread string) {
	w.t.Helper()
	yes := true
	if _, err := w.session().ChannelEdit(thread, &discordgo.ChannelEdit{Archived: &yes}); err != nil {
		w.t.Fatalf("archive thread %s: %v", thread, err)
	}
}

// sentPosts counts the recorded first posts of a channel.
func (w *world) sentPosts(channel string) int {
	sent, _ := w.app.db.Deliveries(w.t.Context(), store.DeliveryFilter{ChannelID: channel, Kind: news.DeliveryNew, State: news.DeliverySent})
	return len(sent)
}

// TestForumFeed: a feed into the default world's forum makes one post per
// story, tagged as configured; an update edits the post's first message
// (reopening the archived post) and replies inside it; a crash between
// creating a post and recording it leaves exactly one post.
func TestForumFeed(t *testing.T) {
	w := newWorld(t, emulator.Options{})
	w.site.Set("/world.xml", item(2, lead2), item(1))
	w.site.Set("/weather.xml", item(9))
	w.writeConfig(`  - id: world
    url: SITE/world.xml
    channels: ["` + forumChannel + `"]
    schedule: "@every 1h"
    backfill: 10
    auto_archive: 3d
    forum: {tags: [World, politics]}
  - id: untagged
    url: SITE/weather.xml
    channels: ["` + forumChannel + `"]
    schedule: "@every 1h"
    backfill: 1
    forum: {tags: [weather]}
`)
	crash := newCrash()
	w.start(crash.options())
	w.pollNow("world")
	w.waitFor("a post per story", func() bool { return w.sentPosts(forumChannel) == 2 })

	for _, n := range []string{"Story number 1", "Story number 2"} {
		th := w.thread(forumChannel, n)
		if !slices.Equal(th.AppliedTags, []string{emulator.DefaultTagWorld, emulator.DefaultTagPolitics}) {
			t.Errorf("post %q has tags %v; want world and politics", n, th.AppliedTags)
		}
		if th.ThreadMetadata.AutoArchiveDuration != 4320 {
			t.Errorf("post %q archives after %d minutes; want 3 days", n, th.ThreadMetadata.AutoArchiveDuration)
		}
		msgs := w.emu.Messages(th.ID)
		if len(msgs) != 1 || msgs[0].ID != th.ID || len(msgs[0].Embeds) == 0 || msgs[0].Embeds[0].Title != n {
			t.Errorf("post %q holds %+v; want its card as the first message", n, msgs)
		}
	}
	if got := w.messages(forumChannel); got != 0 {
		t.Errorf("the forum itself got %d messages", got)
	}

	// A tag the forum lacks: the post is refused with a message that says
	// which tag, and which tags there are.
	w.pollNow("untagged")
	w.waitFor("the untagged feed's delivery to give up", func() bool {
		failed, _ := w.app.db.Deliveries(t.Context(), store.DeliveryFilter{FeedID: "untagged", State: news.DeliveryFailed})
		return len(failed) == 1 && strings.Contains(failed[0].LastError,
			`forum channel `+forumChannel+` has no tag "weather" (its tags: world, politics, tech, science, local, staff)`)
	})

	// The update of story 2: its first message is edited, and one reply
	// inside its post says what changed - the post was archived, and the
	// update reopens it.
	post := w.thread(forumChannel, "Story number 2")
	w.archive(post.ID)
	w.site.Set("/world.xml", item(2, lead2, update2), item(1))
	if res := w.pollNow("world"); res.Updated != 1 {
		t.Fatalf("poll after the update: %+v", res)
	}
	w.waitFor("the reply inside the post", func() bool { return w.messages(post.ID) == 2 })
	msgs := w.emu.Messages(post.ID)
	if msgs[0].EditedTimestamp == nil || msgs[0].Embeds[0].Title != "Updated: Story number 2" {
		t.Errorf("the post's first message was not edited: %+v", msgs[0].Embeds[0])
	}
	if !strings.Contains(msgs[1].Content, "> "+update2) {
		t.Errorf("the reply does not quote the update:\n%s", msgs[1].Content)
	}
	if th := w.thread(forumChannel, "Story number 2"); th.ThreadMetadata.Archived {
		t.Error("the post is still archived after the update")
	}
	if n := len(w.threads(forumChannel)); n != 2 {
		t.Errorf("the update made a new post: %d posts", n)
	}

	// Killed between creating story 3's post and recording it, then
	// restarted: exactly one post.
	crash.armed.Store(true)
	w.site.Set("/world.xml", item(3), item(2, lead2, update2), item(1))
	w.pollNow("world")
	<-crash.crashed
	w.app.stop()
	w.start(crash.options())
	w.waitFor("story 3's post recorded", func() bool { return w.sentPosts(forumChannel) == 3 })
	var names []string
	for _, th := range w.threads(forumChannel) {
		names = append(names, th.Name)
	}
	if got := strings.Join(names, "|"); got != "Story number 1|Story number 2|Story number 3" {
		t.Errorf("posts after the restart: %s; want each story once", got)
	}
	post3 := w.thread(forumChannel, "Story number 3")
	sent, _ := w.app.db.Deliveries(t.Context(), store.DeliveryFilter{ChannelID: forumChannel, Kind: news.DeliveryNew, State: news.DeliverySent})
	if rec := sent[len(sent)-1]; rec.MessageID != post3.ID || rec.ThreadID != post3.ID || rec.Attempts != 1 {
		t.Errorf("story 3 recorded as message %s thread %s after %d attempts; the post is %s, made once", rec.MessageID, rec.ThreadID, rec.Attempts, post3.ID)
	}
}

// TestThreadsOnTextChannels: thread: true starts a thread per post that
// archives after the feed's auto_archive; an update reopens an archived
// thread with its reply.
func TestThreadsOnTextChannels(t *testing.T) {
	w := newWorld(t, emulator.Options{})
	w.site.Set("/world.xml", item(1))
	w.writeConfig(`  - id: world
    url: SITE/world.xml
    channels: [{id: "` + newsChannel + `", thread: true}]
    schedule: "@every 1h"
    backfill: 1
    auto_archive: 1h
`)
	w.start(appOptions{})
	w.pollNow("world")
	w.waitFor("the post and its thread", func() bool { return len(w.threads(newsChannel)) == 1 })
	th := w.threads(newsChannel)[0]
	if th.ThreadMetadata.AutoArchiveDuration != 60 || th.Name != "Story number 1" {
		t.Errorf("thread %q archives after %d minutes; want the title and 1h", th.Name, th.ThreadMetadata.AutoArchiveDuration)
	}
	w.archive(th.ID)
	w.site.Set("/world.xml", item(1, "Story 1 happened today, and readers have strong views about what it means.", update2))
	w.pollNow("world")
	w.waitFor("the reply in the thread", func() bool { return w.messages(th.ID) == 1 })
	if got := w.threads(newsChannel)[0]; got.ThreadMetadata.Archived {
		t.Error("the thread stayed archived after the update's reply")
	}
}

// requestsTo returns the bodies of the successful requests to a route.
func (w *world) requestsTo(route string) []map[string]any {
	var out []map[string]any
	for _, r := range w.emu.Requests() {
		if r.Route == route && r.Status < 300 {
			var body map[string]any
			_ = json.Unmarshal(r.Body, &body)
			out = append(out, body)
		}
	}
	return out
}

const alertsRole = "100000000000000040"

// TestOptInMentions: a role is pinged only on the story its pattern
// matches, and never by anything else - other stories, updates, or
// mentions written into an article.
func TestOptInMentions(t *testing.T) {
	seed := emulator.DefaultSeed()
	seed.Guilds[0].Roles = append(seed.Guilds[0].Roles, emulator.SeedRole{ID: alertsRole, Name: "election alerts"})
	w := newWorld(t, emulator.Options{Seed: &seed})
	election := item(2, "Polls open at eight. <@&100000000000000020> and @everyone, @here: vote!")
	election.Title = "Election day in the county"
	w.site.Set("/world.xml", election, item(1))
	w.writeConfig(`  - id: world
    url: SITE/world.xml
    channels:
      - "` + newsChannel + `"
      - {id: "` + techChannel + `", include: ["(?i)election"], mentions: []}
    schedule: "@every 1h"
    backfill: 10
    mentions: [{role: "` + alertsRole + `", include: ["(?i)election"]}]
`)
	w.start(appOptions{})
	w.pollNow("world")
	w.waitFor("both posts in #news and the election in #tech", func() bool {
		return w.sentPosts(newsChannel) == 2 && w.sentPosts(techChannel) == 1
	})

	type sent struct {
		title   string
		roles   []any
		parse   []any
		content string
	}
	var posts []sent
	for _, r := range w.emu.Requests() {
		if r.Route != "POST /channels/{channel_id}/messages" || !strings.Contains(r.Path, newsChannel) || r.Status != 200 {
			continue
		}
		var body struct {
			Content         string         `json:"content"`
			AllowedMentions map[string]any `json:"allowed_mentions"`
			Embeds          []struct {
				Title string `json:"title"`
			} `json:"embeds"`
		}
		_ = json.Unmarshal(r.Body, &body)
		roles, _ := body.AllowedMentions["roles"].([]any)
		parse, ok := body.AllowedMentions["parse"].([]any)
		if !ok || len(parse) != 0 {
			t.Errorf("a post without parse: [] in allowed_mentions: %v", body.AllowedMentions)
		}
		posts = append(posts, sent{body.Embeds[0].Title, roles, parse, body.Content})
	}
	if len(posts) != 2 {
		t.Fatalf("%d posts to #news; want 2", len(posts))
	}
	for _, p := range posts {
		wantRoles := 0
		if strings.HasPrefix(p.title, "Election") {
			wantRoles = 1
		}
		if len(p.roles) != wantRoles || wantRoles == 1 && (p.roles[0] != alertsRole || p.content != "<@&"+alertsRole+">") {
			t.Errorf("post %q allowed roles %v, content %q; want the alerts role only on the election", p.title, p.roles, p.content)
		}
	}
	for _, m := range w.emu.Messages(newsChannel) {
		election := strings.HasPrefix(m.Embeds[0].Title, "Election")
		if m.MentionEveryone || len(m.Mentions) > 0 || election != slices.Equal(m.MentionRoles, []string{alertsRole}) || !election && len(m.MentionRoles) > 0 {
			t.Errorf("%q pinged roles %v, users %d, everyone %v", m.Embeds[0].Title, m.MentionRoles, len(m.Mentions), m.MentionEveryone)
		}
	}
	if tech := w.emu.Messages(techChannel); len(tech) != 1 || len(tech[0].MentionRoles) != 0 || tech[0].Content != "" {
		t.Errorf("#tech (own filter, mentions: []) shows %+v; want the election story without a ping", tech)
	}

	// The update's reply pings nobody.
	election.Paragraphs = append(election.Paragraphs, update2)
	w.site.Set("/world.xml", election, item(1))
	w.pollNow("world")
	w.waitFor("the update's reply", func() bool { return w.messages(newsChannel) == 3 })
	if reply := w.emu.Messages(newsChannel)[2]; len(reply.MentionRoles) > 0 || len(reply.Mentions) > 0 {
		t.Errorf("the update's reply pinged: %v %v", reply.MentionRoles, reply.Mentions)
	}
}

// TestWebhookSubscription: webhook: true posts through a webhook the bot
// makes, under the feed's name and avatar, edits and answers through it
// on an update, and posts exactly once across a crash; a channel without
// Manage Webhooks says so.
func TestWebhookSubscription(t *testing.T) {
	seed := emulator.DefaultSeed()
	seed.Guilds[0].Channels[1].Overwrites = []emulator.SeedOverwrite{{ID: "100000000000000021", Type: 0, Deny: emulator.PermManageWebhooks}}
	w := newWorld(t, emulator.Options{Seed: &seed})
	w.site.Set("/world.xml", item(2, lead2), item(1))
	const avatar = "https://example.com/world.png"
	w.writeConfig(`  - id: world
    name: World News
    avatar_url: ` + avatar + `
    url: SITE/world.xml
    channels: [{id: "` + newsChannel + `", webhook: true}, {id: "` + techChannel + `", webhook: true}]
    schedule: "@every 1h"
    backfill: 10
`)
	crash := newCrash()
	w.start(crash.options())
	w.pollNow("world")
	w.waitFor("two posts through the webhook", func() bool { return w.sentPosts(newsChannel) == 2 })
	msgs := w.emu.Messages(newsChannel)
	for _, m := range msgs {
		if m.WebhookID == "" || m.Author.Username != "World News" || m.Author.Avatar == nil || *m.Author.Avatar != emulator.AvatarHash(avatar) {
			t.Errorf("post %q shows as %+v (webhook %q); want World News with the feed's avatar", m.Embeds[0].Title, m.Author, m.WebhookID)
		}
	}
	w.waitFor("#tech refused for want of Manage Webhooks", func() bool {
		failed, _ := w.app.db.Deliveries(t.Context(), store.DeliveryFilter{ChannelID: techChannel, State: news.DeliveryFailed})
		return len(failed) > 0 && strings.Contains(failed[0].LastError, "needs the Manage Webhooks permission")
	})
	if w.messages(techChannel) != 0 {
		t.Error("#tech got a post without a webhook")
	}

	w.site.Set("/world.xml", item(2, lead2, update2), item(1))
	w.pollNow("world")
	w.waitFor("the update's reply", func() bool { return w.messages(newsChannel) == 3 })
	msgs = w.emu.Messages(newsChannel)
	if msgs[1].EditedTimestamp == nil || msgs[1].Embeds[0].Title != "Updated: Story number 2" {
		t.Errorf("story 2's post was not edited through the webhook: %+v", msgs[1].Embeds[0])
	}
	if r := msgs[2]; r.WebhookID != msgs[1].WebhookID || r.Author.Username != "World News" || !strings.Contains(r.Content, update2) {
		t.Errorf("the reply %+v; want it from the webhook, quoting the update", r)
	}

	crash.armed.Store(true)
	w.site.Set("/world.xml", item(3), item(2, lead2, update2), item(1))
	w.pollNow("world")
	<-crash.crashed
	w.app.stop()
	w.start(crash.options())
	w.waitFor("story 3's post recorded", func() bool { return w.sentPosts(newsChannel) == 3 })
	if got := strings.Join(w.cards(newsChannel), "|"); got != "Story number 1|Updated: Story number 2|Story number 3" {
		t.Errorf("cards after the restart: %s; want story 3 once", got)
	}
}

// TestCrosspost: crosspost: true publishes each post of an announcement
// channel once, at the pace Discord's crosspost limit allows, without
// holding up the posts.
func TestCrosspost(t *testing.T) {
	const route = "POST /channels/{channel_id}/messages/{message_id}/crosspost"
	w := newWorld(t, emulator.Options{RateLimit: emulator.RateLimit{Routes: map[string]emulator.Limit{
		route: {Requests: 2, Window: 300 * time.Millisecond},
	}}})
	w.site.Set("/world.xml", item(3), item(2), item(1))
	w.writeConfig(`  - id: world
    url: SITE/world.xml
    channels: ["` + announceChannel + `", "` + newsChannel + `"]
    crosspost: true
    schedule: "@every 1h"
    backfill: 10
`)
	w.start(appOptions{})
	w.pollNow("world")
	published := func() int {
		n := 0
		for _, m := range w.emu.Messages(announceChannel) {
			if m.Flags&emulator.FlagCrossposted != 0 {
				n++
			}
		}
		return n
	}
	// The emulator logs a request after it has answered it, so the third
	// crosspost may show in the channel a moment before it is in the log.
	w.waitFor("three posts published", func() bool { return published() == 3 && len(w.requestsTo(route)) >= 3 })
	if got := len(w.requestsTo(route)); got != 3 {
		t.Errorf("%d successful crossposts; want one per post", got)
	}
	limited := 0
	for _, r := range w.emu.Requests() {
		if r.Route == route && r.Status == 429 {
			limited++
		}
	}
	if limited != 0 {
		// Three crossposts through a bucket of two: the bot's limiter
		// waits for the bucket to reset instead of meeting the 429.
		t.Errorf("%d crossposts answered 429: the limiter should have waited for the bucket", limited)
	}
	for _, m := range w.emu.Messages(newsChannel) {
		if m.Flags&emulator.FlagCrossposted != 0 {
			t.Error("a post of a text channel was published")
		}
	}
}
