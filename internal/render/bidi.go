package render

import "strings"

// isBidiControl reports the explicit embedding, override and isolate
// controls (U+202A–U+202E, U+2066–U+2069). In a stranger's title they
// reorder what a reader sees: "gnp.exe" behind U+202E reads "exe.png".
// The implicit marks (U+200E, U+200F) only nudge neutral characters and
// stay.
func isBidiControl(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}

// stripBidi drops the bidi controls from s. Every text path of the bot
// goes through Escape or Trim, which call it, so no post, quote or answer
// can carry one. Text written right to left needs none of them: Discord's
// clients order it by itself.
func stripBidi(s string) string {
	if !strings.ContainsFunc(s, isBidiControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBidiControl(r) {
			return -1
		}
		return r
	}, s)
}
