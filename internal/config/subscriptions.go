package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"gopkg.in/yaml.v3"
)

// Subscription is one channel a feed posts in, with the settings that
// may differ per channel resolved: a `channels:` entry's own, else the
// feed's.
type Subscription struct {
	ChannelID    string
	Include      []*regexp.Regexp
	Exclude      []*regexp.Regexp
	Mentions     []Mention
	Thread       bool
	Webhook      *Webhook // nil: the bot posts itself
	Template     *template.Template
	TemplateText string
	Line         int // of the entry in the file
}

// Webhook says a subscription posts through a channel webhook, and under
// which name and avatar.
type Webhook struct {
	Name      string
	AvatarURL string // empty: the webhook's own
}

// Mention is one role or user a feed may ping: on every story, or only
// those whose title or text matches one of Include.
type Mention struct {
	Role    string // a role id, or
	User    string // a user id
	Include []*regexp.Regexp

	line int
	path string
}

// Forum configures posts in forum and media channels.
type Forum struct {
	Tags []string // tag names, resolved against the channel's tags when posting
}

// Discord's limits the config checks early.
const (
	maxMentions    = 100 // allowed_mentions.roles and .users each
	maxAppliedTags = 5
)

// channelKeys are what a `channels:` entry may say about its channel.
var channelKeys = []string{"id", "include", "exclude", "mentions", "thread", "webhook", "template"}

// channelSpec is one `channels:` entry as written; nil means "the feed's".
type channelSpec struct {
	id               string
	line             int
	include, exclude *[]*regexp.Regexp
	mentions         *[]Mention
	thread           *bool
	webhook          *webhookSpec
	template         *feedTemplate
}

type webhookSpec struct {
	on              bool
	name, avatarURL *string
}

// subscriptions reads `channels:`, whose entries are channel ids or
// mappings {id, …settings}. An empty list is an error on a feed (it could
// post nowhere) but fine under defaults. name names templates.
func (d *decoder) subscriptions(n *yaml.Node, path, name string, allowEmpty bool) *[]channelSpec {
	items, ok := d.list(n, path)
	if !ok {
		return nil
	}
	out := []channelSpec{}
	if len(items) == 0 && !allowEmpty {
		d.errorf(n, path, "must list at least one channel id")
		return &out
	}
	seen := map[string]bool{}
	for i, item := range items {
		p := fmt.Sprintf("%s[%d]", path, i)
		spec, idNode, ok := d.channelEntry(item, p, name)
		switch {
		case !ok:
		case seen[spec.id]:
			d.errorf(idNode, p, "channel %q is listed twice", spec.id)
		default:
			seen[spec.id] = true
			out = append(out, spec)
		}
	}
	return &out
}

func (d *decoder) channelEntry(item *yaml.Node, p, name string) (channelSpec, *yaml.Node, bool) {
	r := resolve(item)
	spec := channelSpec{line: item.Line}
	idNode := item
	if r != nil && r.Kind == yaml.MappingNode {
		m := d.mapping(item, p)
		d.allow(m, p, channelKeys...)
		idNode = m.get("id")
		if idNode == nil {
			d.errorf(item, p, "missing required key \"id\" (the channel id)")
			return spec, nil, false
		}
		spec.include = d.regexps(m.get("include"), m.child("include"))
		spec.exclude = d.regexps(m.get("exclude"), m.child("exclude"))
		if n := m.get("mentions"); n != nil {
			spec.mentions = d.mentions(n, m.child("mentions"))
		}
		spec.thread = ptr(d.boolean(m.get("thread"), m.child("thread")))
		if n := m.get("webhook"); n != nil {
			spec.webhook = d.webhook(n, m.child("webhook"))
		}
		spec.template = d.template(m.get("template"), m.child("template"), name)
		p = m.child("id")
	}
	s, ok := d.str(idNode, p)
	switch {
	case !ok && isNull(resolve(idNode)):
		d.errorf(idNode, p, "empty channel id")
	case !ok:
	case !isSnowflake(s):
		d.errorf(idNode, p, "%q is not a Discord channel id (a snowflake: 17–20 digits)", s)
	default:
		spec.id = s
		return spec, idNode, true
	}
	return spec, idNode, false
}

// webhook reads `webhook: true` or `webhook: {name, avatar_url}`.
func (d *decoder) webhook(n *yaml.Node, path string) *webhookSpec {
	if r := resolve(n); r != nil && r.Kind == yaml.ScalarNode {
		on, ok := d.boolean(n, path)
		return ptr(webhookSpec{on: on}, ok)
	}
	m := d.mapping(n, path)
	d.allow(m, path, "name", "avatar_url")
	w := webhookSpec{on: true}
	if s, ok := d.str(m.get("name"), m.child("name")); ok {
		d.hookName(m.get("name"), m.child("name"), s)
		w.name = &s
	}
	w.avatarURL = d.avatarURL(m.get("avatar_url"), m.child("avatar_url"))
	return &w
}

