package config

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

func mustParse(t *testing.T, yaml string, env map[string]string) *Config {
	t.Helper()
	cfg, err := Parse([]byte(yaml), "config.yaml", envOf(env))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return cfg
}

func patternsOf(f Feed) (inc, exc []string) {
	for _, re := range f.Include {
		inc = append(inc, re.String())
	}
	for _, re := range f.Exclude {
		exc = append(exc, re.String())
	}
	return inc, exc
}

func TestBuiltinDefaults(t *testing.T) {
	cfg := mustParse(t, oneFeed(""), nil)
	if cfg.Database != "newsbot.db" || cfg.Timezone != "UTC" || cfg.Location != time.UTC {
		t.Errorf("database %q, timezone %q (%v)", cfg.Database, cfg.Timezone, cfg.Location)
	}
	if cfg.Log != (Log{Level: "info", Format: "text"}) {
		t.Errorf("log = %+v", cfg.Log)
	}
	wantFetch := Fetch{UserAgent: DefaultUserAgent(), Timeout: 20 * time.Second, MaxBody: 10 << 20,
		MaxRedirects: 5, MaxConcurrent: 128, PerHost: 2, FailureNoticeAfter: 5}
	if cfg.Fetch != wantFetch {
		t.Errorf("fetch = %+v, want %+v", cfg.Fetch, wantFetch)
	}
	if cfg.Summarize.Engine != "extractive" || cfg.Summarize.OpenAI.Model != "gpt-4o-mini" {
		t.Errorf("summarize = %+v", cfg.Summarize)
	}
	f := cfg.Feeds[0]
	want := Feed{
		ID: "example", Name: "example", URL: "http://127.0.0.1:8000/feed.xml", Kind: "auto",
		Channels: []string{"100000000000000001"}, Schedule: "*/10 * * * *", Updates: UpdatesEditAndReply,
		Comments: Comments{Source: "none", Max: 2000, Refresh: []RefreshStep{
			{Until: 6 * time.Hour, Every: 10 * time.Minute}, {Until: 48 * time.Hour, Every: time.Hour}}},
		Line: 2, AutoArchive: 1440, MaxNewPerPoll: 100,
		Subscriptions: []Subscription{{ChannelID: "100000000000000001", Line: 4}},
	}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("feed =\n%+v\nwant\n%+v", f, want)
	}
}

const inheritYAML = `fetch: {allow_private: true}
defaults:
  kind: rss
  channels: ["100000000000000009"]
  schedule: "@hourly"
  backfill: 5
  updates: edit
  thread: true
  include: ["(?i)korea"]
  exclude: ["(?i)sponsored"]
  template: "{{.Title}}"
  comments:
    source: page
    max: 100
    refresh: [{until: 1h, every: 5m}]
feeds:
  - id: inherits
    url: a.xml
  - id: overrides
    url: b.xml
    kind: atom
    channels: ["100000000000000001"]
    schedule: "*/5 * * * *"
    backfill: 0
    updates: none
    thread: false
    allow_private: false
    include: []
    exclude: ["(?i)ad"]
    template: ""
    comments: {max: 10}
  - id: partial
    url: c.xml
    comments: {source: hackernews, refresh: []}
`

