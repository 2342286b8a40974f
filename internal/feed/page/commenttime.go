package page

import (
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// timeOf reads when a comment was posted from its time element: the
// machine-readable attributes first, as the text is often only an age or a
// localised date.
func timeOf(n *html.Node, now time.Time) time.Time {
	if n == nil {
		return time.Time{}
	}
	cands := []string{attr(n, "datetime"), attr(n, "data-timestamp"), attr(n, "data-time"), attr(n, "title")}
	if d := withAttr(n, "datetime"); d != nil {
		cands = append(cands, attr(d, "datetime"))
	}
	cands = append(cands, textOf(n))
	for _, c := range cands {
		if t, ok := parseCommentTime(c, now); ok {
			return t
		}
	}
	return time.Time{}
}

// withAttr returns the first descendant of n that has attribute key.
func withAttr(n *html.Node, key string) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if _, ok := attrOK(c, key); ok {
			return c
		}
		if d := withAttr(c, key); d != nil {
			return d
		}
	}
	return nil
}

// parseCommentTime reads a moment as comment sections write it: RFC 3339
// and the other feed layouts, dates as people write them ("October 19,
// 2020 at 8:00 am"), unix seconds or milliseconds, and ages ("3 hours
// ago", "2d ago", "yesterday") counted back from now. Times come out in UTC.
func parseCommentTime(s string, now time.Time) (time.Time, bool) {
	s = collapse(s)
	if s == "" || len(s) > 100 {
		return time.Time{}, false
	}
	if t, ok := unixTime(s); ok {
		return t, true
	}
	if t, ok := relativeTime(s, now); ok {
		return t, true
	}
	if t := firstTime(s); !t.IsZero() {
		return t.UTC(), true
	}
	norm := normalizeDate(s)
	for _, l := range commentLayouts {
		if t, err := time.Parse(l, norm); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// unixTime reads 9–10 digits as unix seconds and 12–13 as milliseconds.
func unixTime(s string) (time.Time, bool) {
	if strings.TrimLeft(s, "0123456789") != "" {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil:
		return time.Time{}, false
	case len(s) == 9 || len(s) == 10:
		return time.Unix(n, 0).UTC(), true
	case len(s) == 12 || len(s) == 13:
		return time.UnixMilli(n).UTC(), true
	}
	return time.Time{}, false
}

// relativeTime reads an age ending in "ago", summing its parts ("2 days,
// 3 hours ago") and ignoring words before them ("Posted 3 hours ago").
func relativeTime(s string, now time.Time) (time.Time, bool) {
	lower := strings.ToLower(s)
	switch lower {
	case "just now", "now", "a moment ago", "moments ago", "a few seconds ago", "seconds ago":
		return now.UTC(), true
	case "yesterday":
		return now.Add(-day).UTC(), true
	}
	f := strings.Fields(lower)
	if len(f) < 2 || f[len(f)-1] != "ago" {
		return time.Time{}, false
	}
	var total time.Duration
	parts := 0
	for i := len(f) - 2; i >= 0; {
		tok := strings.TrimRight(f[i], ",")
		if tok == "and" && parts > 0 {
			i--
			continue
		}
		if d, ok := parseAge(tok); ok { // "2d", "45m"
			total, parts, i = total+d, parts+1, i-1
			continue
		}
		if i == 0 {
			break
		}
		n := strings.TrimRight(f[i-1], ",")
		if n == "a" || n == "an" || n == "one" {
			n = "1"
		}
		d, ok := parseAge(n + " " + tok) // "3 hours", "an hour"
		if !ok {
			break
		}
		total, parts, i = total+d, parts+1, i-2
	}
	if parts == 0 || total > maxAge {
		return time.Time{}, false
	}
	return now.Add(-total).UTC(), true
}

// normalizeDate rewrites a date as people write it into the shape of
// commentLayouts: no weekday, no "at", no commas or full stops, upper case
// (time.Parse reads "PM" but not "p.m.", and month names in any case).
func normalizeDate(s string) string {
	s = strings.NewReplacer(",", " ", ".", "", "\u00a0", " ").Replace(strings.ToUpper(s))
	f := strings.Fields(s)
	if len(f) > 0 && isWeekday(f[0]) {
		f = f[1:]
	}
	var out []string
	for _, w := range f {
		if w == "AT" {
			continue
		}
		// "8:00PM" → "8:00 PM"
		if n := len(w); n > 2 && (strings.HasSuffix(w, "AM") || strings.HasSuffix(w, "PM")) && isDigit(w[n-3]) {
			out = append(out, w[:n-2], w[n-2:])
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

func isWeekday(w string) bool {
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToUpper(d.String())
		if w == name || w == name[:3] {
			return true
		}
	}
	return false
}

// commentLayouts are the date shapes after normalizeDate. Month-first
// numeric dates are tried before day-first, so "03/04/2020" is March 4th.
var commentLayouts = func() []string {
	base := []string{
		"January 2 2006 3:04 PM", "January 2 2006 3:04:05 PM", "January 2 2006 15:04",
		"January 2 2006 15:04:05", "January 2 2006 15:04 MST", "January 2 2006",
		"2 January 2006 3:04 PM", "2 January 2006 15:04", "2 January 2006 15:04:05", "2 January 2006",
	}
	var out []string
	for _, l := range base {
		out = append(out, l, strings.Replace(l, "January", "Jan", 1))
	}
	return append(out,
		"2006-01-02 15:04", "2006-01-02 3:04 PM", "2006-01-02 15:04:05 MST", "2006/01/02 15:04:05",
		"2006/01/02 15:04", "2006/01/02", "1/2/2006 3:04 PM", "1/2/2006 15:04", "1/2/2006",
		"2/1/2006 15:04", "2/1/2006", "Jan 2 15:04:05 2006", "02 Jan 06 15:04 MST",
	)
}()
