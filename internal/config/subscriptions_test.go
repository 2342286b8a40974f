package config

import (
	"strings"
	"testing"
)

const subsConfig = `discord:
  guild_id: "100000000000000000"
defaults:
  auto_archive: 3d
  mentions: [{user: "100000000000000010"}]
feeds:
  - id: world
    name: World News
    url: http://127.0.0.1:8000/world.xml
    avatar_url: https://example.com/world.png
    include: ["(?i)korea|election"]
    crosspost: true
    forum: {tags: [world, politics]}
    mentions:
      - role: "100000000000000040"
        include: ["(?i)election"]
      - user: "100000000000000011"
    channels:
      - "100000000000000001"
      - id: "100000000000000003"
        include: []
        exclude: ["(?i)sport"]
        thread: true
        template: "{{.Title}}"
      - id: "100000000000000004"
        mentions: []
        webhook: true
      - id: "100000000000000002"
        webhook: {name: "World desk", avatar_url: "https://example.com/desk.png"}
  - id: tech
    url: http://127.0.0.1:8000/tech.xml
    channels: ["100000000000000002"]
`

func TestSubscriptions(t *testing.T) {
	cfg := mustParse(t, subsConfig, nil)
	world := cfg.Feeds[0]
	if strings.Join(world.Channels, ",") != "100000000000000001,100000000000000003,100000000000000004,100000000000000002" {
		t.Errorf("channels = %v; want every entry's id in order", world.Channels)
	}
	if !world.Crosspost || strings.Join(world.Forum.Tags, ",") != "world,politics" || world.AutoArchive != 4320 {
		t.Errorf("crosspost %v, forum %+v, auto_archive %d", world.Crosspost, world.Forum, world.AutoArchive)
	}
	sub := func(id string) Subscription {
		s, ok := world.Subscription(id)
		if !ok {
			t.Fatalf("no subscription of %s", id)
		}
		return s
	}
	plain, forum, announce, tech := sub("100000000000000001"), sub("100000000000000003"), sub("100000000000000004"), sub("100000000000000002")
	tests := []struct {
		name        string
		sub         Subscription
		title       string
		wantMatch   bool
		roles       string
		users       string
		wantThread  bool
		wantWebhook string
	}{
		{"plain entry takes the feed's filters", plain, "Election day in Korea", true, "100000000000000040", "100000000000000011", false, ""},
		{"feed filter drops a story", plain, "Football results", false, "", "100000000000000011", false, ""},
		{"role only on a matching story", plain, "Korea talks", true, "", "100000000000000011", false, ""},
		{"entry's own filters replace the feed's", forum, "Football results", true, "", "100000000000000011", true, ""},
		{"entry's exclude", forum, "Sport: election of a captain", false, "100000000000000040", "100000000000000011", true, ""},
		{"mentions: [] pings nobody", announce, "Election day", true, "", "", false, "World News https://example.com/world.png"},
		{"webhook with its own name and avatar", tech, "Election day", true, "100000000000000040", "100000000000000011", false, "World desk https://example.com/desk.png"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.sub.Matches(tc.title, ""); got != tc.wantMatch {
				t.Errorf("Matches(%q) = %v", tc.title, got)
			}
			roles, users := tc.sub.Pings(tc.title, "")
			if strings.Join(roles, ",") != tc.roles || strings.Join(users, ",") != tc.users {
				t.Errorf("Pings(%q) = roles %v users %v; want %q %q", tc.title, roles, users, tc.roles, tc.users)
			}
			if tc.sub.Thread != tc.wantThread {
				t.Errorf("thread = %v", tc.sub.Thread)
			}
			hook := ""
			if w := tc.sub.Webhook; w != nil {
				hook = w.Name + " " + w.AvatarURL
			}
			if hook != tc.wantWebhook {
				t.Errorf("webhook = %q; want %q", hook, tc.wantWebhook)
			}
		})
	}
	if forum.TemplateText != "{{.Title}}" || plain.Template != nil {
		t.Errorf("templates: forum %q, plain %v", forum.TemplateText, plain.Template)
	}
	if f := cfg.Feeds[1]; len(f.Mentions) != 1 || f.Mentions[0].User != "100000000000000010" || f.AutoArchive != 4320 {
		t.Errorf("tech inherits defaults: mentions %+v auto_archive %d", f.Mentions, f.AutoArchive)
	}
}