func TestDefaultsInheritance(t *testing.T) {
	cfg := mustParse(t, inheritYAML, nil)
	in, _ := cfg.Feed("inherits")
	inc, exc := patternsOf(in)
	if in.Kind != "rss" || in.Schedule != "@hourly" || in.Backfill != 5 || in.Updates != UpdatesEdit ||
		!in.Thread || !in.AllowPrivate || !slices.Equal(in.Channels, []string{"100000000000000009"}) ||
		!slices.Equal(inc, []string{"(?i)korea"}) || !slices.Equal(exc, []string{"(?i)sponsored"}) ||
		in.Template == nil || in.TemplateText != "{{.Title}}" {
		t.Errorf("inherits = %+v", in)
	}
	wantComments := Comments{Source: "page", Max: 100, Refresh: []RefreshStep{{Until: time.Hour, Every: 5 * time.Minute}}}
	if !reflect.DeepEqual(in.Comments, wantComments) {
		t.Errorf("inherits.comments = %+v, want %+v", in.Comments, wantComments)
	}

	// Explicit zero values must override the defaults, not fall back to them.
	ov, _ := cfg.Feed("overrides")
	inc, exc = patternsOf(ov)
	if ov.Kind != "atom" || ov.Schedule != "*/5 * * * *" || ov.Backfill != 0 || ov.Updates != UpdatesNone ||
		ov.Thread || ov.AllowPrivate || !slices.Equal(ov.Channels, []string{"100000000000000001"}) ||
		len(inc) != 0 || !slices.Equal(exc, []string{"(?i)ad"}) || ov.Template != nil || ov.TemplateText != "" {
		t.Errorf("overrides = %+v", ov)
	}
	if ov.Comments.Source != "page" || ov.Comments.Max != 10 || len(ov.Comments.Refresh) != 1 {
		t.Errorf("overrides.comments = %+v, want page/10 with the inherited refresh", ov.Comments)
	}

	part, _ := cfg.Feed("partial")
	if part.Comments.Source != "hackernews" || part.Comments.Max != 100 || part.Comments.Refresh == nil || len(part.Comments.Refresh) != 0 {
		t.Errorf("partial.comments = %+v, want hackernews/100 with no refresh", part.Comments)
	}

	// Feeds must not share slices with the defaults or each other.
	in.Channels[0] = "changed"
	if cfg.Defaults.Channels[0] != "100000000000000009" || part.Channels[0] != "100000000000000009" {
		t.Errorf("changing one feed's channels changed the defaults or another feed")
	}
	if _, ok := cfg.Feed("missing"); ok {
		t.Errorf("Feed(missing) found something")
	}
}

func TestEnvExpansion(t *testing.T) {
	env := map[string]string{
		"TOKEN":  "secret-token",
		"EMPTY":  "",
		"INJECT": "x.db\nfeeds: [{id: evil, url: evil.xml, channels: [\"100000000000000666\"]}]",
		"QUOTE":  `a", "b": "c`,
		"NUM":    "7",
	}
	tests := []struct {
		in, want string
		missing  []string
	}{
		{"plain", "plain", nil},
		{"${TOKEN}", "secret-token", nil},
		{"Bot ${TOKEN}!", "Bot secret-token!", nil},
		{"${UNSET}", "", []string{"UNSET"}},
		{"${EMPTY}", "", nil},
		{"${EMPTY:-fallback}", "fallback", nil},
		{"${UNSET:-fall back}", "fall back", nil},
		{"${TOKEN:-fallback}", "secret-token", nil},
		{"$${TOKEN}", "${TOKEN}", nil},
		{"news$ and $5", "news$ and $5", nil},
		{"${NUM}${NUM}", "77", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, missing, err := expand(tt.in, envOf(env))
			if err != nil || got != tt.want || !slices.Equal(missing, tt.missing) {
				t.Errorf("expand(%q) = %q, %v, %v; want %q, %v", tt.in, got, missing, err, tt.want, tt.missing)
			}
		})
	}

	t.Run("values only, never structure", func(t *testing.T) {
		cfg := mustParse(t, `discord: {token: "${QUOTE}"}
database: ${INJECT}
feeds:
  - id: example
    url: http://127.0.0.1:8000/feed.xml
    channels: ["100000000000000001"]
    backfill: ${NUM}
`, env)
		if cfg.Discord.Token != env["QUOTE"] || cfg.Database != env["INJECT"] {
			t.Errorf("token %q, database %q: want the variables' text verbatim", cfg.Discord.Token, cfg.Database)
		}
		if len(cfg.Feeds) != 1 || cfg.Feeds[0].ID != "example" || cfg.Feeds[0].Backfill != 7 {
			t.Errorf("feeds = %+v; the environment must not add feeds", cfg.Feeds)
		}
	})

	t.Run("unset token is left empty", func(t *testing.T) {
		cfg := mustParse(t, "discord:\n  token: ${DISCORD_TOKEN}\n", nil)
		if cfg.Discord.Token != "" || !strings.Contains(cfg.Summary(), "token     not set (needed by `run`; set DISCORD_TOKEN)") {
			t.Errorf("token %q; summary:\n%s", cfg.Discord.Token, cfg.Summary())
		}
	})

	t.Run("api_url from the environment wins", func(t *testing.T) {
		cfg := mustParse(t, "discord: {api_url: \"http://127.0.0.1:1/\"}\n",
			map[string]string{"NEWSBOT_DISCORD_API_URL": "http://127.0.0.1:7777/"})
		if cfg.Discord.APIURL != "http://127.0.0.1:7777" {
			t.Errorf("api_url = %q", cfg.Discord.APIURL)
		}
		cfg = mustParse(t, "discord: {api_url: \"http://127.0.0.1:1/\"}\n", nil)
		if cfg.Discord.APIURL != "http://127.0.0.1:1" {
			t.Errorf("api_url = %q", cfg.Discord.APIURL)
		}
	})
}

