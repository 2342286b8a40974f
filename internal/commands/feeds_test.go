package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"text/template"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// fakeFeeds stands in for the running bot's feeds.
type fakeFeeds struct {
	status  []FeedStatus
	err     error // Status fails with it
	preview news.Story
	failed  error // Preview fails with it
}

func (f *fakeFeeds) Status(context.Context) ([]FeedStatus, error) { return f.status, f.err }

func (f *fakeFeeds) Preview(_ context.Context, id string) (news.Story, config.Feed, error) {
	for _, s := range f.status {
		if s.Feed.ID == id {
			return f.preview, s.Feed, f.failed
		}
	}
	return news.Story{}, config.Feed{}, fmt.Errorf("feed %q: %w", id, news.ErrNotFound)
}

func exampleStatus() FeedStatus {
	return FeedStatus{
		Feed: config.Feed{ID: "example", Name: "Example News", URL: "https://news.example/feed.xml?key=secret",
			Kind: "auto", Channels: []string{"100000000000000001", "100000000000000002"}, Schedule: "@every 10m",
			Backfill: 10, Updates: config.UpdatesEditAndReply},
		State: news.FeedState{FeedID: "example", LastPoll: at(60), LastSuccess: at(60)},
		Next:  at(70),
		Subscriptions: []news.Subscription{{FeedID: "example", ChannelID: "100000000000000002",
			Broken: "Missing Access"}},
	}
}

func failingStatus() FeedStatus {
	return FeedStatus{
		Feed: config.Feed{ID: "local", Name: "local", URL: "/srv/feeds/local.xml", Kind: "rss",
			Channels: []string{"100000000000000003"}, Schedule: "*/5 * * * *", Updates: config.UpdatesNone},
		State: news.FeedState{FeedID: "local", LastPoll: at(50), LastSuccess: at(10), Failures: 3,
			FailingSince: at(20), LastError: "fetch /srv/feeds/local.xml: **no such file**", NextPoll: at(24*60 + 30)},
		Next: at(24 * 60),
	}
}

func feedsHandler(t *testing.T) (*Handler, *fakeFeeds) {
	h, _ := testHandler(t, fixture(t))
	f := &fakeFeeds{
		status: []FeedStatus{exampleStatus(), failingStatus()},
		preview: news.Story{Title: "Preview *story*", URL: "https://news.example/p", Source: "news.example",
			Paragraphs: []string{"The newest item, @everyone."}, Published: at(5)},
	}
	h.Feeds = f
	return h, f
}

// The admin check: Manage Server or Administrator passes, anything else is
// refused with an explanation only the asker sees.
func TestFeedsAdminCheck(t *testing.T) {
	h, _ := feedsHandler(t)
	for _, tt := range []struct {
		name  string
		perms int64
		ok    bool
	}{
		{"manage server", permManageServer, true},
		{"administrator", permAdministrator, true},
		{"both and more", permAdministrator | permManageServer | 0xC00, true},
		{"member", member, false},
		{"none", 0, false},
	} {
		for _, sub := range []string{"list", "status", "preview feed:example"} {
			t.Run(tt.name+"/"+sub, func(t *testing.T) {
				resp := run(t, h, "/feeds "+sub, tt.perms)
				if tt.ok {
					wantEphemeral(t, resp, `^(|Preview of the newest item of feed “example” as it would be posted \(its story number comes when it is stored\):)$`)
					return
				}
				wantEphemeral(t, resp, `^/feeds is for admins: it needs the Manage Server permission`)
			})
		}
	}
	i, _ := ParseCommandLine(h.Commands(), "/feeds list")
	i.Member = nil
	resp, _ := h.Respond(context.Background(), i)
	checkLimits(t, resp)
	wantEphemeral(t, resp, `^/feeds works only in a server`)
	if !h.Ephemeral(i) {
		t.Errorf("Ephemeral(/feeds) = false: a deferred /feeds answer would be public")
	}
}

func TestFeedsList(t *testing.T) {
	h, _ := feedsHandler(t)
	resp := run(t, h, "/feeds list", admin)
	d := resp.Data.Embeds[0].Description
	for _, want := range []string{
		"**example** — Example News\n<https://news.example/feed.xml?…> · `@every 10m` · kind auto",
		"Posts to <#100000000000000001>, <#100000000000000002> (refused: Missing Access) · backfill 10 · updates: edit_and_reply",
		"**local**\nfile `/srv/feeds/local.xml` · `*/5 * * * *` · kind rss",
	} {
		if !strings.Contains(d, want) {
			t.Errorf("list lacks %q:\n%s", want, d)
		}
	}
	if strings.Contains(d, "secret") {
		t.Errorf("list shows the feed URL's query:\n%s", d)
	}
	golden(t, "feeds_list", resp)
}

