package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"gopkg.in/yaml.v3"
)

// comments reads a comments block; `comments: none` is short for
// `comments: {source: none}`.
func (d *decoder) comments(n *yaml.Node, path string) commentsSpec {
	var s commentsSpec
	if r := resolve(n); r != nil && r.Kind == yaml.ScalarNode && !isNull(r) {
		s.source = ptr(oneOf(d, r, path+".source", "comment source", commentSources))
		return s
	}
	m := d.mapping(n, path)
	d.allow(m, path, "source", "max", "refresh", "selectors", "api_url", "api")
	s.source = ptr(oneOf(d, m.get("source"), m.child("source"), "comment source", commentSources))
	if u, ok := d.str(m.get("api_url"), m.child("api_url")); ok {
		u = strings.TrimSpace(u)
		if u != "" {
			u = d.httpURL(m.get("api_url"), m.child("api_url"), u)
		}
		s.apiURL = &u
	}
	s.api = ptr(oneOf(d, m.get("api"), m.child("api"), "Hacker News API", commentAPIs))
	if s.source != nil {
		if s.apiURL != nil && *s.apiURL != "" && !s.source.HasAPI() {
			d.errorf(m.get("api_url"), m.child("api_url"), "only used with source: hackernews or reddit, not %q", *s.source)
		}
		if s.api != nil && *s.source != CommentsHackerNews {
			d.errorf(m.get("api"), m.child("api"), "only used with source: hackernews, not %q", *s.source)
		}
	}
	s.max = ptr(d.integer(m.get("max"), m.child("max"), 1))
	s.refresh = d.refresh(m.get("refresh"), m.child("refresh"))
	s.selectors = d.selectors(m.get("selectors"), m.child("selectors"))
	if s.selectors != nil && s.source != nil && *s.source != CommentsPage {
		d.errorf(m.get("selectors"), m.child("selectors"), "only used with source: page, not %q", *s.source)
	}
	return s
}

// refresh reads the steps of a comment refresh plan. Each step's until
// must be later than the one before, or the plan would be ambiguous.
// An empty list means comments are fetched once and never refreshed.
func (d *decoder) refresh(n *yaml.Node, path string) *[]RefreshStep {
	items, ok := d.list(n, path)
	if !ok {
		return nil
	}
	steps := []RefreshStep{}
	var prev time.Duration
	for i, item := range items {
		p := fmt.Sprintf("%s[%d]", path, i)
		m := d.mapping(item, p)
		if m.node == nil || m.node.Kind != yaml.MappingNode {
			continue
		}
		d.allow(m, p, "until", "every")
		for _, key := range []string{"until", "every"} {
			if m.get(key) == nil {
				d.errorf(m.node, p, "missing required key %q", key)
			}
		}
		until, uok := d.duration(m.get("until"), m.child("until"), time.Second)
		every, eok := d.duration(m.get("every"), m.child("every"), time.Second)
		if uok && until <= prev {
			d.errorf(m.get("until"), m.child("until"), "%s must be later than the step before (%s)", until, prev)
			continue
		}
		if uok && eok {
			steps = append(steps, RefreshStep{Until: until, Every: every})
			prev = until
		}
	}
	return &steps
}

func (d *decoder) selectors(n *yaml.Node, path string) *Selectors {
	if isNull(resolve(n)) {
		return nil
	}
	m := d.mapping(n, path)
	d.allow(m, path, "container", "author", "time", "body", "parent")
	var s Selectors
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"container", &s.Container}, {"author", &s.Author}, {"time", &s.Time},
		{"body", &s.Body}, {"parent", &s.Parent},
	} {
		v, ok := d.str(m.get(f.key), m.child(f.key))
		if !ok || v == "" {
			continue
		}
		if _, err := cascadia.Compile(v); err != nil {
			d.wrap(m.get(f.key), m.child(f.key), fmt.Sprintf("bad CSS selector %q", v), err)
			continue
		}
		*f.dst = v
	}
	if s == (Selectors{}) {
		return nil
	}
	if s.Container == "" && m.get("container") == nil {
		d.errorf(m.node, path, "missing required key \"container\" (the selector of one comment)")
	}
	return &s
}

// commentAPI settles where a feed's comment API answers. An api_url or api
// inherited from defaults belongs to the source the defaults named: a feed
// that picks another source does not send its requests there.
func (d *decoder) commentAPI(c *Comments, m *mapping, own commentsSpec, defs FeedDefaults) {
	if own.source != nil && *own.source != defs.Comments.Source {
		if own.apiURL == nil {
			c.APIURL = ""
		}
		if own.api == nil {
			c.API = ""
		}
	}
	n, path := m.get("comments"), m.child("comments")
	if own.source == nil && own.apiURL != nil && c.APIURL != "" && !c.Source.HasAPI() {
		d.errorf(n, path+".api_url", "only used with source: hackernews or reddit, and this feed's comments come from %q", c.Source)
	}
	if own.source == nil && own.api != nil && c.Source != CommentsHackerNews {
		d.errorf(n, path+".api", "only used with source: hackernews, and this feed's comments come from %q", c.Source)
	}
	switch {
	case c.Source != CommentsHackerNews:
		c.API = ""
	case c.API == "":
		c.API = APIFirebase
	}
	if !c.Source.HasAPI() {
		c.APIURL = ""
	}
}
