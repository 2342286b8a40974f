package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/english"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/render"
)

// A /thread page holds at most pageLines lines and pageChars characters of
// outline; the rest of the message is the header and the buttons.
const (
	pageLines    = 20
	pageChars    = 1400
	snippetChars = 90
	maxIndent    = 6
	threadPrefix = "thread:"
	maxCustomID  = 100
)

func (h *Handler) thread(ctx context.Context, o options) (*discordgo.InteractionResponse, error) {
	id, err := o.storyID()
	if err != nil {
		return nil, err
	}
	data, err := h.threadPage(ctx, id, o.str(optAuthor), 1)
	if err != nil {
		return nil, err
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data}, nil
}

// component answers a button click by redrawing the message it is on.
func (h *Handler) component(ctx context.Context, i *discordgo.Interaction) (*discordgo.InteractionResponse, error) {
	d, ok := componentData(i)
	if !ok {
		return nil, userErrorf("That button arrived without its data.")
	}
	id, page, author, ok := parseThreadID(d.CustomID)
	if !ok {
		return nil, userErrorf("That button belongs to an older version of newsbot — run /thread again.")
	}
	data, err := h.threadPage(ctx, id, author, page)
	if err != nil {
		return nil, err
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: data}, nil
}

// threadID encodes what a page button needs to redraw its page: story,
// page and author filter (last, since a name may hold ':').
func threadID(story int64, page int, author string) string {
	return fmt.Sprintf("%s%d:%d:%s", threadPrefix, story, page, author)
}

func parseThreadID(s string) (story int64, page int, author string, ok bool) {
	rest, found := strings.CutPrefix(s, threadPrefix)
	parts := strings.SplitN(rest, ":", 3)
	if !found || len(parts) != 3 {
		return 0, 0, "", false
	}
	story, err1 := strconv.ParseInt(parts[0], 10, 64)
	page, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || story <= 0 || page <= 0 {
		return 0, 0, "", false
	}
	return story, page, parts[2], true
}

// threadPage renders one page of a story's outline. A page past the end
// (the thread shrank since the buttons were drawn) shows the last page.
func (h *Handler) threadPage(ctx context.Context, id int64, author string, page int) (*discordgo.InteractionResponseData, error) {
	s, err := h.loadStory(ctx, id)
	if err != nil {
		return nil, err
	}
	cs, err := h.loadThread(ctx, s)
	if err != nil {
		return nil, err
	}
	entries := outline(cs)
	if author != "" {
		if entries = involving(entries, cs, author); len(entries) == 0 {
			return nil, h.noSuchAuthor(ctx, id, author, nil)
		}
	}
	pages := paginate(entries, author)
	page = min(max(page, 1), len(pages))
	head := fmt.Sprintf("**Thread of story %d:** %s · %s", id, storyLink(s, 100), english.Plural(len(cs), "comment"))
	if author != "" {
		head += fmt.Sprintf(" · %s involving %s", english.Plural(len(entries), "comment"), name(author))
	}
	if len(pages) > 1 {
		head += fmt.Sprintf(" · page %d of %d", page, len(pages))
	}
	data := &discordgo.InteractionResponseData{
		Content:         render.Trim(head+"\n"+pages[page-1], render.MaxContent, ""),
		AllowedMentions: render.NoMentions(),
		Components:      []discordgo.MessageComponent{},
	}
	if len(pages) > 1 {
		prev, next := threadID(id, page-1, author), threadID(id, page+1, author)
		if len(prev) > maxCustomID || len(next) > maxCustomID {
			data.Content = render.Trim(data.Content+"\n-# This name is too long to page through; try a shorter one.", render.MaxContent, "")
		} else {
			data.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.Button{Label: "◀ Previous", Style: discordgo.SecondaryButton, CustomID: prev, Disabled: page == 1},
				discordgo.Button{Label: "Next ▶", Style: discordgo.SecondaryButton, CustomID: next, Disabled: page == len(pages)},
			}}}
		}
	}
	return data, nil
}

