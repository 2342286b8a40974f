package feed

import (
	"strings"
	"testing"
)

func TestHostileShapesAreRefusedCheaply(t *testing.T) {
	deep := `<rss version="2.0"><channel><title>x</title><item><title>t</title><description>` +
		strings.Repeat("<x:a>", 10000) + `</description></item></channel></rss>`
	wide := `<rss version="2.0"><channel><title>x</title>` + strings.Repeat("<item><title>t</title></item>", 150_000) + `</channel></rss>`
	for name, tc := range map[string]struct{ doc, want string }{
		"deeply nested":     {deep, "nested more than 64 deep"},
		"too many elements": {wide, "more than 200000 elements"},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := ParseFeed([]byte(tc.doc), "")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one saying %q", err, tc.want)
			}
		})
	}
}
