package render

import (
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

func TestRedactURLs(t *testing.T) {
	for in, want := range map[string]string{
		"fetch https://api.example.com/feed?api_key=SECRET: 503": "fetch https://api.example.com/feed: 503",
		"https://user:pw@example.com/a#frag.":                    "https://example.com/a.",
		"open /etc/feeds/world.xml: no such file":                "open /etc/feeds/world.xml: no such file",
	} {
		if got := RedactURLs(in); got != want {
			t.Errorf("RedactURLs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNotice(t *testing.T) {
	since := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	feed := NoticeFeed{Name: "World *news*", URL: "https://user:pw@example.com/feed.xml?key=SECRET"}
	for _, tc := range []struct {
		name   string
		notice news.Notice
		want   []string
		never  []string
	}{
		{"failing", news.Notice{Kind: news.NoticeFailing, Failures: 5, Since: since,
			LastError: "fetch https://example.com/feed.xml?key=SECRET: status 503 @everyone"},
			[]string{"⚠️ Feed **World \\*news\\***", "<https://example.com/feed.xml>", "failed 5 times in a row",
				"<t:1793534400:R>", "status 503 @\u200beveryone", "will say here when it works again"},
			[]string{"SECRET", "pw@"}},
		{"recovered", news.Notice{Kind: news.NoticeRecovered, Failures: 7, Since: since},
			[]string{"✅ Feed **World \\*news\\*** works again after 7 failed attempts since <t:1793534400:R>."},
			[]string{"SECRET", "example.com"}},
		{"comments failing", news.Notice{Kind: news.NoticeCommentsFailing, Failures: 3, Since: since,
			LastError: "hacker news: item 100 (https://hn.example/v0/item/100.json?auth=SECRET): HTTP 500 Internal Server Error"},
			[]string{"⚠️ Comments for feed **World \\*news\\*** can't be fetched: its comment source has failed 3 times in a row since <t:1793534400:R>.",
				"https://hn.example/v0/item/100.json", "HTTP 500", "Stories still post"},
			[]string{"SECRET"}},
		{"comments recovered", news.Notice{Kind: news.NoticeCommentsRecovered, Failures: 4, Since: since},
			[]string{"✅ Comments for feed **World \\*news\\*** arrive again: its comment source works after 4 failed attempts since <t:1793534400:R>."},
			[]string{"SECRET", "example.com"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := Notice(tc.notice, feed)
			for _, w := range tc.want {
				if !strings.Contains(m.Content, w) {
					t.Errorf("notice lacks %q:\n%s", w, m.Content)
				}
			}
			for _, w := range tc.never {
				if strings.Contains(m.Content, w) {
					t.Errorf("notice shows %q:\n%s", w, m.Content)
				}
			}
			if m.AllowedMentions == nil || len(m.AllowedMentions.Parse) != 0 {
				t.Error("a notice may ping")
			}
		})
	}
	if got := Notice(news.Notice{Kind: news.NoticeFailing, Failures: 1}, NoticeFeed{Name: "gone"}).Content; !strings.Contains(got, "**gone** has failed 1 time in a row") {
		t.Errorf("notice of a feed no longer configured: %q", got)
	}
}