func TestFeedsStatusCommentSource(t *testing.T) {
	h, _ := feedsHandler(t)
	st := exampleStatus()
	st.Feed.Comments.Source = config.CommentsHackerNews
	st.Comments = news.SourceHealth{FeedID: "example", Failures: 2, FailingSince: at(30),
		LastError: "hacker news: item 100 (http://hn.local/v0/item/100.json): HTTP 500 **Internal**"}
	h.Feeds = &fakeFeeds{status: []FeedStatus{st}}
	d := run(t, h, "/feeds status", admin).Data.Embeds[0].Description
	for _, want := range []string{
		"**example** ⚠️ comments failing since <t:1709296200:R> (2 failures in a row)\n",
		"Comment source (hackernews) error: hacker news: item 100 (http://hn.local/v0/item/100.json): HTTP 500 \\*\\*Internal\\*\\*",
	} {
		if !strings.Contains(d, want) {
			t.Errorf("status lacks %q:\n%s", want, d)
		}
	}
	if strings.Contains(d, "healthy") {
		t.Errorf("a feed whose comment source fails is shown healthy:\n%s", d)
	}
}

func TestFeedsStatus(t *testing.T) {
	h, _ := feedsHandler(t)
	resp := run(t, h, "/feeds status", admin)
	d := resp.Data.Embeds[0].Description
	for _, want := range []string{
		"**example** ✅ healthy\nlast poll <t:1709298000:R> · last success <t:1709298000:R> · next run <t:1709298600:R> (due now)",
		"**local** ⚠️ failing since <t:1709295600:R> (3 failures in a row)",
		"backing off until <t:1709382600:R>",
		"Error: fetch /srv/feeds/local.xml: \\*\\*no such file\\*\\*",
	} {
		if !strings.Contains(d, want) {
			t.Errorf("status lacks %q:\n%s", want, d)
		}
	}
	golden(t, "feeds_status", resp)
}

func TestFeedsPreview(t *testing.T) {
	h, f := feedsHandler(t)
	resp := run(t, h, "/feeds preview feed:example", admin)
	e := resp.Data.Embeds[0]
	if e.Title != "Preview \\*story\\*" || e.Author.Name != "Example News" || !strings.Contains(e.Description, "@\u200beveryone") {
		t.Errorf("preview card: title %q, author %q, description %q", e.Title, e.Author.Name, e.Description)
	}
	golden(t, "feeds_preview", resp)

	wantEphemeral(t, run(t, h, "/feeds preview feed:nope", admin), `^There is no feed “nope”\. Feeds: example, local\.$`)
	f.failed = errors.New("fetch https://news.example/feed.xml: 503 Service Unavailable")
	wantEphemeral(t, run(t, h, "/feeds preview feed:example", admin), `^Couldn't preview feed “example”: fetch https://news.example/feed.xml: 503`)
	f.failed = nil
	f.status[0].Feed.Template = template.Must(template.New("t").Parse(`{{.Nope}}`))
	wantEphemeral(t, run(t, h, "/feeds preview feed:example", admin), `^Feed “example”'s template failed \(`)
}

func TestFeedsUnavailable(t *testing.T) {
	h, _ := testHandler(t, fixture(t))
	wantEphemeral(t, run(t, h, "/feeds status", admin), `^Feed information isn't available here`)
	h.Feeds = &fakeFeeds{}
	wantEphemeral(t, run(t, h, "/feeds list", admin), `^No feeds are configured`)
}

// A store or feed failure is a generic line for the member and the error
// in the log, never the error itself.
func TestInternalErrorsStayInside(t *testing.T) {
	h, logs := testHandler(t, fixture(t))
	h.Feeds = &fakeFeeds{err: errors.New("database is locked: /var/lib/newsbot/secret.db")}
	resp := run(t, h, "/feeds status", admin)
	wantEphemeral(t, resp, `^Sorry — something went wrong looking that up\.`)
	if strings.Contains(text(resp), "secret") || !strings.Contains(logs.String(), "secret.db") {
		t.Errorf("error shown %q, or not logged:\n%s", text(resp), logs)
	}
	closed, logs := testHandler(t, closedStore(t))
	for _, line := range []string{"/quote story:1", "/summarize story:1", "/news latest", "/story show story:1", "/thread story:1"} {
		wantEphemeral(t, run(t, closed, line, member), `^Sorry — something went wrong looking that up\.`)
	}
	if !strings.Contains(logs.String(), "interaction failed") {
		t.Errorf("store failures not logged:\n%s", logs)
	}
	if got := complete(t, closed, "/quote story:nor", "story", member); len(got) != 0 {
		t.Errorf("failed autocomplete offers %v", choiceNames(got))
	}
}

func emptyStore(t *testing.T) *store.DB {
	db, err := store.Open(context.Background(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// closedStore fails every read, as a store whose disk went away would.
func closedStore(t *testing.T) *store.DB {
	db := emptyStore(t)
	db.Close()
	return db
}
