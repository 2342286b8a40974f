package config

import (
	"strings"
	"testing"
)

// TestMaxNewPerPoll: the cap on new items per poll is a feed setting with
// a default that defaults: may change, and that a feed may turn off.
func TestMaxNewPerPoll(t *testing.T) {
	cfg := mustParse(t, `defaults:
  max_new_per_poll: 40
  channels: ["100000000000000001"]
feeds:
  - {id: inherits, url: http://127.0.0.1:8000/a.xml}
  - {id: own, url: http://127.0.0.1:8000/b.xml, max_new_per_poll: 500}
  - {id: off, url: http://127.0.0.1:8000/c.xml, max_new_per_poll: 0}
`, nil)
	for id, want := range map[string]int{"inherits": 40, "own": 500, "off": 0} {
		if f, _ := cfg.Feed(id); f.MaxNewPerPoll != want {
			t.Errorf("feed %s: max_new_per_poll %d, want %d", id, f.MaxNewPerPoll, want)
		}
	}
	if f := mustParse(t, oneFeed(""), nil).Feeds[0]; f.MaxNewPerPoll != 100 {
		t.Errorf("built-in max_new_per_poll = %d, want 100", f.MaxNewPerPoll)
	}
	_, err := Parse([]byte(oneFeed("    max_new_per_poll: -5")), "config.yaml", envOf(nil))
	if want := "config.yaml:5: feeds[0].max_new_per_poll: must not be negative (got -5)"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("negative cap: %v, want %q", err, want)
	}
}
