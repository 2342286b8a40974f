package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/newsbot-dev/newsbot/internal/english"
)

// Summary describes what the configuration would run, for `newsbot
// check`. It never contains the Discord token or the OpenAI key.
func (c *Config) Summary() string { return c.SummaryAt(time.Now()) }

// SummaryAt is Summary with next run times computed from now.
func (c *Config) SummaryAt(now time.Time) string {
	var b strings.Builder
	row := func(indent, key, format string, args ...any) {
		fmt.Fprintf(&b, "%s%-10s%s\n", indent, key, fmt.Sprintf(format, args...))
	}
	row("", "config", "%s", c.Path)
	row("", "discord", "%s", c.Discord.target())
	row("", "token", "%s", c.Discord.tokenState())
	if c.Discord.ApplicationID == "" {
		row("", "app id", "read from Discord at start")
	} else {
		row("", "app id", "%s", c.Discord.ApplicationID)
	}
	if c.Discord.GuildID == "" {
		row("", "commands", "global (Discord may take a while to show them)")
	} else {
		row("", "commands", "guild %s (shown at once)", c.Discord.GuildID)
	}
	if c.Interactions.Listen != "" {
		row("", "", "also received over HTTP on %s (signatures checked with discord.public_key)", c.Interactions.Listen)
	}
	if c.Discord.Shards.Sharded() {
		row("", "shards", "%s (`run --shard-ids` picks the ones a process holds)", c.Discord.Shards)
	}
	row("", "database", "%s", redactDatabase(c.Database))
	if IsDatabaseURL(c.Database) {
		row("", "cluster", "claims lease %s; %d Discord requests a second in all", fmtDuration(c.Cluster.Lease), c.Cluster.DiscordRate)
	}
	row("", "timezone", "%s", c.Timezone)
	row("", "log", "%s, %s", c.Log.Level, c.Log.Format)
	f := c.Fetch
	row("", "fetch", "private addresses %s; timeout %s; body up to %s; %d redirects; %d per host",
		allowed(f.AllowPrivate), fmtDuration(f.Timeout), fmtSize(f.MaxBody), f.MaxRedirects, f.PerHost)
	row("", "", "%d fetches at once; jitter %s; channel notice after %s; user agent %q",
		f.MaxConcurrent, f.jitter(), english.Plural(f.FailureNoticeAfter, "failure"), f.UserAgent)
	row("", "summarize", "%s", c.Summarize.describe())
	if c.Metrics.Listen != "" {
		row("", "metrics", "http://%s/metrics and /healthz", c.Metrics.Listen)
	}
	if len(c.Feeds) == 0 {
		b.WriteString("feeds     none\n")
		return b.String()
	}
	fmt.Fprintf(&b, "\n%s:\n", english.Plural(len(c.Feeds), "feed"))
	loc := c.Location
	if loc == nil {
		loc = time.UTC
	}
	for _, feed := range c.Feeds {
		feed.describe(&b, now.In(loc))
	}
	return b.String()
}

func (f Feed) describe(b *strings.Builder, now time.Time) {
	row := func(key, format string, args ...any) {
		fmt.Fprintf(b, "    %-10s%s\n", key, fmt.Sprintf(format, args...))
	}
	fmt.Fprintf(b, "  %s", f.ID)
	if f.Name != f.ID {
		fmt.Fprintf(b, " %q", f.Name)
	}
	fmt.Fprintf(b, " (line %d)\n", f.Line)
	where := "kind " + string(f.Kind)
	if f.IsLocal() {
		where = "local file, " + where
	}
	row("url", "%s (%s)", redact(f.URL), where)
	row("schedule", "%s, next run %s", f.Schedule, f.nextRun(now))
	row("channels", "%s", f.describeChannels())
	if len(f.Mentions) > 0 {
		row("mentions", "%s", describeMentions(f.Mentions))
	}
	if f.Crosspost {
		row("crosspost", "yes (in announcement channels)")
	}
	if len(f.Forum.Tags) > 0 {
		row("forum", "tags %s", strings.Join(f.Forum.Tags, ", "))
	}
	row("backfill", "%s", english.Plural(f.Backfill, "item"))
	row("new items", "%s", f.describeCap())
	row("updates", "%s", f.Updates.describe())
	row("thread", "%s", yesNo(f.Thread))
	row("private", "%s", allowed(f.AllowPrivate))
	row("filters", "%s", f.filters())
	row("comments", "%s", f.Comments.describe())
	if f.Template != nil {
		row("template", "custom, %s", english.Plural(strings.Count(strings.TrimRight(f.TemplateText, "\n"), "\n")+1, "line"))
	}
}