// hookName checks a name a webhook will post under, by Discord's rules
// for webhook names, so a bad one fails the check instead of every post.
func (d *decoder) hookName(n *yaml.Node, path, s string) {
	switch lower := strings.ToLower(s); {
	case s == "" || len([]rune(s)) > 80:
		d.errorf(n, path, "a webhook name is 1–80 characters (got %d)", len([]rune(s)))
	case strings.Contains(lower, "discord"), strings.Contains(lower, "clyde"):
		d.errorf(n, path, "%q: Discord refuses webhook names containing \"discord\" or \"clyde\"", s)
	}
}

// avatarURL reads an optional http(s) image URL.
func (d *decoder) avatarURL(n *yaml.Node, path string) *string {
	s, ok := d.str(n, path)
	if !ok || s == "" {
		return nil
	}
	s = strings.TrimSpace(s)
	switch u, err := url.Parse(s); {
	case err != nil || !isHTTP(s) || u.Host == "":
		d.errorf(n, path, "%q is not an http(s) URL of an image", s)
		return nil
	case len(s) > 2048:
		d.errorf(n, path, "an avatar URL is at most 2048 characters (got %d)", len(s))
		return nil
	}
	return &s
}

// mentions reads `mentions: [{role: "<id>", include: [RE2…]}, {user: …}]`.
func (d *decoder) mentions(n *yaml.Node, path string) *[]Mention {
	items, ok := d.list(n, path)
	if !ok {
		return &[]Mention{}
	}
	out := []Mention{}
	roles, users := 0, 0
	for i, item := range items {
		p := fmt.Sprintf("%s[%d]", path, i)
		if r := resolve(item); r == nil || r.Kind != yaml.MappingNode {
			d.errorf(item, p, "must be a mapping: {role: \"<role id>\"} or {user: \"<user id>\"}, with an optional include: [regex…]")
			continue
		}
		m := d.mapping(item, p)
		d.allow(m, p, "role", "user", "include")
		men := Mention{line: item.Line, path: p}
		men.Role = d.snowflake(m.get("role"), m.child("role"), "role id")
		men.User = d.snowflake(m.get("user"), m.child("user"), "user id")
		if inc := d.regexps(m.get("include"), m.child("include")); inc != nil {
			men.Include = *inc
		}
		switch has := m.get("role") != nil || m.get("user") != nil; {
		case m.get("role") != nil && m.get("user") != nil:
			d.errorf(item, p, "give role or user, not both (one mention per entry)")
		case !has:
			d.errorf(item, p, "missing role or user: whom to ping")
		case men.Role != "" || men.User != "":
			out = append(out, men)
			if men.Role != "" {
				roles++
			} else {
				users++
			}
		}
	}
	if roles > maxMentions || users > maxMentions {
		d.errorf(n, path, "Discord pings at most %d roles and %d users per message", maxMentions, maxMentions)
	}
	return &out
}

// forum reads `forum: {tags: [name…]}`.
func (d *decoder) forum(n *yaml.Node, path string) *Forum {
	m := d.mapping(n, path)
	d.allow(m, path, "tags")
	f := Forum{Tags: []string{}}
	items, _ := d.list(m.get("tags"), m.child("tags"))
	for i, item := range items {
		p := fmt.Sprintf("%s[%d]", m.child("tags"), i)
		s, ok := d.str(item, p)
		s = strings.TrimSpace(s)
		switch {
		case !ok || s == "":
			d.errorf(item, p, "empty tag name")
		case slices.ContainsFunc(f.Tags, func(t string) bool { return strings.EqualFold(t, s) }):
			d.errorf(item, p, "tag %q is listed twice", s)
		default:
			f.Tags = append(f.Tags, s)
		}
	}
	if len(f.Tags) > maxAppliedTags {
		d.errorf(m.get("tags"), m.child("tags"), "a forum post takes at most %d tags (got %d)", maxAppliedTags, len(f.Tags))
	}
	return &f
}

// archiveDurations are the idle times after which Discord archives a
// thread, in minutes, by the spellings the config accepts.
var archiveDurations = map[string]int{
	"1h": 60, "60m": 60, "1d": 1440, "24h": 1440, "3d": 4320, "72h": 4320, "7d": 10080, "1w": 10080, "168h": 10080,
}

// autoArchive reads a thread's auto-archive duration: 1h, 1d, 3d or 7d.
func (d *decoder) autoArchive(n *yaml.Node, path string) (int, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return 0, false
	}
	if v, ok := archiveDurations[strings.ToLower(strings.TrimSpace(s))]; ok {
		return v, true
	}
	d.errorf(n, path, "%q is not a thread archive time Discord offers (want 1h, 1d, 3d or 7d)", s)
	return 0, false
}

