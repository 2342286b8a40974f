package config

import (
	"errors"
	"strings"
	"testing"
)

// oneFeed is a valid config whose feed takes extra lines from line 5 on.
func oneFeed(extra string) string {
	return `feeds:
  - id: example
    url: http://127.0.0.1:8000/feed.xml
    channels: ["100000000000000001"]
` + extra
}

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		env  map[string]string
		want []string // every error line, in order
	}{
		{"unknown feed key with suggestion", oneFeed(`    schedul: "@every 2s"`),
			nil, []string{`config.yaml:5: feeds[0] ("example"): unknown key "schedul" (did you mean "schedule"?)`}},
		{"unknown top-level key", "databse: x.db\n", nil,
			[]string{`config.yaml:1: unknown key "databse" (did you mean "database"?)`}},
		{"unknown key without suggestion", "discord:\n  password: x\n", nil,
			[]string{`config.yaml:2: discord: unknown key "password"`}},
		{"hyphen for underscore", "fetch:\n  allow-private: true\n", nil,
			[]string{`config.yaml:2: fetch: unknown key "allow-private" (did you mean "allow_private"?)`}},
		{"duplicate key", "database: a.db\ndatabase: b.db\n", nil,
			[]string{`config.yaml:2: database: duplicate key "database" (first at line 1)`}},
		{"merge key", "defaults: &d\n  backfill: 1\nfeeds:\n  - <<: *d\n    id: x\n", nil,
			[]string{`config.yaml:4: feeds[0]: merge keys (<<) are not supported; put settings that feeds share under defaults`,
				`config.yaml:4: feeds[0] ("x"): missing required key "url"`,
				`config.yaml:4: feeds[0] ("x"): no channels: set channels: ["<channel id>"] on the feed or under defaults`}},
		{"bad cron", oneFeed(`    schedule: "*/61 * * * *"`), nil,
			[]string{`config.yaml:5: feeds[0].schedule: bad cron expression "*/61 * * * *": minute step 61 is too large (at most 59)`}},
		{"hour step too large", oneFeed(`    schedule: "0 */24 * * *"`), nil,
			[]string{`config.yaml:5: feeds[0].schedule: bad cron expression "0 */24 * * *": hour step 24 is too large (at most 23)`}},
		{"minute out of range", oneFeed(`    schedule: "60 * * * *"`), nil,
			[]string{`config.yaml:5: feeds[0].schedule: bad cron expression "60 * * * *": end of range (60) above maximum (59): 60`}},
		{"cron that never fires", oneFeed(`    schedule: "0 0 30 2 *"`), nil,
			[]string{`config.yaml:5: feeds[0].schedule: bad cron expression "0 0 30 2 *": it never fires`}},
		{"cron on days no listed month has", oneFeed(`    schedule: "0 0 31 4,6 *"`), nil,
			[]string{`config.yaml:5: feeds[0].schedule: bad cron expression "0 0 31 4,6 *": it never fires`}},
		{"bare CRON_TZ", oneFeed(`    schedule: "CRON_TZ=UTC"`), nil,
			[]string{`config.yaml:5: feeds[0].schedule: bad cron expression "CRON_TZ=UTC": a schedule must follow the time zone (CRON_TZ=Europe/Berlin 0 9 * * *)`}},
		{"bad CRON_TZ zone", oneFeed(`    schedule: "CRON_TZ=Mars/Base 0 9 * * *"`), nil,
			[]string{`config.yaml:5: feeds[0].schedule: bad cron expression "CRON_TZ=Mars/Base 0 9 * * *": provided bad location Mars/Base: unknown time zone Mars/Base`}},
		{"every not positive", oneFeed(`    schedule: "@every -5s"`), nil,
			[]string{`config.yaml:5: feeds[0].schedule: bad cron expression "@every -5s": @every needs a positive duration, got -5s`}},
		{"channel not a snowflake", strings.Replace(oneFeed(""), `["100000000000000001"]`, `["100000000000000001", "abc"]`, 1), nil,
			[]string{`config.yaml:4: feeds[0].channels[1]: "abc" is not a Discord channel id (a snowflake: 17–20 digits)`}},
		{"channel beyond uint64", strings.Replace(oneFeed(""), `["100000000000000001"]`, `[99999999999999999999]`, 1), nil,
			[]string{`config.yaml:4: feeds[0].channels[0]: "99999999999999999999" is not a Discord channel id (a snowflake: 17–20 digits)`}},
		{"channel twice", strings.Replace(oneFeed(""), `["100000000000000001"]`, `["100000000000000001", "100000000000000001"]`, 1), nil,
			[]string{`config.yaml:4: feeds[0].channels[1]: channel "100000000000000001" is listed twice`}},
		{"empty channels", strings.Replace(oneFeed(""), `["100000000000000001"]`, `[]`, 1), nil,
			[]string{`config.yaml:4: feeds[0].channels: must list at least one channel id`}},
		{"empty url and id", "feeds:\n  - id:\n    url:\n    channels: [\"100000000000000001\"]\n", nil,
			[]string{`config.yaml:2: feeds[0].id: empty id; give the feed's id`, `config.yaml:3: feeds[0].url: empty url; give the feed's url`}},
		{"no channels", "feeds:\n  - id: example\n    url: feed.xml\n", nil,
			[]string{`config.yaml:2: feeds[0] ("example"): no channels: set channels: ["<channel id>"] on the feed or under defaults`}},
		{"duplicate feed id", `feeds:
  - id: world
    url: a.xml
    channels: ["100000000000000001"]
  - id: tech
    url: b.xml
    channels: ["100000000000000001"]
  - id: world
    url: c.xml
    channels: ["100000000000000001"]
`, nil, []string{`config.yaml:8: feeds[2].id: duplicate feed id "world" (first at line 2)`}},
		{"missing id and url", "feeds:\n  - channels: [\"100000000000000001\"]\n", nil,
			[]string{`config.yaml:2: feeds[0]: missing required key "id"`, `config.yaml:2: feeds[0]: missing required key "url"`}},
		{"bad feed id", strings.Replace(oneFeed(""), "id: example", "id: World News", 1), nil,
			[]string{`config.yaml:2: feeds[0].id: "World News" is not a feed id (1–32 of a-z, 0-9, _ and -)`}},
		{"empty feed", "feeds:\n  -\n", nil,
			[]string{`config.yaml:2: feeds[0]: empty feed; give at least id, url and channels`}},
		{"feeds not a list", "feeds: world\n", nil,
			[]string{`config.yaml:1: feeds: must be a list of feeds (- id: …), not the value "world"`}},
		{"unsupported scheme", strings.Replace(oneFeed(""), "http://127.0.0.1:8000/feed.xml", "ftp://example.com/feed.xml", 1), nil,
			[]string{`config.yaml:3: feeds[0].url: unsupported URL scheme "ftp" (want http, https or a file path)`}},
		{"http without host", strings.Replace(oneFeed(""), "http://127.0.0.1:8000/feed.xml", "http:///feed.xml", 1), nil,
			[]string{`config.yaml:3: feeds[0].url: "http:///feed.xml" is not an http(s) URL such as http://127.0.0.1:7777`}},
		{"relative file URL", strings.Replace(oneFeed(""), "http://127.0.0.1:8000/feed.xml", "file://feed.xml", 1), nil,
			[]string{`config.yaml:3: feeds[0].url: "file://feed.xml": a file URL needs an absolute path (file:///path/to/feed.xml)`}},
		{"bad include regex", oneFeed(`    include: ["(korea"]`), nil,
			[]string{"config.yaml:5: feeds[0].include[0]: bad regex \"(korea\": error parsing regexp: missing closing ): `(korea`"}},
		{"bad exclude regex", oneFeed("    exclude:\n      - ok\n      - \"a**\""), nil,
			[]string{"config.yaml:7: feeds[0].exclude[1]: bad regex \"a**\": error parsing regexp: invalid nested repetition operator: `**`"}},
		{"bad timezone", "timezone: Mars/Olympus\n", nil,
			[]string{`config.yaml:1: timezone: unknown time zone "Mars/Olympus" (want an IANA name such as UTC or Europe/Berlin)`}},
		{"unknown kind with suggestion", oneFeed("    kind: rsss"), nil,
			[]string{`config.yaml:5: feeds[0].kind: unknown kind "rsss" (did you mean "rss"?)`}},
		{"unknown kind", oneFeed("    kind: xml"), nil,
			[]string{`config.yaml:5: feeds[0].kind: unknown kind "xml" (want auto, rss, atom, json or page)`}},
		{"unknown updates", oneFeed("    updates: edit-and-reply"), nil,
			[]string{`config.yaml:5: feeds[0].updates: unknown updates mode "edit-and-reply" (did you mean "edit_and_reply"?)`}},
		{"unknown comment source", oneFeed("    comments: {source: disqus}"), nil,
			[]string{`config.yaml:5: feeds[0].comments.source: unknown comment source "disqus" (want page, rss, hackernews, reddit or none)`}},
		{"unknown comment source shorthand", oneFeed("    comments: disqus"), nil,
			[]string{`config.yaml:5: feeds[0].comments.source: unknown comment source "disqus" (want page, rss, hackernews, reddit or none)`}},
		{"negative backfill", oneFeed("    backfill: -1"), nil,
			[]string{`config.yaml:5: feeds[0].backfill: must not be negative (got -1)`}},
		{"backfill not a number", oneFeed("    backfill: lots"), nil,
			[]string{`config.yaml:5: feeds[0].backfill: "lots" is not a whole number`}},
		{"thread not a bool", oneFeed("    thread: maybe"), nil,
			[]string{`config.yaml:5: feeds[0].thread: "maybe" is not true or false`}},
		{"name is a list", oneFeed("    name: [a, b]"), nil,
			[]string{`config.yaml:5: feeds[0].name: must be a single value, not a list`}},
		{"refresh out of order", oneFeed("    comments:\n      source: page\n      refresh:\n        - {until: 6h, every: 10m}\n        - {until: 1h, every: 1m}"), nil,
			[]string{`config.yaml:9: feeds[0].comments.refresh[1].until: 1h0m0s must be later than the step before (6h0m0s)`}},
		{"refresh step incomplete", oneFeed("    comments:\n      refresh:\n        - {until: 6h}"), nil,
			[]string{`config.yaml:7: feeds[0].comments.refresh[0]: missing required key "every"`}},
		{"comments max zero", oneFeed("    comments: {max: 0}"), nil,
			[]string{`config.yaml:5: feeds[0].comments.max: must be at least 1 (got 0)`}},
		{"selectors with rss", oneFeed("    comments:\n      source: rss\n      selectors: {container: .c}"), nil,
			[]string{`config.yaml:7: feeds[0].comments.selectors: only used with source: page, not "rss"`}},
		{"bad selector", oneFeed("    comments:\n      source: page\n      selectors: {container: \"div[\"}"), nil,
			[]string{`config.yaml:7: feeds[0].comments.selectors.container: bad CSS selector "div[": expected identifier, found EOF instead`}},
		{"selectors without container", oneFeed("    comments:\n      source: page\n      selectors: {body: .b}"), nil,
			[]string{`config.yaml:7: feeds[0].comments.selectors: missing required key "container" (the selector of one comment)`}},
		{"template field typo", oneFeed(`    template: "{{.Titel}}"`), nil,
			[]string{`config.yaml:5: feeds[0].template: bad template: the story has no field Titel (the data is a news.Story: .Title, .URL, .Paragraphs, …)`}},
		{"template nested field typo", oneFeed(`    template: "{{with .Title}}{{.}}{{end}}{{.Published.Yeer}}"`), nil,
			[]string{`config.yaml:5: feeds[0].template: bad template: .Published has no field Yeer (the data is a news.Story: .Title, .URL, .Paragraphs, …)`}},
		{"template syntax", oneFeed(`    template: "{{if}}"`), nil,
			[]string{`config.yaml:5: feeds[0].template: bad template: template: example:1: missing value for if`}},
		{"yaml syntax error", "feeds:\n  - id: a\n    url: [unclosed\n", nil,
			[]string{`config.yaml:3: YAML syntax error: did not find expected ',' or ']'`}},
		{"yaml error on line 1", "discord: {token: ${DISCORD_TOKEN}}\n", nil,
			[]string{`config.yaml:1: YAML syntax error: did not find expected ',' or '}'`}},
		{"yaml block sequence error", "feeds:\n  - id: a\n  url: b\n", nil,
			[]string{`config.yaml:2: YAML syntax error: did not find expected '-' indicator`}},
		{"yaml scanner error", "database: a.db\nfeeds: x: y\n", nil,
			[]string{`config.yaml:2: YAML syntax error: mapping values are not allowed in this context`}},
		{"unknown anchor", "database: a.db\n\nfeeds: *shared\n", nil,
			[]string{`config.yaml:3: YAML syntax error: unknown anchor 'shared' referenced`}},
		{"tab indentation", "feeds:\n\t- id: a\n", nil,
			[]string{`config.yaml:2: line is indented with a tab; YAML indents with spaces only`}},
		{"two documents", "database: a.db\n---\ndatabase: b.db\n", nil,
			[]string{`config.yaml:2: only one YAML document is allowed (remove the second ---)`}},
		{"empty file", "# nothing here\n", nil,
			[]string{`config.yaml: file is empty; see config.example.yaml for a start`}},
		{"top level is a list", "- a\n", nil,
			[]string{`config.yaml:1: must be a mapping of keys to values, not a list`}},
		{"section is a scalar", "fetch: fast\n", nil,
			[]string{`config.yaml:1: fetch: must be a mapping of keys to values, not the value "fast"`}},
		{"unset variable", "database: ${DB_PATH}\n", nil,
			[]string{`config.yaml:1: database: environment variable DB_PATH is not set (use ${DB_PATH:-default} for a fallback)`}},
		{"unterminated variable", "database: \"${DB_PATH\"\n", nil,
			[]string{`config.yaml:1: database: bad value: unterminated "${DB_PATH" (write $${ for a literal ${)`}},
		{"bad variable name", "database: \"${DB PATH}\"\n", nil,
			[]string{`config.yaml:1: database: bad value: bad variable reference "${DB PATH}" (want ${NAME} or ${NAME:-default})`}},
		{"openai key unset", "summarize:\n  engine: openai\n  openai:\n    api_key: ${OPENAI_API_KEY}\n", nil,
			[]string{`config.yaml:4: summarize.openai.api_key: environment variable OPENAI_API_KEY is not set (needed by summarize.engine: openai)`}},
		{"bad guild id", "discord:\n  guild_id: \"my server\"\n", nil,
			[]string{`config.yaml:2: discord.guild_id: "my server" is not a Discord guild id (a snowflake: 17–20 digits)`}},
		{"bad api_url", "discord:\n  api_url: 127.0.0.1:7777\n", nil,
			[]string{`config.yaml:2: discord.api_url: "127.0.0.1:7777" is not an http(s) URL such as http://127.0.0.1:7777`}},
		{"bad api_url from env", "database: a.db\n", map[string]string{"NEWSBOT_DISCORD_API_URL": "ftp://x"},
			[]string{`config.yaml: NEWSBOT_DISCORD_API_URL: "ftp://x" is not an http(s) URL such as http://127.0.0.1:7777`}},
		{"bad log level", "log: {level: verbose}\n", nil,
			[]string{`config.yaml:1: log.level: unknown log level "verbose" (want debug, info, warn or error)`}},
		{"bad fetch values", "fetch:\n  timeout: soon\n  max_body: 10 furlongs\n  per_host: 0\n  jitter: -1s\n  max_concurrent: 0\n", nil,
			[]string{
				`config.yaml:2: fetch.timeout: "soon" is not a duration (e.g. 30s, 10m, 1h30m)`,
				`config.yaml:3: fetch.max_body: "10 furlongs" is not a size (e.g. 512KiB, 10MiB, 1MB)`,
				`config.yaml:4: fetch.per_host: must be at least 1 (got 0)`,
				`config.yaml:5: fetch.jitter: must not be negative (got -1s)`,
				`config.yaml:6: fetch.max_concurrent: must be at least 1 (got 0)`,
			}},
		{"size overflow", "fetch: {max_body: 99999999999GiB}\n", nil,
			[]string{`config.yaml:1: fetch.max_body: size "99999999999GiB" is out of range`}},
		{"defaults reject feed-only keys", "defaults:\n  id: x\n  channels: []\n", nil,
			[]string{`config.yaml:2: defaults: unknown key "id"`}},
		{"every problem, in line order", `timezone: Nowhere
feeds:
  - id: a
    url: a.xml
    channels: ["1"]
    backfill: -2
  - id: b
    url: b.xml
    channels: ["100000000000000001"]
    schedule: "@weekly-ish"
log: {format: xml}
`, nil, []string{
			`config.yaml:1: timezone: unknown time zone "Nowhere" (want an IANA name such as UTC or Europe/Berlin)`,
			`config.yaml:5: feeds[0].channels[0]: "1" is not a Discord channel id (a snowflake: 17–20 digits)`,
			`config.yaml:6: feeds[0].backfill: must not be negative (got -2)`,
			`config.yaml:10: feeds[1].schedule: bad cron expression "@weekly-ish": unrecognized descriptor: @weekly-ish`,
			`config.yaml:11: log.format: unknown log format "xml" (want text or json)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.yaml), "config.yaml", envOf(tt.env))
			if err == nil {
				t.Fatalf("Parse succeeded (%d feeds), want errors:\n%s", len(cfg.Feeds), strings.Join(tt.want, "\n"))
			}
			if cfg != nil {
				t.Errorf("Parse returned a config along with its error")
			}
			if got, want := err.Error(), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("errors:\n%s\nwant:\n%s", got, want)
			}
			var ce *Error
			if !errors.As(err, &ce) || ce.File != "config.yaml" {
				t.Errorf("error is not a *config.Error naming the file: %#v", err)
			}
		})
	}
}
