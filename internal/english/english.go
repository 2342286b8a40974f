// Package english holds the little grammar newsbot's messages need, so
// every count a reader sees is written the same way.
package english

import (
	"fmt"
	"strings"
)

// Plural counts things: "1 comment", "3 comments", "2 replies". word is
// the singular; a consonant before a final y makes "-ies".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if stem, ok := strings.CutSuffix(word, "y"); ok && stem != "" && !strings.ContainsAny(stem[len(stem)-1:], "aeiou") {
		return fmt.Sprintf("%d %sies", n, stem)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