func TestExampleLoads(t *testing.T) {
	path := filepath.Join("..", "..", "config.example.yaml")
	t.Setenv("DISCORD_TOKEN", "")
	os.Unsetenv("DISCORD_TOKEN")
	t.Setenv("NEWSBOT_DISCORD_API_URL", "")
	cfg, err := Load(path)
	if err != nil {
		t.Fatalf("Load(%s): %v", path, err)
	}
	if cfg.Discord.GuildID != "100000000000000000" || cfg.Discord.APIURL != "" || cfg.Discord.Token != "" || !cfg.Fetch.AllowPrivate {
		t.Errorf("discord %+v, allow_private %v", cfg.Discord, cfg.Fetch.AllowPrivate)
	}
	if len(cfg.Feeds) < 2 {
		t.Fatalf("example has %d feeds, want at least 2", len(cfg.Feeds))
	}
	for _, f := range cfg.Feeds {
		if !strings.HasPrefix(f.URL, "http://127.0.0.1:8765/") || f.IsLocal() {
			t.Errorf("feed %s url %q: want the playground's server", f.ID, f.URL)
		}
		for _, ch := range f.Channels {
			if ch != "100000000000000001" && ch != "100000000000000002" {
				t.Errorf("feed %s posts to %s", f.ID, ch)
			}
		}
		if next, err := f.NextRun(time.Now()); err != nil || next.IsZero() {
			t.Errorf("feed %s: next run %v, %v", f.ID, next, err)
		}
	}
	// Every key the file can hold appears in the example, so it documents itself.
	data, _ := os.ReadFile(path)
	for _, key := range append(append(slices.Clone(topKeys), feedKeys...), "token", "application_id", "guild_id",
		"api_url", "level", "format", "allow_private", "user_agent", "timeout", "max_body", "max_redirects",
		"max_concurrent", "per_host", "jitter", "failure_notice_after", "engine", "openai", "base_url", "model", "api_key",
		"source", "max", "refresh", "until", "every", "selectors", "container", "author", "time", "body", "parent",
		"role", "user", "tags", "webhook", "id") {
		if !strings.Contains(string(data), key+":") {
			t.Errorf("config.example.yaml does not show %q", key)
		}
	}
}

