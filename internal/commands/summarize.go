package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/english"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/render"
	"github.com/newsbot-dev/newsbot/internal/summarize"
)

// Sizes of a summary's parts, in characters, so the whole embed stays
// well inside Discord's 6000.
const (
	pointChars    = 400
	turnChars     = 200
	overviewChars = 1500
	proseChars    = 2500
)

func (h *Handler) summarize(ctx context.Context, o options) (*discordgo.InteractionResponse, error) {
	id, err := o.storyID()
	if err != nil {
		return nil, err
	}
	length := summarize.Length(strings.ToLower(o.str(optLength)))
	switch length {
	case "":
		length = summarize.Standard
	case summarize.Short, summarize.Standard, summarize.Detailed:
	default:
		return nil, userErrorf("length is short, standard or detailed, not %s.", echo(string(length)))
	}
	style := summarize.Style(strings.ToLower(o.str(optStyle)))
	switch style {
	case "":
		style = summarize.Points
	case summarize.Points, summarize.Prose:
	default:
		return nil, userErrorf("style is points or prose, not %s.", echo(string(style)))
	}
	s, err := h.loadStory(ctx, id)
	if err != nil {
		return nil, err
	}
	cs, err := h.loadThread(ctx, s)
	if err != nil {
		return nil, err
	}
	t := summarize.Thread{Title: s.Title, Question: strings.Join(s.Paragraphs, "\n\n"), Author: s.Author, Comments: cs}
	d := summarize.NewDigest(t, length)
	var overview string
	if h.Summarizer.Configured() {
		r := summarize.Summarize(ctx, t, length, h.Summarizer)
		if r.Engine == summarize.EngineAbstractive {
			overview = r.Text
		} else {
			h.log().Warn("abstractive summary failed; the extracts stand alone", "story", id, "err", r.Fallback)
		}
	}
	if style == summarize.Prose {
		return message("", proseEmbed(s, d, overview, h.Summarizer)), nil
	}
	return message("", digestEmbed(s, d, overview, h.Summarizer)), nil
}

// proseEmbed renders the digest as a paragraph: the size line, then the
// prose, every quotation in it a commenter's words, escaped like any
// comment text.
func proseEmbed(s news.Story, d summarize.Digest, overview string, a *summarize.Abstractive) *discordgo.MessageEmbed {
	e, b := summaryEmbed(s, d, overview)
	if p := d.Prose(); p != "" {
		b.WriteString("\n\n" + render.Trim(render.Escape(p), proseChars, ""))
	}
	e.Description = render.Trim(b.String(), render.MaxEmbedDescription, "")
	e.Footer = &discordgo.MessageEmbedFooter{Text: proseNote(overview != "", a)}
	fitEmbed(e)
	return e
}

// summaryEmbed starts either layout: the title, the link, and the
// description's size line and overview, to which the layout adds.
func summaryEmbed(s news.Story, d summarize.Digest, overview string) (*discordgo.MessageEmbed, *strings.Builder) {
	e := &discordgo.MessageEmbed{
		Type:  discordgo.EmbedTypeRich,
		Title: escapeFit("Summary: "+strings.TrimSpace(s.Title), render.MaxEmbedTitle),
		URL:   linkURL(s.URL),
	}
	b := &strings.Builder{}
	b.WriteString(sizeLine(d))
	if overview != "" {
		b.WriteString("\n\n" + render.Trim(render.Escape(overview), overviewChars, ""))
	}
	return e, b
}

