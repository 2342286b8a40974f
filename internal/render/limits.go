// Package render turns stories, revisions and notices into Discord messages.
//
// It is pure: the same story always renders the same message, so the bot's
// outbox, `/feeds preview` and the tests all see exactly what is posted.
package render

import "unicode/utf16"

// Discord's limits on message parts, counted in characters. DESIGN.md lists
// them; Discord's OpenAPI description is looser on content (4000) and silent
// on the 6000 total, and the stricter figure wins.
const (
	MaxContent          = 2000
	MaxEmbeds           = 10
	MaxEmbedTitle       = 256
	MaxEmbedDescription = 4096
	MaxEmbedFields      = 25
	MaxFieldName        = 256
	MaxFieldValue       = 1024
	MaxFooter           = 2048
	MaxAuthor           = 256
	MaxEmbedTotal       = 6000
)

// Len counts s the way Discord's limits do. Discord's clients measure in
// UTF-16 code units, which is never fewer than the code points, so staying
// under Len keeps a message valid whichever count the server applies.
func Len(s string) int {
	n := 0
	for _, r := range s {
		n += len(utf16.Encode([]rune{r}))
	}
	return n
}
