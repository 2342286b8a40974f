package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/english"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/render"
)

// How /quote picks among the comments that match. Top is the default: the
// comment the thread valued most (by score where the source keeps one,
// else by direct replies) is the one worth quoting.
const (
	pickTop    = "top"
	pickLatest = "latest"
	pickRandom = "random"
)

func (h *Handler) quote(ctx context.Context, o options) (*discordgo.InteractionResponse, error) {
	id, err := o.storyID()
	if err != nil {
		return nil, err
	}
	pick := strings.ToLower(o.str(optPick))
	if pick == "" {
		pick = pickTop
	}
	if pick != pickTop && pick != pickLatest && pick != pickRandom {
		return nil, userErrorf("pick is top, latest or random, not %s.", echo(pick))
	}
	s, err := h.loadStory(ctx, id)
	if err != nil {
		return nil, err
	}
	all, err := h.loadThread(ctx, s)
	if err != nil {
		return nil, err
	}
	author, contains := o.str(optAuthor), o.str(optContains)
	found, err := h.findComments(ctx, id, author, contains)
	if err != nil {
		return nil, err
	}
	c := h.choose(found, all, pick)
	return message(quoteText(s, c, all)), nil
}

// findComments returns the live comments by exactly author (any case)
// that contain contains. When none match it says which filter failed.
func (h *Handler) findComments(ctx context.Context, id int64, author, contains string) ([]news.Comment, error) {
	found, err := h.Store.FindComments(ctx, id, author, contains)
	if err != nil {
		return nil, err
	}
	found = byAuthor(found, author)
	if len(found) > 0 {
		return found, nil
	}
	if author != "" {
		// The store matches names by prefix; a quote of someone else
		// would be worse than no quote, so prefixes only become a hint.
		similar, err := h.Store.FindComments(ctx, id, author, "")
		if err != nil {
			return nil, err
		}
		if len(byAuthor(slices.Clone(similar), author)) == 0 {
			return nil, h.noSuchAuthor(ctx, id, author, similar)
		}
		return nil, userErrorf("No comment by %s on story %d contains %s.", name(author), id, echo(contains))
	}
	return nil, userErrorf("No comment on story %d contains %s.", id, echo(contains))
}

func byAuthor(cs []news.Comment, author string) []news.Comment {
	if author == "" {
		return cs
	}
	return slices.DeleteFunc(cs, func(c news.Comment) bool {
		return !strings.EqualFold(strings.TrimSpace(c.Author), author)
	})
}

func (h *Handler) noSuchAuthor(ctx context.Context, id int64, author string, similar []news.Comment) error {
	var names []string
	for _, c := range similar {
		n := escapeFit(strings.TrimSpace(c.Author), 40)
		if !slices.Contains(names, n) && len(names) < 3 {
			names = append(names, n)
		}
	}
	if len(names) > 0 {
		return userErrorf("%s hasn't commented on story %d — did you mean %s?",
			escapeFit(author, 64), id, strings.Join(names, " or "))
	}
	hint, err := h.commentersHint(ctx, id)
	if err != nil {
		return err
	}
	return userErrorf("%s hasn't commented on story %d%s.", escapeFit(author, 64), id, hint)
}

// choose picks one comment of found (never empty) as pick says; all is
// the whole thread, for reply counts.
func (h *Handler) choose(found, all []news.Comment, pick string) news.Comment {
	switch pick {
	case pickRandom:
		return found[h.rand().IntN(len(found))]
	case pickLatest:
		best := found[0]
		for _, c := range found[1:] {
			if !c.PostedAt.Before(best.PostedAt) {
				best = c
			}
		}
		return best
	}
	replies := map[int]int{}
	for _, c := range all {
		if c.ReplyTo != 0 && c.ReplyTo != c.Index {
			replies[c.ReplyTo]++
		}
	}
	scored := slices.ContainsFunc(found, func(c news.Comment) bool { return c.HasScore })
	best := found[0]
	for _, c := range found[1:] {
		if better(c, best, scored, replies) {
			best = c
		}
	}
	return best
}

// better orders comments for pick:top: score when the source has scores,
// then direct replies; the earlier comment wins a tie.
func better(a, b news.Comment, scored bool, replies map[int]int) bool {
	if scored && a.HasScore != b.HasScore {
		return a.HasScore
	}
	if scored && a.Score != b.Score {
		return a.Score > b.Score
	}
	return replies[a.Index] > replies[b.Index]
}

// quoteText renders a comment as a Discord quote block under a line that
// says who wrote it, when, whether it was edited and whom it answered.
// A comment too long for one message is cut at a sentence, and says so.
func quoteText(s news.Story, c news.Comment, all []news.Comment) string {
	head := []string{name(c.Author)}
	if at := render.Timestamp(c.PostedAt, 'R'); at != "" {
		head = append(head, at)
	}
	if c.Edited() {
		head = append(head, strings.TrimSpace("*edited* "+render.Timestamp(c.EditedAt, 'R')))
	}
	if p, ok := byIndex(all)[c.ReplyTo]; ok && c.ReplyTo != c.Index {
		if p.Deleted {
			head = append(head, "in reply to a deleted comment")
		} else {
			head = append(head, "in reply to "+name(p.Author))
		}
	}
	foot := fmt.Sprintf("-# comment %d on %s · story %d", c.Index, storyLink(s, 150), s.ID)
	header := strings.Join(head, " · ")
	room := render.MaxContent - render.Len(header) - render.Len(foot) - 2
	body := strings.TrimSpace(c.Body)
	if body == "" {
		return header + "\n> *(no text)*\n" + foot
	}
	q := render.Quote(body)
	if render.Len(q) > room {
		q = cutQuote(body, room-130, s)
	}
	return header + "\n" + q + "\n" + foot
}

// cutQuote quotes the opening of body within room characters, cut at a
// sentence where one is near, and adds a line saying how much is left.
func cutQuote(body string, room int, s news.Story) string {
	n := room
	var q, kept string
	for i := 0; i < 8; i++ {
		kept = render.Trim(body, max(n, 1), "")
		q = render.Quote(kept)
		over := render.Len(q) - room
		if over <= 0 {
			break
		}
		n -= over
	}
	left := len(strings.Fields(body)) - len(strings.Fields(kept)) + 1
	note := fmt.Sprintf("-# ✂ Cut to fit one message: about %s more.", english.Plural(max(left, 1), "word"))
	// The note's room is fixed, so only a short link fits in it.
	if u := linkURL(firstNonEmpty(s.CommentsURL, s.URL)); u != "" && len(u) <= 60 {
		note = fmt.Sprintf("-# ✂ Cut to fit one message: about %s more [on the site](<%s>).", english.Plural(max(left, 1), "word"), u)
	}
	return q + "\n" + note
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
