package discordmd

import (
	"strconv"
	"strings"
	"time"
)

// maxUnix is the furthest a JavaScript Date reaches (8.64e15 ms), beyond
// which Discord shows the markup as text.
const maxUnix = 8_640_000_000_000

// timestampFormats are Discord's styles as an en-US client shows them.
// The page re-renders each in the reader's own time zone and keeps R
// ("3 hours ago") current; these are what it shows before it does.
var timestampFormats = map[string]string{
	"t": "3:04 PM",
	"T": "3:04:05 PM",
	"d": "01/02/2006",
	"D": "January 2, 2006",
	"f": "January 2, 2006 3:04 PM",
	"F": "Monday, January 2, 2006 3:04 PM",
	"R": "January 2, 2006 3:04 PM",
}

// timestamp renders the inside of <t:UNIX> or <t:UNIX:STYLE>.
func (r *renderer) timestamp(spec string) bool {
	num, style, hasStyle := strings.Cut(spec, ":")
	if !hasStyle {
		style = "f"
	}
	layout, ok := timestampFormats[style]
	if !ok || num == "" || len(num) > 14 {
		return false
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n > maxUnix || n < -maxUnix || strings.HasPrefix(num, "+") {
		return false
	}
	t := time.Unix(n, 0).UTC()
	r.b.WriteString(`<time class="ts" data-unix="` + strconv.FormatInt(n, 10) + `" data-style="` + style +
		`" title="` + t.Format(timestampFormats["F"]) + ` UTC">` + t.Format(layout) + `</time>`)
	return true
}