// digestEmbed renders a digest: size and span, the main points each with
// its author, disagreements, the most active people and the most
// replied-to comment.
func digestEmbed(s news.Story, d summarize.Digest, overview string, a *summarize.Abstractive) *discordgo.MessageEmbed {
	e, b := summaryEmbed(s, d, overview)
	if len(d.Points) > 0 {
		b.WriteString("\n\n**Main points**")
		for _, p := range d.Points {
			b.WriteString("\n• " + pointLine(p, pointChars))
		}
	}
	e.Description = render.Trim(b.String(), render.MaxEmbedDescription, "")
	for _, t := range d.Themes {
		e.Fields = append(e.Fields, themeField(t))
	}
	for _, x := range d.Disagreements {
		e.Fields = append(e.Fields, exchangeField(x))
	}
	if len(d.Active) > 0 {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "Most active", Value: activeLine(d.Active)})
	}
	if c := d.MostReplied; c != nil {
		v := fmt.Sprintf("%s · comment %d · %s\n%s", name(c.Author), c.Index, english.Plural(d.Replies, "direct reply"),
			render.Quote(render.Trim(strings.TrimSpace(c.Body), 300, "")))
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{
			Name: "Most replied-to", Value: render.Trim(v, render.MaxFieldValue, ""),
		})
	}
	e.Footer = &discordgo.MessageEmbedFooter{Text: engineNote(overview != "", a)}
	fitEmbed(e)
	return e
}

func sizeLine(d summarize.Digest) string {
	line := fmt.Sprintf("**%s** from **%s**", english.Plural(d.Comments, "comment"), english.Plural(d.People, "person"))
	if d.People != 1 {
		line = fmt.Sprintf("**%s** from **%d people**", english.Plural(d.Comments, "comment"), d.People)
	}
	if !d.First.IsZero() && d.Last.After(d.First) {
		line += fmt.Sprintf(", over %s (%s – %s)", span(d.Last.Sub(d.First)), render.Timestamp(d.First, 'f'), render.Timestamp(d.Last, 'f'))
	} else if !d.First.IsZero() {
		line += ", " + render.Timestamp(d.First, 'f')
	}
	return line + "."
}

// pointLine is one extract, verbatim but escaped, with its author and
// how many others made the same point.
func pointLine(p summarize.Point, limit int) string {
	text := escapeFit(strings.Join(strings.Fields(p.Text), " "), limit)
	line := "“" + text + "” — " + name(p.Author)
	if p.Others > 0 {
		line += " and " + english.Plural(p.Others, "other")
	}
	return line
}

// themeField is one theme of a long thread: its words, how many took
// part, and its best-supported extract.
func themeField(t summarize.Theme) *discordgo.MessageEmbedField {
	title := fmt.Sprintf("Theme: %s · %s", strings.Join(t.Words, ", "), english.Plural(t.People, "person"))
	if t.People != 1 {
		title = fmt.Sprintf("Theme: %s · %d people", strings.Join(t.Words, ", "), t.People)
	}
	return &discordgo.MessageEmbedField{
		Name:  render.Trim(render.Escape(title), render.MaxFieldName, ""),
		Value: render.Trim(pointLine(t.Point, turnChars), render.MaxFieldValue, ""),
	}
}

func exchangeField(x summarize.Exchange) *discordgo.MessageEmbedField {
	title := fmt.Sprintf("Disagreement: %s vs %s", strings.TrimSpace(x.People[0]), strings.TrimSpace(x.People[1]))
	var lines []string
	for _, t := range x.Turns {
		lines = append(lines, pointLine(t, turnChars))
	}
	return &discordgo.MessageEmbedField{
		Name:  render.Trim(title, render.MaxFieldName, ""),
		Value: render.Trim(strings.Join(lines, "\n"), render.MaxFieldValue, ""),
	}
}

func activeLine(ps []summarize.Participant) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("%s (%s, %s)", name(p.Author), english.Plural(p.Comments, "comment"), english.Plural(p.Words, "word"))
	}
	return render.Trim(strings.Join(parts, "\n"), render.MaxFieldValue, "")
}

// engineNote says which engine wrote the summary, so readers know whether
// the prose is a model's or every line is a commenter's own words.
func engineNote(abstractive bool, a *summarize.Abstractive) string {
	if abstractive {
		return render.Trim(fmt.Sprintf("Overview written by a language model (%s); the main points are quoted from the thread.", a.Model), render.MaxFooter, "")
	}
	return "Extractive summary: every point is quoted from the thread and credited to its author."
}

// proseNote is engineNote for the prose digest: the quotations are the
// commenters', the words around them the bot's.
func proseNote(abstractive bool, a *summarize.Abstractive) string {
	if abstractive {
		return engineNote(true, a)
	}
	return "Prose digest: every quotation is a commenter's own words, credited to them; the words around them are the bot's."
}