// resolve turns the entries into subscriptions, each setting the entry
// leaves out taken from the feed.
func resolveSubscriptions(specs []channelSpec, f *Feed, avatarURL string) []Subscription {
	out := make([]Subscription, 0, len(specs))
	for _, s := range specs {
		sub := Subscription{
			ChannelID: s.id, Line: s.line, Thread: f.Thread,
			Include: f.Include, Exclude: f.Exclude, Mentions: f.Mentions,
			Template: f.Template, TemplateText: f.TemplateText,
		}
		setp(&sub.Include, s.include)
		setp(&sub.Exclude, s.exclude)
		setp(&sub.Mentions, s.mentions)
		setp(&sub.Thread, s.thread)
		if s.template != nil {
			sub.Template, sub.TemplateText = s.template.t, s.template.text
		}
		if w := s.webhook; w != nil && w.on {
			sub.Webhook = &Webhook{Name: f.Name, AvatarURL: avatarURL}
			setp(&sub.Webhook.Name, w.name)
			setp(&sub.Webhook.AvatarURL, w.avatarURL)
		}
		out = append(out, sub)
	}
	return out
}

func channelIDs(specs []channelSpec) []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.id
	}
	return out
}

// Subscription returns the feed's subscription of a channel.
func (f Feed) Subscription(channelID string) (Subscription, bool) {
	for _, s := range f.Subscriptions {
		if s.ChannelID == channelID {
			return s, true
		}
	}
	return Subscription{}, false
}

// Matches reports whether a story passes the subscription's filters, as
// Feed.Matches does for the feed's.
func (s Subscription) Matches(title, text string) bool {
	return matches(s.Include, s.Exclude, title, text)
}

// Pings returns the roles and users a story pings in this subscription:
// the mentions whose patterns match its title or text (or that have
// none). Nothing else may ping.
func (s Subscription) Pings(title, text string) (roles, users []string) {
	for _, m := range s.Mentions {
		if len(m.Include) > 0 && !matches(m.Include, nil, title, text) {
			continue
		}
		switch {
		case m.Role != "" && !slices.Contains(roles, m.Role):
			roles = append(roles, m.Role)
		case m.User != "" && !slices.Contains(users, m.User):
			users = append(users, m.User)
		}
	}
	return roles, users
}

func matches(include, exclude []*regexp.Regexp, title, text string) bool {
	match := func(re *regexp.Regexp) bool { return re.MatchString(title) || re.MatchString(text) }
	for _, re := range exclude {
		if match(re) {
			return false
		}
	}
	if len(include) == 0 {
		return true
	}
	return slices.ContainsFunc(include, match)
}

// checkMentions refuses a role id that is the guild's own: that role is
// @everyone, which newsbot never pings.
func (d *decoder) checkMentions(feeds []Feed, guildID string) {
	if guildID == "" {
		return
	}
	for _, f := range feeds {
		for _, ms := range append([][]Mention{f.Mentions}, subscriptionMentions(f)...) {
			for _, m := range ms {
				if m.Role == guildID {
					d.errs = append(d.errs, &Error{File: d.file, Line: m.line, Path: m.path,
						Msg: fmt.Sprintf("role %s is discord.guild_id's @everyone role; newsbot never pings @everyone", m.Role)})
				}
			}
		}
	}
}

func subscriptionMentions(f Feed) [][]Mention {
	var out [][]Mention
	for _, s := range f.Subscriptions {
		out = append(out, s.Mentions)
	}
	return out
}

// describeChannels lists the channels, each with what its entry sets
// differently from the feed.
func (f Feed) describeChannels() string {
	parts := make([]string, 0, len(f.Subscriptions))
	for _, s := range f.Subscriptions {
		var own []string
		if !slices.Equal(s.Include, f.Include) || !slices.Equal(s.Exclude, f.Exclude) {
			own = append(own, "own filters")
		}
		if !slices.EqualFunc(s.Mentions, f.Mentions, func(a, b Mention) bool { return a.Role == b.Role && a.User == b.User }) {
			own = append(own, "mentions "+describeMentions(s.Mentions))
		}
		if s.Thread != f.Thread {
			own = append(own, "thread "+yesNo(s.Thread))
		}
		if s.Webhook != nil {
			own = append(own, fmt.Sprintf("webhook as %q", s.Webhook.Name))
		}
		if s.TemplateText != f.TemplateText {
			own = append(own, "own template")
		}
		if len(own) > 0 {
			parts = append(parts, s.ChannelID+" ("+strings.Join(own, ", ")+")")
		} else {
			parts = append(parts, s.ChannelID)
		}
	}
	return strings.Join(parts, ", ")
}

func describeMentions(ms []Mention) string {
	if len(ms) == 0 {
		return "none"
	}
	parts := make([]string, 0, len(ms))
	for _, m := range ms {
		who := "role " + m.Role
		if m.User != "" {
			who = "user " + m.User
		}
		if len(m.Include) > 0 {
			who += " on " + strings.Join(patterns(m.Include), ", ")
		}
		parts = append(parts, who)
	}
	return strings.Join(parts, "; ")
}
