package render

import (
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// TestCappedNotice: the notice says how many new items the poll found,
// that the newest were taken and the rest will not be posted, and what to
// change; the feed's address goes out without its secrets.
func TestCappedNotice(t *testing.T) {
	since := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	n := news.Notice{Kind: news.NoticeCapped, Since: since, NewItems: 10000, Kept: 100}
	m := Notice(n, NoticeFeed{Name: "Flood_feed", URL: "https://user:pw@example.com/feed.xml?key=SECRET"})
	want := "⚠️ Feed **Flood\\_feed** (<https://example.com/feed.xml>) listed 10000 new items in one poll (<t:1793534400:R>), " +
		"more than its limit of 100 (`max_new_per_poll`). newsbot took the newest 100 and skipped the other 9900, " +
		"which will not be posted, and skips them while the feed lists them.\n" +
		"If this feed really publishes that much at once, raise `max_new_per_poll` for it."
	if m.Content != want {
		t.Errorf("notice =\n%s\nwant\n%s", m.Content, want)
	}
	if m.AllowedMentions == nil || len(m.AllowedMentions.Parse) != 0 {
		t.Error("a notice may ping")
	}
	if got := NoticeTitle(n, NoticeFeed{Name: "Flood"}); got != "Feed Flood listed too many new items" {
		t.Errorf("forum post title = %q", got)
	}
}
