package config

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

func (d *decoder) discord(top *mapping) Discord {
	m := d.mapping(top.get("discord"), "discord")
	d.allow(m, "discord", "token", "application_id", "guild_id", "api_url", "shards", "public_key")
	var out Discord
	if n := m.get("token"); n != nil {
		s, missing, ok := d.text(n, "discord.token")
		if ok && len(missing) > 0 {
			out.tokenVar = missing[0]
		} else if ok {
			out.Token = strings.TrimSpace(s)
			out.tokenInFile = out.Token != "" && !strings.Contains(resolve(n).Value, "${")
		}
	}
	out.ApplicationID = d.snowflake(m.get("application_id"), "discord.application_id", "application id")
	out.GuildID = d.snowflake(m.get("guild_id"), "discord.guild_id", "guild id")
	out.Shards = d.shards(m.get("shards"))
	out.PublicKey = d.publicKey(m.get("public_key"))
	if s, ok := d.str(m.get("api_url"), "discord.api_url"); ok && s != "" {
		out.APIURL = d.httpURL(m.get("api_url"), "discord.api_url", s)
	}
	if v, ok := d.lookup(APIURLEnv); ok && v != "" {
		if err := checkHTTP(v); err != nil {
			d.errs = append(d.errs, &Error{File: d.file, Path: APIURLEnv, Msg: err.Error()})
		} else {
			out.APIURL, out.apiURLFromEnv = strings.TrimRight(v, "/"), true
		}
	}
	return out
}

// snowflake reads an optional Discord id; "" when unset or invalid.
func (d *decoder) snowflake(n *yaml.Node, path, what string) string {
	s, ok := d.str(n, path)
	if !ok || s == "" {
		return ""
	}
	if !isSnowflake(s) {
		d.errorf(n, path, "%q is not a Discord %s (a snowflake: 17–20 digits)", s, what)
		return ""
	}
	return s
}

func isSnowflake(s string) bool {
	if len(s) < 17 || len(s) > 20 {
		return false
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil && s[0] != '+'
}

// httpURL checks s, read from n, is an absolute http(s) URL; "" if not.
func (d *decoder) httpURL(n *yaml.Node, path, s string) string {
	if err := checkHTTP(s); err != nil {
		d.errorf(n, path, "%s", err)
		return ""
	}
	return strings.TrimRight(s, "/")
}

func checkHTTP(s string) error {
	u, err := url.Parse(s)
	if err != nil || !isHTTP(s) || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL such as http://127.0.0.1:7777", s)
	}
	return nil
}

func isHTTP(s string) bool {
	lower := strings.ToLower(s)
	return strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")
}

func (d *decoder) log(n *yaml.Node) Log {
	m := d.mapping(n, "log")
	d.allow(m, "log", "level", "format")
	out := Log{Level: "info", Format: "text"}
	if s, ok := oneOf(d, m.get("level"), "log.level", "log level", logLevels); ok {
		out.Level = s
	}
	if s, ok := oneOf(d, m.get("format"), "log.format", "log format", logFormats); ok {
		out.Format = s
	}
	return out
}

// DefaultMaxConcurrent is how many fetches run at once when the config
// does not say. Fetching waits on the network, not the CPU: enough
// fetches run at once that a few slow sites never hold up the rest, for
// ten thousand feeds polled every minute. Memory held by documents in
// flight is at most this times fetch.max_body.
const DefaultMaxConcurrent = 128

