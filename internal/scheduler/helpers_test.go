package scheduler

import (
	"regexp"
	"testing"
)

func mustRegexp(t *testing.T, s string) *regexp.Regexp {
	t.Helper()
	re, err := regexp.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	return re
}

func TestRedactURLs(t *testing.T) {
	for in, want := range map[string]string{
		"fetch https://api.example.com/feed?api_key=SECRET: 503": "fetch https://api.example.com/feed: 503",
		"https://user:pw@example.com/a#frag.":                    "https://example.com/a.",
		"open /etc/feeds/world.xml: no such file":                "open /etc/feeds/world.xml: no such file",
	} {
		if got := redactURLs(in); got != want {
			t.Errorf("redactURLs(%q) = %q, want %q", in, got, want)
		}
	}
}
