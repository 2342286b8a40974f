package render

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/news"
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

// TemplateData is what a per-feed template sees.
type TemplateData struct {
	ID        int64
	Title     string // escaped for Discord markdown
	URL       string
	Lead      string // first paragraphs, escaped and trimmed at a sentence
	Text      string // whole text, escaped (trimmed to the description limit)
	Source    string
	Author    string
	Published time.Time
	Comments  int
	Revision  int
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
// was first posted, which is how an edited post shows an update happened.
func StoryEmbed(s news.Story, p Post, updated bool) (*discordgo.MessageEmbed, error) {
	title := Escape(s.Title)
	if updated {
		title = "Updated: " + title
	}
	e := &discordgo.MessageEmbed{
		Type:  discordgo.EmbedTypeRich,
		Title: Trim(title, MaxEmbedTitle, ""),
		URL:   s.URL,
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
	if s.ImageURL != "" {
		e.Image = &discordgo.MessageEmbedImage{URL: s.ImageURL}
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
	var buf bytes.Buffer
	data := TemplateData{
		ID: s.ID, Title: Escape(s.Title), URL: s.URL, Lead: lead,
		Text:   Trim(Escape(strings.Join(s.Paragraphs, "\n\n")), MaxEmbedDescription, ""),
		Source: s.Source, Author: s.Author, Published: s.Published,
		Comments: s.CommentCount, Revision: s.Revision,
	}
	if err := t.Execute(&buf, data); err != nil {
		return lead, fmt.Errorf("render story %d with template %q: %w", s.ID, t.Name(), err)
	}
	return buf.String(), nil
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

func footer(s news.Story, updated bool) string {
	parts := []string{fmt.Sprintf("story %d", s.ID)}
	if s.CommentCount > 0 {
		parts = append(parts, plural(s.CommentCount, "comment"))
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

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
