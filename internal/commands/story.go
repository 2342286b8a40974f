package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/english"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/render"
	"github.com/newsbot-dev/newsbot/internal/weburl"
)

// historyShown is how many revisions /story show lists before summing up
// the older ones.
const historyShown = 10

func (h *Handler) story(ctx context.Context, o options) (*discordgo.InteractionResponse, error) {
	id, err := o.storyID()
	if err != nil {
		return nil, err
	}
	s, err := h.loadStory(ctx, id)
	if err != nil {
		return nil, err
	}
	revs, err := h.Store.Revisions(ctx, id)
	if err != nil {
		return nil, err
	}
	switch o.sub {
	case "show":
		return h.storyShow(ctx, s, revs)
	case "changes":
		n, given, err := o.integer(optRevision)
		if err != nil {
			return nil, userErrorf("The revision option takes a revision number, like 2.")
		}
		return storyChanges(s, revs, int(n), given)
	}
	return nil, userErrorf("/story needs a subcommand: show or changes.")
}

// storyShow is the card the bot posts, with the revision history added.
func (h *Handler) storyShow(ctx context.Context, s news.Story, revs []news.Revision) (*discordgo.InteractionResponse, error) {
	e, err := render.StoryEmbed(s, h.feedPost(ctx, s.FeedID), s.Revision > 1)
	if err != nil {
		// A broken feed template falls back to the standard card; the
		// admin reads why in the log.
		h.log().Warn("story card template", "story", s.ID, "err", err)
	}
	e.Fields = append(e.Fields, &discordgo.MessageEmbedField{
		Name:  "Revision history",
		Value: history(revs),
	})
	fitEmbed(e)
	return message("", e), nil
}

func history(revs []news.Revision) string {
	if len(revs) == 0 {
		return "No revisions stored."
	}
	var lines []string
	start := max(0, len(revs)-historyShown)
	if start > 0 {
		lines = append(lines, fmt.Sprintf("*%s not shown*", english.Plural(start, "earlier revision")))
	}
	for _, r := range revs[start:] {
		line := fmt.Sprintf("**%d** · %s", r.Number, render.Timestamp(r.SeenAt, 'f'))
		if r.Number == 1 {
			line += " · first seen"
		} else {
			line += " · " + changeCounts(r)
		}
		if host := weburl.Host(r.SourceURL); host != "" {
			line += " · " + render.Escape(host)
		}
		lines = append(lines, line)
	}
	return render.Trim(strings.Join(lines, "\n"), render.MaxFieldValue, "")
}

func changeCounts(r news.Revision) string {
	var parts []string
	if r.OldTitle != "" {
		parts = append(parts, "new title")
	}
	if len(r.Added) > 0 {
		parts = append(parts, fmt.Sprintf("+%s", english.Plural(len(r.Added), "paragraph")))
	}
	if len(r.Removed) > 0 {
		parts = append(parts, fmt.Sprintf("−%s", english.Plural(len(r.Removed), "paragraph")))
	}
	if len(parts) == 0 {
		return "text edited"
	}
	return strings.Join(parts, ", ")
}

// storyChanges shows what each revision changed, newest first, or one
// revision's changes in full when asked for.
func storyChanges(s news.Story, revs []news.Revision, only int, given bool) (*discordgo.InteractionResponse, error) {
	if len(revs) < 2 {
		return message(fmt.Sprintf("Story %d hasn't changed since it was first seen %s: it has one revision.",
			s.ID, render.Timestamp(s.FirstSeen, 'R'))), nil
	}
	e := &discordgo.MessageEmbed{
		Type:  discordgo.EmbedTypeRich,
		Title: escapeFit("Changes: "+strings.TrimSpace(s.Title), render.MaxEmbedTitle),
		URL:   linkURL(s.URL),
	}
	if given {
		if only < 2 || only > len(revs) {
			return nil, userErrorf("Story %d has revisions 1 to %d; changes start at revision 2.", s.ID, len(revs))
		}
		r := revs[only-1]
		e.Description = revisionHeader(r) + "\n" + revisionText(r, render.MaxEmbedDescription-200)
		return message("", e), nil
	}
	e.Description = fmt.Sprintf("Story %d has %s. Newest first:", s.ID, english.Plural(len(revs), "revision"))
	total := render.Len(e.Title) + render.Len(e.Description)
	for i := len(revs) - 1; i >= 1; i-- {
		f := &discordgo.MessageEmbedField{
			Name:  render.Trim(revisionHeader(revs[i]), render.MaxFieldName, ""),
			Value: revisionText(revs[i], render.MaxFieldValue),
		}
		size := render.Len(f.Name) + render.Len(f.Value)
		// Keep room for the closing note.
		if len(e.Fields) == render.MaxEmbedFields-1 || total+size > render.MaxEmbedTotal-300 {
			e.Fields = append(e.Fields, &discordgo.MessageEmbedField{
				Name:  "Earlier revisions",
				Value: fmt.Sprintf("%s not shown — ask for one with the revision option.", english.Plural(i, "more revision")),
			})
			break
		}
		e.Fields = append(e.Fields, f)
		total += size
	}
	return message("", e), nil
}

func revisionHeader(r news.Revision) string {
	head := fmt.Sprintf("Revision %d", r.Number)
	if host := weburl.Host(r.SourceURL); host != "" {
		head += " · from " + host
	}
	return head
}

// revisionText lists a revision's changes within limit characters: the
// title change, the added paragraphs quoted, then what was removed.
func revisionText(r news.Revision, limit int) string {
	var b strings.Builder
	if at := render.Timestamp(r.SeenAt, 'R'); at != "" {
		b.WriteString("Seen " + at + "\n")
	}
	if r.OldTitle != "" {
		fmt.Fprintf(&b, "**Title:** ~~%s~~ → %s\n", escapeFit(r.OldTitle, 200), escapeFit(r.Title, 200))
	}
	sections := []struct {
		label string
		paras []string
	}{{"Added", r.Added}, {"Removed", r.Removed}}
	for _, sec := range sections {
		if len(sec.paras) == 0 {
			continue
		}
		b.WriteString("**" + sec.label + "**\n")
		for i, p := range sec.paras {
			q := render.Quote(render.Trim(p, 300, "")) + "\n"
			if render.Len(b.String())+render.Len(q)+60 > limit {
				fmt.Fprintf(&b, "*(%s more)*\n", english.Plural(len(sec.paras)-i, "paragraph"))
				break
			}
			b.WriteString(q)
		}
	}
	if b.Len() == 0 {
		return "The text was edited."
	}
	return render.Trim(strings.TrimSpace(b.String()), limit, "")
}

// fitEmbed keeps an embed within Discord's 6000-character total by
// giving up description text, the part a reader misses least.
func fitEmbed(e *discordgo.MessageEmbed) {
	other := render.Len(e.Title)
	if e.Author != nil {
		other += render.Len(e.Author.Name)
	}
	if e.Footer != nil {
		other += render.Len(e.Footer.Text)
	}
	for _, f := range e.Fields {
		other += render.Len(f.Name) + render.Len(f.Value)
	}
	if room := render.MaxEmbedTotal - other; render.Len(e.Description) > room {
		e.Description = render.Trim(e.Description, max(room, 0), "")
	}
}
