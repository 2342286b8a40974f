package config

import (
	"fmt"
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
	d.allow(m, path, "source", "max", "refresh", "selectors")
	s.source = ptr(oneOf(d, m.get("source"), m.child("source"), "comment source", commentSources))
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
