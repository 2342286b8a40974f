// Package dates reads the dates feeds, pages and comment exports write,
// from one list of layouts.
package dates

import (
	"strings"
	"time"
)

// layouts are every date shape newsbot reads, machine formats first.
// Numeric dates are month first ("01/02/2006" is January 2nd), as the
// sites that write them mostly mean.
var layouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	"2006-01-02 15:04:05",
	"2006-01-02",
	"01.02.2006",
	"01/02/2006",
	"Jan 2, 2006",
	"January 2, 2006",
	"2 January 2006",
	"2 Jan 2006",
	"Monday, January 2, 2006",
	"Mon, Jan 2, 2006",
}

// Parse reads s (surrounding space ignored) in the first layout that fits.
// A time without a zone is in UTC.
func Parse(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