func TestSubscriptionErrors(t *testing.T) {
	feed := func(extra string) string {
		return "discord:\n  guild_id: \"100000000000000000\"\n" + oneFeed(extra)
	}
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"mention with role and user", feed(`    mentions: [{role: "100000000000000040", user: "100000000000000010"}]`),
			[]string{`config.yaml:7: feeds[0].mentions[0]: give role or user, not both (one mention per entry)`}},
		{"mention of nobody", feed(`    mentions: [{include: ["x"]}]`),
			[]string{`config.yaml:7: feeds[0].mentions[0]: missing role or user: whom to ping`}},
		{"mention as a string", feed(`    mentions: ["100000000000000040"]`),
			[]string{`config.yaml:7: feeds[0].mentions[0]: must be a mapping: {role: "<role id>"} or {user: "<user id>"}, with an optional include: [regex…]`}},
		{"mention bad regex", feed(`    mentions: [{role: "100000000000000040", include: ["(?i"]}]`),
			[]string{"config.yaml:7: feeds[0].mentions[0].include[0]: bad regex \"(?i\": error parsing regexp: invalid or unsupported Perl syntax: `(?i`"}},
		{"mention of @everyone", feed(`    mentions: [{role: "100000000000000000"}]`),
			[]string{`config.yaml:7: feeds[0].mentions[0]: role 100000000000000000 is discord.guild_id's @everyone role; newsbot never pings @everyone`}},
		{"@everyone in a channel entry", strings.Replace(feed(""), `["100000000000000001"]`, "\n      - id: \"100000000000000001\"\n        mentions: [{role: \"100000000000000000\"}]", 1),
			[]string{`config.yaml:8: feeds[0].channels[0].mentions[0]: role 100000000000000000 is discord.guild_id's @everyone role; newsbot never pings @everyone`}},
		{"six tags", feed(`    forum: {tags: [a, b, c, d, e, f]}`),
			[]string{`config.yaml:7: feeds[0].forum.tags: a forum post takes at most 5 tags (got 6)`}},
		{"tag twice", feed(`    forum: {tags: [World, world]}`),
			[]string{`config.yaml:7: feeds[0].forum.tags[1]: tag "world" is listed twice`}},
		{"archive time Discord lacks", feed(`    auto_archive: 2h`),
			[]string{`config.yaml:7: feeds[0].auto_archive: "2h" is not a thread archive time Discord offers (want 1h, 1d, 3d or 7d)`}},
		{"webhook name Discord refuses", strings.Replace(feed(""), `["100000000000000001"]`, `[{id: "100000000000000002", webhook: {name: "Discord news"}}]`, 1),
			[]string{`config.yaml:6: feeds[0].channels[0].webhook.name: "Discord news": Discord refuses webhook names containing "discord" or "clyde"`}},
		{"entry without id", strings.Replace(feed(""), `["100000000000000001"]`, `[{thread: true}]`, 1),
			[]string{`config.yaml:6: feeds[0].channels[0]: missing required key "id" (the channel id)`}},
		{"unknown entry key", strings.Replace(feed(""), `["100000000000000001"]`, `[{id: "100000000000000001", threads: true}]`, 1),
			[]string{`config.yaml:6: feeds[0].channels[0]: unknown key "threads" (did you mean "thread"?)`}},
		{"entry twice", strings.Replace(feed(""), `["100000000000000001"]`, `["100000000000000001", {id: "100000000000000001"}]`, 1),
			[]string{`config.yaml:6: feeds[0].channels[1]: channel "100000000000000001" is listed twice`}},
		{"avatar not http", feed(`    avatar_url: ftp://example.com/a.png`),
			[]string{`config.yaml:7: feeds[0].avatar_url: "ftp://example.com/a.png" is not an http(s) URL of an image`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "config.yaml", nil)
			if err == nil {
				t.Fatal("parsed; want an error")
			}
			if got := strings.Split(err.Error(), "\n"); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", err, strings.Join(tc.want, "\n"))
			}
		})
	}
}
