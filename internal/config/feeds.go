package config

import (
	"fmt"
	"regexp"
	"slices"
	"time"

	"gopkg.in/yaml.v3"
)

// specKeys are the feed settings that defaults may also set.
var specKeys = []string{"kind", "channels", "schedule", "backfill", "updates", "thread",
	"include", "exclude", "template", "comments", "mentions", "crosspost", "forum", "auto_archive"}

var feedKeys = append([]string{"id", "name", "url", "allow_private", "avatar_url"}, specKeys...)

// feedSpec is what one block (defaults or a feed) sets; nil means unset,
// which is how a feed tells "inherit" apart from an explicit zero.
type feedSpec struct {
	kind             *FeedKind
	schedule         *string
	channels         *[]channelSpec
	backfill         *int
	updates          *UpdateMode
	thread           *bool
	include, exclude *[]*regexp.Regexp
	template         *feedTemplate
	comments         commentsSpec
	mentions         *[]Mention
	crosspost        *bool
	forum            *Forum
	autoArchive      *int
}

type commentsSpec struct {
	source    *CommentSource
	max       *int
	refresh   *[]RefreshStep
	selectors *Selectors
	apiURL    *string
	api       *CommentAPI
}

func builtinDefaults() FeedDefaults {
	return FeedDefaults{
		Kind:        KindAuto,
		Schedule:    "*/10 * * * *",
		Updates:     UpdatesEditAndReply,
		AutoArchive: 1440,
		Comments: Comments{Source: CommentsNone, Max: 2000, Refresh: []RefreshStep{
			{Until: 6 * time.Hour, Every: 10 * time.Minute},
			{Until: 48 * time.Hour, Every: time.Hour},
		}},
	}
}

// feedSpec reads the settings of one block; name names its template.
func (d *decoder) feedSpec(m *mapping, name string, isDefaults bool) feedSpec {
	var s feedSpec
	for _, k := range m.keys {
		n, p := m.vals[k.Value], m.child(k.Value)
		switch k.Value {
		case "kind":
			s.kind = ptr(oneOf(d, n, p, "kind", kinds))
		case "channels":
			s.channels = d.subscriptions(n, p, name, isDefaults)
		case "schedule":
			s.schedule = ptr(d.schedule(n, p))
		case "backfill":
			s.backfill = ptr(d.integer(n, p, 0))
		case "updates":
			s.updates = ptr(oneOf(d, n, p, "updates mode", updateModes))
		case "thread":
			s.thread = ptr(d.boolean(n, p))
		case "include":
			s.include = d.regexps(n, p)
		case "exclude":
			s.exclude = d.regexps(n, p)
		case "template":
			s.template = d.template(n, p, name)
		case "comments":
			s.comments = d.comments(n, p)
		case "mentions":
			s.mentions = d.mentions(n, p)
		case "crosspost":
			s.crosspost = ptr(d.boolean(n, p))
		case "forum":
			s.forum = d.forum(n, p)
		case "auto_archive":
			s.autoArchive = ptr(d.autoArchive(n, p))
		}
	}
	return s
}

func (s feedSpec) apply(v *FeedDefaults) {
	setp(&v.Kind, s.kind)
	if s.channels != nil {
		v.channels, v.Channels = *s.channels, channelIDs(*s.channels)
	}
	setp(&v.Mentions, s.mentions)
	setp(&v.Crosspost, s.crosspost)
	setp(&v.Forum, s.forum)
	setp(&v.AutoArchive, s.autoArchive)
	setp(&v.Schedule, s.schedule)
	setp(&v.Backfill, s.backfill)
	setp(&v.Updates, s.updates)
	setp(&v.Thread, s.thread)
	setp(&v.Include, s.include)
	setp(&v.Exclude, s.exclude)
	if s.template != nil {
		v.Template, v.TemplateText = s.template.t, s.template.text
	}
	setp(&v.Comments.Source, s.comments.source)
	setp(&v.Comments.Max, s.comments.max)
	setp(&v.Comments.Refresh, s.comments.refresh)
	setp(&v.Comments.Selectors, s.comments.selectors)
	setp(&v.Comments.APIURL, s.comments.apiURL)
	setp(&v.Comments.API, s.comments.api)
}