func (f Feed) describeCap() string {
	if f.MaxNewPerPoll <= 0 {
		return "no cap"
	}
	return fmt.Sprintf("at most %d a poll, the newest; the rest skipped", f.MaxNewPerPoll)
}

func (f Feed) nextRun(now time.Time) string {
	t, err := f.NextRun(now)
	switch {
	case err != nil:
		return "unknown (" + err.Error() + ")"
	case t.IsZero():
		return "never"
	}
	return fmt.Sprintf("%s (in %s)", t.Format("2006-01-02 15:04:05 MST"), fmtDuration(t.Sub(now).Round(time.Second)))
}

func (f Feed) filters() string {
	var parts []string
	for _, p := range []struct {
		name string
		res  []string
	}{{"include", patterns(f.Include)}, {"exclude", patterns(f.Exclude)}} {
		if len(p.res) > 0 {
			parts = append(parts, p.name+" "+strings.Join(p.res, ", "))
		}
	}
	if len(parts) == 0 {
		return "none (every story is posted)"
	}
	return strings.Join(parts, "; ")
}

func (c Comments) describe() string {
	if !c.Source.Enabled() {
		return "none"
	}
	s := fmt.Sprintf("%s, keep up to %d", c.Source, c.Max)
	if c.Selectors.Container != "" {
		s += fmt.Sprintf(", HTML comments at %q", c.Selectors.Container)
	}
	if c.API == APIAlgolia {
		s += " (Algolia API)"
	}
	if c.APIURL != "" {
		s += ", API at " + redact(c.APIURL)
	}
	if len(c.Refresh) == 0 {
		return s + ", fetched once"
	}
	var steps []string
	for _, r := range c.Refresh {
		steps = append(steps, fmt.Sprintf("every %s until %s", fmtDuration(r.Every), fmtDuration(r.Until)))
	}
	return s + ", refresh " + strings.Join(steps, ", then ")
}

func (m UpdateMode) describe() string {
	switch {
	case m.Edit() && m.Reply():
		return "edit the post and reply with what changed"
	case m.Edit():
		return "edit the post"
	case m.Reply():
		return "reply with what changed"
	}
	return "none (the post stays as first sent)"
}

func (d Discord) target() string {
	switch {
	case d.APIURL == "":
		return "Discord itself"
	case d.apiURLFromEnv:
		return redact(d.APIURL) + " (from " + APIURLEnv + ")"
	}
	return redact(d.APIURL) + " (discord.api_url)"
}

func (d Discord) tokenState() string {
	switch {
	case d.Token == "" && d.tokenVar != "":
		return "not set (needed by `run`; set " + d.tokenVar + ")"
	case d.Token == "":
		return "not set (needed by `run`)"
	case d.tokenInFile:
		return "set (written in the file; ${DISCORD_TOKEN} keeps it out of it)"
	}
	return "set"
}

func (s Summarize) describe() string {
	if s.Engine != EngineOpenAI {
		return string(s.Engine)
	}
	key := "no api key"
	if s.OpenAI.APIKey != "" {
		key = "api key set"
	}
	return fmt.Sprintf("openai, model %s at %s (%s, timeout %s)", s.OpenAI.Model, redact(s.OpenAI.BaseURL), key, fmtDuration(s.OpenAI.Timeout))
}

// redact hides a password in a URL's user info.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	return u.Redacted()
}

func patterns(res []*regexp.Regexp) []string {
	out := make([]string, len(res))
	for i, re := range res {
		out[i] = fmt.Sprintf("%q", re.String())
	}
	return out
}

// fmtDuration prints 6h and 10m rather than 6h0m0s and 10m0s.
func fmtDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func fmtSize(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

func allowed(b bool) string {
	if b {
		return "allowed"
	}
	return "refused"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// redactDatabase hides a database URL's password.
func redactDatabase(database string) string {
	if !IsDatabaseURL(database) {
		return database
	}
	u, err := url.Parse(database)
	if err != nil {
		return "postgres://(a URL that does not parse)"
	}
	return u.Redacted()
}

func (f Fetch) jitter() string {
	if f.Jitter <= 0 {
		return "a tenth of each schedule's period (at most 5m)"
	}
	return fmtDuration(f.Jitter)
}
