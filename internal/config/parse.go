package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// maxFileSize bounds the input: a config is a few kilobytes, and anything
// this large is the wrong file.
const maxFileSize = 1 << 20

var topKeys = []string{"discord", "database", "timezone", "log", "fetch", "summarize", "defaults", "feeds",
	"interactions", "metrics", "cluster"}

// Parse validates a config held in memory. filename is used in messages
// and to resolve relative paths; lookupEnv (nil: nothing is set) supplies
// ${VAR} values. All problems come back at once, joined, in line order;
// each is an *Error.
//
// An unset variable is an error wherever it is needed, except in
// discord.token (left empty; `run` refuses to start without it) and in
// summarize.openai.api_key unless the openai engine is chosen.
func Parse(data []byte, filename string, lookupEnv func(string) (string, bool)) (*Config, error) {
	if lookupEnv == nil {
		lookupEnv = func(string) (string, bool) { return "", false }
	}
	if len(data) > maxFileSize {
		return nil, &Error{File: filename, Msg: fmt.Sprintf("file is %d bytes; a config may be at most %d", len(data), maxFileSize)}
	}
	root, errs := parseYAML(data, filename)
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	d := &decoder{file: filename, lookup: lookupEnv}
	c := d.config(root, filepath.Dir(filename))
	c.Path = filename
	if len(d.errs) > 0 {
		d.redactErrors()
		return nil, joinErrors(d.errs)
	}
	return c, nil
}

// parseYAML parses exactly one YAML document into a node tree.
func parseYAML(data []byte, file string) (root *yaml.Node, errs []*Error) {
	defer func() {
		// yaml.v3 has panicked on hostile input before; a config check
		// must report, never crash.
		if r := recover(); r != nil {
			root, errs = nil, []*Error{{File: file, Msg: "cannot parse YAML", Err: fmt.Errorf("%v", r)}}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, []*Error{{File: file, Msg: "file is empty; see config.example.yaml for a start"}}
		}
		return nil, yamlErrors(data, file, err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, yamlErrors(data, file, err)
	default:
		return nil, []*Error{{File: file, Line: next.Line, Msg: "only one YAML document is allowed (remove the second ---)"}}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, []*Error{{File: file, Msg: "file is empty; see config.example.yaml for a start"}}
	}
	return doc.Content[0], nil
}

var (
	yamlLine      = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)
	unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// parserProblems are yaml.v3's parser (not scanner) messages. For these it
// reports the 0-based line of the construct being parsed, and no line at
// all for the first one; scanner messages carry 1-based lines.
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// yamlErrors turns a yaml.v3 syntax error into a located Error. Tabs in
// indentation get their own message: yaml.v3's "found character that
// cannot start any token" does not say what is wrong.
func yamlErrors(data []byte, file string, err error) []*Error {
	lines := strings.Split(string(data), "\n")
	var errs []*Error
	for i, line := range lines {
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		if strings.Contains(indent, "\t") && strings.TrimSpace(line) != "" {
			errs = append(errs, &Error{File: file, Line: i + 1, Msg: "line is indented with a tab; YAML indents with spaces only"})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return []*Error{{File: file, Msg: "YAML syntax error", Err: err}}
	}
	n, _ := strconv.Atoi(m[1])
	if parserProblems[m[2]] {
		n++
	}
	if a := unknownAnchor.FindStringSubmatch(m[2]); a != nil {
		for i, line := range lines {
			if strings.Contains(line, "*"+a[1]) {
				n = i + 1
				break
			}
		}
	}
	return []*Error{{File: file, Line: n, Msg: "YAML syntax error: " + m[2]}}
}

// config decodes the top level. Sections are read in dependency order:
// feeds need fetch (allow_private) and defaults.
func (d *decoder) config(root *yaml.Node, dir string) *Config {
	m := d.mapping(root, "")
	d.allow(m, "", topKeys...)
	c := &Config{Database: "newsbot.db", Timezone: "UTC", Location: time.UTC}
	c.Discord = d.discord(m)
	if s, ok := d.str(m.get("database"), "database"); ok {
		if s == "" {
			d.errorf(m.get("database"), "database", "must not be empty (a file path, \":memory:\" or a postgres:// URL)")
		} else {
			c.Database = s
		}
	}
	c.Database = localPath(c.Database, dir)
	if s, ok := d.str(m.get("timezone"), "timezone"); ok {
		if loc, err := time.LoadLocation(s); err != nil || s == "" {
			d.errorf(m.get("timezone"), "timezone", "unknown time zone %q (want an IANA name such as UTC or Europe/Berlin)", s)
		} else {
			c.Timezone, c.Location = s, loc
		}
	}
	c.Log = d.log(m.get("log"))
	c.Fetch = d.fetch(m.get("fetch"))
	c.Summarize = d.summarize(m.get("summarize"))
	c.Interactions = d.interactions(m.get("interactions"), c.Discord.PublicKey)
	c.Metrics = d.metrics(m.get("metrics"))
	c.Cluster = d.cluster(m.get("cluster"))
	c.Defaults = d.defaults(m.get("defaults"))
	c.Feeds = d.feeds(m.get("feeds"), c.Defaults, c.Fetch, dir)
	d.checkMentions(c.Feeds, c.Discord.GuildID)
	return c
}

// IsDatabaseURL reports whether database names a PostgreSQL server
// rather than a SQLite file.
func IsDatabaseURL(database string) bool {
	return strings.HasPrefix(database, "postgres://") || strings.HasPrefix(database, "postgresql://")
}

// localPath resolves a relative file path against the config's directory,
// so the bot finds its files whatever directory it was started from.
func localPath(p, dir string) string {
	if p == ":memory:" || strings.HasPrefix(p, "file:") || filepath.IsAbs(p) || IsDatabaseURL(p) {
		return p
	}
	return filepath.Join(dir, p)
}
