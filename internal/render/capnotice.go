package render

import (
	"fmt"

	"github.com/newsbot-dev/newsbot/internal/english"
	"github.com/newsbot-dev/newsbot/internal/news"
)

// cappedNotice says that a poll found more new items than the feed's
// max_new_per_poll: how many, which were taken, that the rest will not be
// posted, and what an admin who wants them changes. name is the feed's,
// already escaped and with its address.
func cappedNotice(n news.Notice, name string) string {
	skipped := n.NewItems - n.Kept
	return fmt.Sprintf("⚠️ Feed %s listed %s in one poll (%s), more than its limit of %d (`max_new_per_poll`). "+
		"newsbot took the newest %d and skipped the other %d, which will not be posted, "+
		"and skips them while the feed lists them.\n"+
		"If this feed really publishes that much at once, raise `max_new_per_poll` for it.",
		name, english.Plural(n.NewItems, "new item"), Timestamp(n.Since, 'R'), n.Kept, n.Kept, skipped)
}

// located is the feed's address as a notice shows it after the name:
// without query string or credentials, and not embedded.
func located(f NoticeFeed) string {
	if f.URL == "" {
		return ""
	}
	return " (<" + RedactURLs(f.URL) + ">)"
}