// entry is one comment's place in the outline.
type entry struct {
	c     *news.Comment
	depth int
}

// outline orders comments depth first, each reply under the comment it
// answers. A reply that names a later or unknown comment stands at the
// top level, so a bad ReplyTo can neither hide a comment nor loop.
func outline(cs []news.Comment) []entry {
	pos := make(map[int]int, len(cs))
	for i, c := range cs {
		pos[c.Index] = i
	}
	children := make([][]int, len(cs))
	var roots []int
	for i, c := range cs {
		if p, ok := pos[c.ReplyTo]; ok && c.ReplyTo != 0 && p < i {
			children[p] = append(children[p], i)
		} else {
			roots = append(roots, i)
		}
	}
	out := make([]entry, 0, len(cs))
	var walk func(i, depth int)
	walk = func(i, depth int) {
		out = append(out, entry{c: &cs[i], depth: depth})
		for _, ch := range children[i] {
			walk(ch, depth+1)
		}
	}
	for _, r := range roots {
		walk(r, 0)
	}
	return out
}

// involving keeps the outline around one person: their comments, the
// comments they answered (and those comments' ancestors, for context), and
// the direct replies they drew.
func involving(entries []entry, cs []news.Comment, author string) []entry {
	at := byIndex(cs)
	keep := map[int]bool{}
	for _, c := range cs {
		if c.Deleted || !strings.EqualFold(strings.TrimSpace(c.Author), author) {
			continue
		}
		// Walk up the reply chain; indexes only decrease, so it ends.
		for p, ok := &c, true; ok && !keep[p.Index]; {
			keep[p.Index] = true
			prev := p.Index
			p, ok = at[p.ReplyTo]
			ok = ok && p.Index < prev
		}
	}
	for _, c := range cs {
		if p, ok := at[c.ReplyTo]; ok && !p.Deleted && strings.EqualFold(strings.TrimSpace(p.Author), author) {
			keep[c.Index] = true
		}
	}
	if len(keep) == 0 {
		return nil
	}
	var out []entry
	for _, e := range entries {
		if keep[e.c.Index] {
			out = append(out, e)
		}
	}
	return out
}

// paginate packs outline lines into pages. It depends on the thread
// alone, so a button click recomputes the same pages.
func paginate(entries []entry, author string) []string {
	var pages []string
	var cur []string
	size := 0
	for _, e := range entries {
		line := outlineLine(e, author)
		if len(cur) == pageLines || (len(cur) > 0 && size+render.Len(line)+1 > pageChars) {
			pages = append(pages, strings.Join(cur, "\n"))
			cur, size = nil, 0
		}
		cur = append(cur, line)
		size += render.Len(line) + 1
	}
	return append(pages, strings.Join(cur, "\n"))
}

func outlineLine(e entry, author string) string {
	var b strings.Builder
	if e.depth > 0 {
		// Em spaces survive Discord's trimming of leading white space.
		b.WriteString(strings.Repeat("\u2003", min(e.depth, maxIndent)-1) + "↳ ")
	}
	fmt.Fprintf(&b, "`#%d` ", e.c.Index)
	if e.c.Deleted {
		b.WriteString("*(deleted)*")
		return b.String()
	}
	who := escapeFit(strings.TrimSpace(e.c.Author), 40)
	if who == "" {
		who = "someone"
	}
	if author != "" && strings.EqualFold(strings.TrimSpace(e.c.Author), author) {
		who = "__" + who + "__"
	}
	b.WriteString("**" + who + "**")
	if at := render.Timestamp(e.c.PostedAt, 'R'); at != "" {
		b.WriteString(" " + at)
	}
	snippet := strings.Join(strings.Fields(e.c.Body), " ")
	if snippet != "" {
		b.WriteString(" — " + escapeFit(render.Trim(snippet, snippetChars, ""), snippetChars+40))
	}
	return b.String()
}