func setp[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

func (d *decoder) defaults(n *yaml.Node) FeedDefaults {
	m := d.mapping(n, "defaults")
	d.allow(m, "defaults", specKeys...)
	v := builtinDefaults()
	d.feedSpec(m, "defaults", true).apply(&v)
	return v
}

func (d *decoder) feeds(n *yaml.Node, defs FeedDefaults, fetch Fetch, dir string) []Feed {
	if r := resolve(n); r != nil && r.Kind == yaml.ScalarNode && !isNull(r) {
		d.errorf(r, "feeds", "must be a list of feeds (- id: …), not %s", kindName(r))
		return nil
	}
	items, _ := d.list(n, "feeds")
	out := make([]Feed, 0, len(items)) // a Feed is large: thousands of them must not be copied as the list grows
	first := map[string]int{}
	for i, item := range items {
		path := fmt.Sprintf("feeds[%d]", i)
		f, idNode, ok := d.feed(item, path, defs, fetch, dir)
		if !ok {
			continue
		}
		if line, dup := first[f.ID]; dup {
			d.errorf(idNode, path+".id", "duplicate feed id %q (first at line %d)", f.ID, line)
			continue
		}
		first[f.ID] = idNode.Line
		out = append(out, f)
	}
	return out
}

// feed decodes one feed. ok is false when it has no usable id, so the
// caller skips the duplicate check; every problem is already reported.
func (d *decoder) feed(item *yaml.Node, path string, defs FeedDefaults, fetch Fetch, dir string) (f Feed, idNode *yaml.Node, ok bool) {
	if r := resolve(item); isNull(r) {
		d.errorf(item, path, "empty feed; give at least id, url and channels")
		return Feed{}, nil, false
	}
	m := d.mapping(item, path)
	if m.node == nil || m.node.Kind != yaml.MappingNode {
		return Feed{}, nil, false
	}
	label := path
	idNode = m.get("id")
	if r := resolve(idNode); r != nil && r.Kind == yaml.ScalarNode && r.Value != "" {
		label = fmt.Sprintf("%s (%q)", path, r.Value)
	}
	d.allow(m, label, feedKeys...)
	for _, key := range []string{"id", "url"} {
		switch n := m.get(key); {
		case n == nil:
			d.errorf(m.node, label, "missing required key %q", key)
		case isNull(resolve(n)):
			d.errorf(n, m.child(key), "empty %s; give the feed's %s", key, key)
		}
	}
	f = Feed{Line: m.node.Line, AllowPrivate: fetch.AllowPrivate}
	f.ID, ok = d.feedID(idNode, m.child("id"))
	set(&f.Name)(d.str(m.get("name"), m.child("name")))
	if f.Name == "" {
		f.Name = f.ID
	}
	set(&f.URL)(d.feedURL(m.get("url"), m.child("url"), dir))
	set(&f.AllowPrivate)(d.boolean(m.get("allow_private"), m.child("allow_private")))
	if u := d.avatarURL(m.get("avatar_url"), m.child("avatar_url")); u != nil {
		f.AvatarURL = *u
	}
	name := f.ID
	if name == "" {
		name = path
	}
	spec := d.feedSpec(m, name, false)
	v := defs
	spec.apply(&v)
	if len(v.Channels) == 0 && spec.channels == nil {
		d.errorf(m.node, label, "no channels: set channels: [\"<channel id>\"] on the feed or under defaults")
	}
	f.Kind, f.Schedule, f.Backfill, f.Updates, f.Thread = v.Kind, v.Schedule, v.Backfill, v.Updates, v.Thread
	f.Channels = slices.Clone(v.Channels)
	f.Include, f.Exclude = slices.Clone(v.Include), slices.Clone(v.Exclude)
	f.Template, f.TemplateText = v.Template, v.TemplateText
	f.Comments = v.Comments
	f.Comments.Refresh = slices.Clone(v.Comments.Refresh)
	d.commentAPI(&f.Comments, m, spec.comments, defs)
	f.Mentions, f.Crosspost, f.AutoArchive = slices.Clone(v.Mentions), v.Crosspost, v.AutoArchive
	f.Forum = Forum{Tags: slices.Clone(v.Forum.Tags)}
	f.Subscriptions = resolveSubscriptions(v.channels, &f, f.AvatarURL)
	return f, idNode, ok
}