func TestLocalPaths(t *testing.T) {
	cfg, err := Load(filepath.Join("testdata", "good", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join("testdata", "good", "data", "news.db"); cfg.Database != want {
		t.Errorf("database = %q, want %q", cfg.Database, want)
	}
	tests := []struct {
		id, url string
		local   bool
	}{
		{"local", filepath.Join("testdata", "good", "feeds", "local.xml"), true},
		{"absolute", "/srv/news/feed.xml", true},
		{"remote", "https://example.com/feed.xml", false},
	}
	for _, tt := range tests {
		f, ok := cfg.Feed(tt.id)
		if !ok || f.URL != tt.url || f.IsLocal() != tt.local {
			t.Errorf("feed %s: url %q local %v, want %q %v", tt.id, f.URL, f.IsLocal(), tt.url, tt.local)
		}
	}
	if f, _ := cfg.Feed("local"); f.IsLocal() {
		if _, err := os.Stat(f.URL); err != nil {
			t.Errorf("resolved path does not reach the fixture: %v", err)
		}
	}
	if mem := mustParse(t, "database: \":memory:\"\n", nil); mem.Database != ":memory:" {
		t.Errorf("database = %q", mem.Database)
	}
	// A PostgreSQL URL is a server, not a file beside the config; check
	// shows it without its password.
	pg := mustParse(t, "database: ${DATABASE_URL}\n", map[string]string{"DATABASE_URL": "postgres://bot:s3cret@db.internal:5432/news"})
	if pg.Database != "postgres://bot:s3cret@db.internal:5432/news" {
		t.Errorf("database = %q, want the URL as written", pg.Database)
	}
	if sum := pg.Summary(); strings.Contains(sum, "s3cret") || !strings.Contains(sum, "postgres://bot:xxxxx@db.internal:5432/news") {
		t.Errorf("summary shows the database as:\n%s", sum)
	}
	if _, err := Load(filepath.Join("testdata", "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("Load(missing) = %v", err)
	}
}

func TestMatches(t *testing.T) {
	cfg := mustParse(t, oneFeed(`    include: ["(?i)korea", "election"]
    exclude: ["(?i)sponsored"]
  - id: all
    url: b.xml
    channels: ["100000000000000001"]
`), nil)
	filtered, all := cfg.Feeds[0], cfg.Feeds[1]
	tests := []struct {
		title, text string
		want        bool
	}{
		{"North Korea talks", "", true},
		{"Talks", "in south KOREA today", true},
		{"The election", "", true},
		{"Weather", "sunny", false},
		{"Korea trip (Sponsored)", "", false},
		{"Korea", "this post is sponsored", false},
	}
	for _, tt := range tests {
		if got := filtered.Matches(tt.title, tt.text); got != tt.want {
			t.Errorf("Matches(%q, %q) = %v, want %v", tt.title, tt.text, got, tt.want)
		}
		if !all.Matches(tt.title, tt.text) {
			t.Errorf("a feed without filters rejected %q", tt.title)
		}
	}
}

func TestUpdateMode(t *testing.T) {
	for _, tt := range []struct {
		m           UpdateMode
		edit, reply bool
	}{{UpdatesEditAndReply, true, true}, {UpdatesEdit, true, false}, {UpdatesReply, false, true}, {UpdatesNone, false, false}} {
		if tt.m.Edit() != tt.edit || tt.m.Reply() != tt.reply {
			t.Errorf("%s: Edit %v Reply %v", tt.m, tt.m.Edit(), tt.m.Reply())
		}
	}
}

func TestNextRun(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	tests := []struct {
		schedule string
		after    time.Time
		want     time.Time
	}{
		{"*/10 * * * *", now, time.Date(2025, 1, 2, 3, 10, 0, 0, time.UTC)},
		{"@every 2s", now, now.Add(2 * time.Second)},
		{"@hourly", now, time.Date(2025, 1, 2, 4, 0, 0, 0, time.UTC)},
		{"0 9 * * *", now.In(berlin), time.Date(2025, 1, 2, 8, 0, 0, 0, time.UTC)},
		{"CRON_TZ=Asia/Seoul 0 9 * * *", now, time.Date(2025, 1, 3, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, err := Feed{ID: "x", Schedule: tt.schedule}.NextRun(tt.after)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("NextRun(%q) = %v, %v; want %v", tt.schedule, got, err, tt.want)
		}
	}
	if _, err := (Feed{ID: "x", Schedule: "nope"}).NextRun(now); err == nil || !strings.Contains(err.Error(), `feed x: schedule "nope"`) {
		t.Errorf("bad schedule: %v", err)
	}
}

func TestSchedulesAccepted(t *testing.T) {
	for _, spec := range []string{"0 0 29 2 *", "0 0 30 2 1", "@every 1s", "@every 100ms", "@every 1h30m", "@daily", "@midnight",
		"*/59 * * * *", "0 9 * * mon-fri", "CRON_TZ=Asia/Seoul 0 9 * * *", "TZ=UTC 0 0 1 1 *"} {
		cfg := mustParse(t, oneFeed("    schedule: \""+spec+"\""), nil)
		if cfg.Feeds[0].Schedule != spec {
			t.Errorf("schedule %q read as %q", spec, cfg.Feeds[0].Schedule)
		}
	}
}

func TestTemplateFuncs(t *testing.T) {
	cfg := mustParse(t, oneFeed(`    template: '{{truncate 8 (join " " .Paragraphs) | upper}} {{.Published.Year}} {{range .Paragraphs}}{{.}},{{end}}'`), nil)
	var b strings.Builder
	story := templateStory()
	if err := cfg.Feeds[0].Template.Execute(&b, story); err != nil {
		t.Fatal(err)
	}
	if want := "ONE TWO… 2024 one,twothree,"; b.String() != want {
		t.Errorf("template wrote %q, want %q", b.String(), want)
	}
}

func templateStory() news.Story {
	return news.Story{Title: "T", Paragraphs: []string{"one", "twothree"}, Published: time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)}
}