func (d *decoder) fetch(n *yaml.Node) Fetch {
	m := d.mapping(n, "fetch")
	d.allow(m, "fetch", "allow_private", "user_agent", "timeout", "max_body", "max_redirects",
		"max_concurrent", "per_host", "jitter", "failure_notice_after")
	out := Fetch{
		UserAgent: DefaultUserAgent(), Timeout: 20 * time.Second, MaxBody: 10 << 20,
		MaxRedirects: 5, MaxConcurrent: DefaultMaxConcurrent, PerHost: 2, FailureNoticeAfter: 5,
	}
	set(&out.AllowPrivate)(d.boolean(m.get("allow_private"), "fetch.allow_private"))
	if s, ok := d.str(m.get("user_agent"), "fetch.user_agent"); ok && strings.TrimSpace(s) != "" {
		out.UserAgent = strings.TrimSpace(s)
	}
	set(&out.Timeout)(d.duration(m.get("timeout"), "fetch.timeout", time.Millisecond))
	set(&out.MaxBody)(d.size(m.get("max_body"), "fetch.max_body"))
	set(&out.MaxRedirects)(d.integer(m.get("max_redirects"), "fetch.max_redirects", 0))
	set(&out.MaxConcurrent)(d.integer(m.get("max_concurrent"), "fetch.max_concurrent", 1))
	set(&out.PerHost)(d.integer(m.get("per_host"), "fetch.per_host", 1))
	set(&out.Jitter)(d.duration(m.get("jitter"), "fetch.jitter", 0))
	set(&out.FailureNoticeAfter)(d.integer(m.get("failure_notice_after"), "fetch.failure_notice_after", 0))
	return out
}

// set returns a function that stores v in dst when ok, for the common
// "read a value, keep the default if unset or bad" step.
func set[T any](dst *T) func(v T, ok bool) {
	return func(v T, ok bool) {
		if ok {
			*dst = v
		}
	}
}

func (d *decoder) summarize(n *yaml.Node) Summarize {
	m := d.mapping(n, "summarize")
	d.allow(m, "summarize", "engine", "openai")
	out := Summarize{Engine: EngineExtractive, OpenAI: OpenAI{
		BaseURL: "https://api.openai.com/v1", Model: "gpt-4o-mini", Timeout: 20 * time.Second,
	}}
	set(&out.Engine)(oneOf(d, m.get("engine"), "summarize.engine", "engine", engines))
	o := d.mapping(m.get("openai"), "summarize.openai")
	d.allow(o, "summarize.openai", "base_url", "model", "api_key", "timeout")
	if s, ok := d.str(o.get("base_url"), "summarize.openai.base_url"); ok {
		out.OpenAI.BaseURL = d.httpURL(o.get("base_url"), "summarize.openai.base_url", s)
	}
	set(&out.OpenAI.Model)(d.str(o.get("model"), "summarize.openai.model"))
	set(&out.OpenAI.Timeout)(d.duration(o.get("timeout"), "summarize.openai.timeout", time.Millisecond))
	key, missing, ok := d.text(o.get("api_key"), "summarize.openai.api_key")
	if ok && len(missing) == 0 {
		out.OpenAI.APIKey = strings.TrimSpace(key)
	}
	if out.Engine != EngineOpenAI {
		return out
	}
	if len(missing) > 0 {
		d.errorf(o.get("api_key"), "summarize.openai.api_key",
			"environment variable %s is not set (needed by summarize.engine: openai)", missing[0])
	}
	if strings.TrimSpace(out.OpenAI.Model) == "" {
		d.errorf(nodeOr(o.get("model"), m.node), "summarize.openai.model", "must not be empty with engine openai")
	}
	return out
}

// nodeOr returns n, or fallback when n is absent, for locating errors
// about keys that are missing.
func nodeOr(n, fallback *yaml.Node) *yaml.Node {
	if n != nil {
		return n
	}
	return fallback
}

// metrics reads the operations listener's address; empty keeps it off.
func (d *decoder) metrics(n *yaml.Node) Metrics {
	m := d.mapping(n, "metrics")
	d.allow(m, "metrics", "listen")
	var out Metrics
	s, ok := d.str(m.get("listen"), "metrics.listen")
	if !ok || strings.TrimSpace(s) == "" {
		return out
	}
	s = strings.TrimSpace(s)
	if _, port, err := net.SplitHostPort(s); err != nil || port == "" {
		d.errorf(m.get("listen"), "metrics.listen", "%q is not a host:port address such as 127.0.0.1:9090", s)
		return out
	}
	out.Listen = s
	return out
}
