package config

import (
	"strings"
	"testing"
)

func TestAppendFeeds(t *testing.T) {
	two := 2
	add := []NewFeed{
		{ID: "council", Name: "Council News", URL: "https://example.com/council.xml", Channels: []string{"100000000000000002"}, Schedule: "*/30 * * * *"},
		{ID: "weather", URL: "https://example.com/w.xml", Channels: []string{"100000000000000002"}, Backfill: &two},
	}
	const added = `  - id: council
    name: Council News
    url: https://example.com/council.xml
    channels: ["100000000000000002"]
    schedule: "*/30 * * * *"
  - id: weather
    url: https://example.com/w.xml
    channels: ["100000000000000002"]
    backfill: 2
`
	tests := []struct{ name, in, want string }{
		{"after the last entry, before the next key and its comment", `# my bot
feeds:
  - id: world   # the main one
    url: https://example.com/world.xml
    channels: ["100000000000000001"]

# how the bot logs
log: {level: debug}
`, `# my bot
feeds:
  - id: world   # the main one
    url: https://example.com/world.xml
    channels: ["100000000000000001"]
` + added + `
# how the bot logs
log: {level: debug}
`},
		{"entries spaced by blank lines stay spaced", `feeds:
  - id: a
    url: https://a/
    channels: ["100000000000000001"]

  - id: b
    url: https://b/
    channels: ["100000000000000001"]
# the end`, `feeds:
  - id: a
    url: https://a/
    channels: ["100000000000000001"]

  - id: b
    url: https://b/
    channels: ["100000000000000001"]
# the end

` + strings.Replace(added, "  - id: weather", "\n  - id: weather", 1)},
		{"entries at the key's own indent", "feeds:\n- id: a\n  url: https://a/\n  channels: [\"100000000000000001\"]\n",
			"feeds:\n- id: a\n  url: https://a/\n  channels: [\"100000000000000001\"]\n" + strings.ReplaceAll(added, "\n  ", "\n")[2:]},
		{"an empty flow list", "discord: {token: x}\nfeeds: []   # none yet\ndatabase: n.db\n",
			"discord: {token: x}\nfeeds: # none yet\n" + added + "database: n.db\n"},
		{"a null list", "feeds:\n", "feeds:\n" + added},
		{"no list at all", "database: n.db", "database: n.db\nfeeds:\n" + added},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := AppendFeeds([]byte(tc.in), add)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
			cfg, err := Parse(got, "config.yaml", nil)
			if err != nil {
				t.Fatalf("the result does not parse: %v", err)
			}
			n := len(cfg.Feeds)
			if n < 2 || cfg.Feeds[n-2].Name != "Council News" || cfg.Feeds[n-1].Backfill != 2 || cfg.Feeds[n-1].Schedule != "*/10 * * * *" {
				t.Errorf("feeds read back: %+v", cfg.Feeds)
			}
		})
	}
}

func TestAppendFeedsRefuses(t *testing.T) {
	for in, want := range map[string]string{
		`feeds: [{id: a, url: "https://a/"}]`: `line 1: feeds: is written as a flow list`,
		"feeds: {a: 1}":                       `line 1: feeds: must be a list to import into, not a mapping`,
		"- a\n- b":                            `line 1: the config must be a block mapping`,
		"{feeds: []}":                         `not a mapping`,
		"feeds:\n\t- id: a":                   `indented with a tab`,
	} {
		_, err := AppendFeeds([]byte(in), []NewFeed{{ID: "x", URL: "https://x/"}})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v; want %q", in, err, want)
		}
	}
}

func TestFeedID(t *testing.T) {
	taken := map[string]bool{"world-news": true, "world-news-2": true}
	is := func(id string) bool { return taken[id] }
	for _, tc := range []struct{ title, fallback, want string }{
		{"World News", "", "world-news-3"},
		{"  Ars Technica: All content!  ", "", "ars-technica-all-content"},
		{"Ünïcode — only", "", "n-code-only"},
		{"", "https://example.com/feed.xml", "https-example-com-feed-xml"},
		{"日本語", "", "feed"},
		{strings.Repeat("long words ", 10), "", "long-words-long-words-long-words"},
	} {
		if got := FeedID(tc.title, tc.fallback, is); got != tc.want || !feedIDPattern.MatchString(got) {
			t.Errorf("FeedID(%q, %q) = %q; want %q", tc.title, tc.fallback, got, tc.want)
		}
	}
}

// FuzzAppendFeeds: a feed appended to any config that parses is read back
// as its last feed, and the file's own text is all still there (but for
// an empty value of feeds:).
func FuzzAppendFeeds(f *testing.F) {
	f.Add([]byte(oneFeed("")))
	f.Add([]byte("feeds: []\n"))
	f.Add([]byte("feeds:\n- id: a\n  url: https://a/\n  channels: [\"100000000000000001\"]\n# end\nlog: {level: info}\n"))
	f.Add([]byte("discord: {token: x}\n"))
	add := []NewFeed{{ID: "imported", URL: "https://example.com/i.xml", Channels: []string{"100000000000000009"}}}
	f.Fuzz(func(t *testing.T, data []byte) {
		before, err := Parse(data, "config.yaml", nil)
		if err != nil {
			return
		}
		if _, dup := before.Feed("imported"); dup {
			return
		}
		got, err := AppendFeeds(data, add)
		if err != nil {
			return // a layout it will not edit (flow lists, aliases) says so
		}
		after, err := Parse(got, "config.yaml", nil)
		if err != nil {
			t.Fatalf("appending broke the file: %v\n%s", err, got)
		}
		if n := len(after.Feeds); n != len(before.Feeds)+1 || after.Feeds[n-1].ID != "imported" {
			t.Fatalf("feeds after = %d (last %q); want %d ending with the new one\n%s", n, after.Feeds[n-1].ID, len(before.Feeds)+1, got)
		}
		for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
			// "feeds: []" and "feeds: ~" lose their empty value.
			if !strings.HasPrefix(line, "feeds:") && !strings.Contains(string(got), line) {
				t.Fatalf("line %q of the file is gone:\n%s", line, got)
			}
		}
	})
}
