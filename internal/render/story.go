package render

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"text/template"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/english"
	"github.com/newsbot-dev/newsbot/internal/news"
)

// Colours of the story embed: blue for a new story, amber once it changed.
const (
	colorNew     = 0x3B82F6
	colorUpdated = 0xF59E0B
)

// leadLength is how much article text a post carries: enough to decide
// whether to click, short enough that a busy channel stays readable.
const leadLength = 600

// Post holds what a story post shows besides the story itself.
type Post struct {
	FeedName string             // shown as the embed's author line
	Template *template.Template // optional per-feed description template
}

// NoMentions is attached to everything the bot posts: article and comment
// text is written by strangers and must never ping anyone.
func NoMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// NewStory renders the first post of a story. A broken template falls back
// to the standard description and reports the error for the log.
func NewStory(s news.Story, p Post) (*discordgo.MessageSend, error) {
	e, err := StoryEmbed(s, p, false)
	return &discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{e}, AllowedMentions: NoMentions()}, err
}

// StoryEmbed renders the story card. updated marks it as changed since it
// was first posted, which is how an edited post shows an update happened:
// the title says "Updated:", unless the site's own title already says so
// ("… (updated)"), when one marker is enough.
func StoryEmbed(s news.Story, p Post, updated bool) (*discordgo.MessageEmbed, error) {
	title := Escape(s.Title)
	if updated && !markedUpdated(s.Title) {
		title = "Updated: " + title
	}
	e := &discordgo.MessageEmbed{
		Type:  discordgo.EmbedTypeRich,
		Title: Trim(title, MaxEmbedTitle, ""),
		URL:   Link(s.URL),
		Color: colorNew,
	}
	if updated {
		e.Color = colorUpdated
	}
	if !s.Published.IsZero() {
		e.Timestamp = s.Published.UTC().Format(time.RFC3339)
	}
	if src := firstNonEmpty(p.FeedName, s.Source); src != "" {
		e.Author = &discordgo.MessageEmbedAuthor{Name: Trim(src, MaxAuthor, "")}
	}
	if u := Link(s.ImageURL); u != "" {
		e.Image = &discordgo.MessageEmbedImage{URL: u}
	}
	e.Footer = &discordgo.MessageEmbedFooter{Text: Trim(footer(s, updated), MaxFooter, "")}
	desc, err := description(s, p.Template)
	e.Description = Trim(desc, MaxEmbedDescription, "")
	fitTotal(e)
	return e, err
}

func description(s news.Story, t *template.Template) (string, error) {
	lead := Lead(s.Paragraphs, leadLength)
	if t == nil {
		return lead, nil
	}
	// The template sees the story with its text already escaped, so a feed's
	// template can add markdown of its own but the article cannot.
	data := s
	data.Title = Escape(s.Title)
	data.Author = Escape(s.Author)
	data.Source = Escape(s.Source)
	data.Paragraphs = make([]string, len(s.Paragraphs))
	for i, p := range s.Paragraphs {
		data.Paragraphs[i] = Escape(p)
	}
	var buf bytes.Buffer
	err := t.Execute(&limitWriter{w: &buf, n: 4 * MaxEmbedDescription}, data)
	if err != nil && !errors.Is(err, errTemplateTooLong) {
		return lead, fmt.Errorf("render story %d with template %q: %w", s.ID, t.Name(), err)
	}
	// The limit may have cut a character in two.
	return strings.ToValidUTF8(buf.String(), ""), nil
}

// limitWriter stops a template that writes without end: a description can
// never use more than Discord's limit anyway.
type limitWriter struct {
	w io.Writer
	n int
}

var errTemplateTooLong = errors.New("output longer than an embed description can hold")

func (l *limitWriter) Write(p []byte) (int, error) {
	if len(p) > l.n {
		n, _ := l.w.Write(p[:l.n])
		l.n = 0
		return n, errTemplateTooLong
	}
	l.n -= len(p)
	return l.w.Write(p)
}

// Lead is the opening of the text, escaped and cut at a sentence.
func Lead(paras []string, max int) string {
	var parts []string
	n := 0
	for _, p := range paras {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		parts = append(parts, p)
		n += Len(p)
		if n >= max {
			break
		}
	}
	return Trim(Escape(strings.Join(parts, "\n\n")), max, "")
}

// updateMarks are the ways sites mark a headline as updated: "Updated:"
// or "Update 2 —" before it, "(updated)", "[Update: …]" or "- UPDATED"
// after it.
var updateMarks = []*regexp.Regexp{
	regexp.MustCompile(`(?i)^\s*[\[(]?\s*updated?(\s+\d+)?\s*([\])]|:|—|–|-)`),
	regexp.MustCompile(`(?i)[\[(]\s*updated?\b[^\])]*[\])]\s*$`),
	regexp.MustCompile(`(?i)\s[—–-]\s*updated?\s*$`),
}

// markedUpdated reports whether a headline carries the site's own update
// marker.
func markedUpdated(title string) bool {
	for _, re := range updateMarks {
		if re.MatchString(title) {
			return true
		}
	}
	return false
}

func footer(s news.Story, updated bool) string {
	parts := []string{fmt.Sprintf("story %d", s.ID)}
	if s.ID == 0 {
		parts[0] = "new story" // a preview: the number comes when it is stored
	}
	if s.CommentCount > 0 {
		parts = append(parts, english.Plural(s.CommentCount, "comment"))
	}
	if updated && s.Revision > 1 {
		parts = append(parts, fmt.Sprintf("revision %d", s.Revision))
	}
	return strings.Join(parts, " · ")
}

// fitTotal keeps the embed under Discord's 6000-character total by giving
// up description text first, the part a reader misses least.
func fitTotal(e *discordgo.MessageEmbed) {
	other := Len(e.Title)
	if e.Author != nil {
		other += Len(e.Author.Name)
	}
	if e.Footer != nil {
		other += Len(e.Footer.Text)
	}
	for _, f := range e.Fields {
		other += Len(f.Name) + Len(f.Value)
	}
	if room := MaxEmbedTotal - other; Len(e.Description) > room {
		e.Description = Trim(e.Description, max(room, 0), "")
	}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
