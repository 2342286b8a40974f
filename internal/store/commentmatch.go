package store

import (
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/revision"
)

// matchComments pairs input comments with stored ones, in passes from the
// surest evidence to the weakest so that a weak match never takes a stored
// comment a later input comment matches exactly: external id, then author
// and text, then author and posting time.
func matchComments(existing []*stored, cs []news.Comment, t time.Time) []*stored {
	matched := make([]*stored, len(cs))
	byExt := map[string]*stored{}
	byText := map[string][]*stored{}
	byAuthor := map[string][]*stored{}
	for _, s := range existing {
		if s.externalID != "" {
			byExt[s.externalID] = s
		}
		byText[authorKey(s.author)+"\x00"+bodyKey(s.body)] = append(byText[authorKey(s.author)+"\x00"+bodyKey(s.body)], s)
		byAuthor[authorKey(s.author)] = append(byAuthor[authorKey(s.author)], s)
	}
	take := func(i int, s *stored) {
		s.used = true
		matched[i] = s
	}
	for i, c := range cs {
		if s := byExt[c.ExternalID]; c.ExternalID != "" && s != nil && !s.used {
			take(i, s)
		}
	}
	for i, c := range cs {
		if matched[i] != nil {
			continue
		}
		for _, s := range byText[authorKey(c.Author)+"\x00"+bodyKey(c.Body)] {
			if !s.used && idsCompatible(s, c) {
				take(i, s)
				break
			}
		}
	}
	for i, c := range cs {
		if matched[i] != nil || c.PostedAt.IsZero() {
			continue
		}
		if s := nearestInTime(byAuthor[authorKey(c.Author)], c, t); s != nil {
			take(i, s)
		}
	}
	return matched
}

// idsCompatible rules out pairing two comments that both carry external
// ids, which would already have matched if they were the same.
func idsCompatible(s *stored, c news.Comment) bool {
	return s.externalID == "" || c.ExternalID == ""
}

func nearestInTime(cands []*stored, c news.Comment, t time.Time) *stored {
	tol := postedTolerance(t.Sub(c.PostedAt))
	var best *stored
	var bestGap time.Duration
	for _, s := range cands {
		if s.used || s.postedAt.IsZero() || !idsCompatible(s, c) {
			continue
		}
		gap := s.postedAt.Sub(c.PostedAt)
		if gap < 0 {
			gap = -gap
		}
		if gap <= tol && (best == nil || gap < bestGap) && (c.Deleted || isEditOf(s.body, c.Body)) {
			best, bestGap = s, gap
		}
	}
	return best
}

// postedTolerance is how far two resolutions of one relative age can be
// apart: "45m ago" is exact to the minute, "5h ago" to the hour, "3d ago"
// to the day, and "2y ago" to months.
// editSimilarity is how much of the shorter text an edit must keep: a typo
// fixed or a sentence added keeps nearly all of it, while another comment
// by the same person posted around the same time keeps little.
const editSimilarity = 0.3

// isEditOf reports whether body could be an edited version of old. (A
// deleted comment keeps nothing; it matches by author and time alone.)
func isEditOf(old, body string) bool {
	return revision.Similarity([]string{old}, []string{body}) >= editSimilarity
}

func postedTolerance(age time.Duration) time.Duration {
	if age < 0 {
		age = -age
	}
	switch {
	case age < time.Hour:
		return 2 * time.Minute
	case age < 24*time.Hour:
		return 90 * time.Minute
	case age < 30*24*time.Hour:
		return 36 * time.Hour
	default:
		return age / 15
	}
}
