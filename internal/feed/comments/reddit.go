package comments

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// DefaultRedditBase is Reddit's public JSON API.
const DefaultRedditBase = "https://www.reddit.com"

// redditPageLimit is the most comments Reddit returns in one response.
const redditPageLimit = 500

var redditID = regexp.MustCompile(`^[0-9a-z]{1,13}$`)

// One shape serves both kinds of thing a comment listing holds: a comment
// (t1) and a "more" stub. Fields of the wrong type are left zero by
// decodeJSON rather than failing the thread.
type redditThing struct {
	Kind string     `json:"kind"`
	Data redditData `json:"data"`
}

type redditData struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	ParentID    string         `json:"parent_id"`
	Author      string         `json:"author"`
	Body        string         `json:"body"`
	Score       float64        `json:"score"`
	ScoreHidden bool           `json:"score_hidden"`
	CreatedUTC  float64        `json:"created_utc"`
	Edited      any            `json:"edited"`  // false, or the edit's Unix time
	Replies     *redditListing `json:"replies"` // "" when there are none
	Count       int            `json:"count"`   // "more" stubs
}

type redditListing struct {
	Kind string `json:"kind"`
	Data struct {
		Children []redditThing `json:"children"`
	} `json:"data"`
}

// Reddit loads the comments of post postID (base36, with or without "t3_")
// from base's /comments/<id>.json (DefaultRedditBase when base is empty).
// Comments come in page order with Reddit's own nesting; [deleted] and
// [removed] comments stay as Deleted placeholders so their replies keep
// their parent, and "more" stubs are only counted (Stats.More).
func Reddit(ctx context.Context, g Getter, base, postID string, maxComments int) ([]news.Comment, Stats, error) {
	id := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(postID), "t3_"))
	if !redditID.MatchString(id) {
		return nil, Stats{}, fmt.Errorf("reddit: post id %q is not a Reddit id: %w", postID, news.ErrInvalid)
	}
	if g == nil {
		return nil, Stats{}, fmt.Errorf("reddit: post %s: %w", id, errNoGetter)
	}
	base = strings.TrimRight(cmp.Or(strings.TrimSpace(base), DefaultRedditBase), "/")
	// raw_json=1 asks for bodies as typed, without the legacy &amp; escaping.
	u := fmt.Sprintf("%s/comments/%s.json?raw_json=1&limit=%d", base, id, min(limit(maxComments), redditPageLimit))
	data, err := g.Get(ctx, u)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("reddit: post %s (%s): %w", id, u, err)
	}
	cs, st, err := ParseReddit(data, maxComments)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("reddit: post %s (%s): %w", id, u, err)
	}
	return cs, st, nil
}

// ParseReddit reads a Reddit comments response: the two-listing array of
// /comments/<id>.json (a comment-context response has the same shape), or a
// bare comment Listing.
func ParseReddit(data []byte, maxComments int) ([]news.Comment, Stats, error) {
	var st Stats
	top, err := redditComments(data)
	if err != nil {
		return nil, st, err
	}
	p := &redditWalk{max: limit(maxComments), st: &st}
	p.walk(top)
	number(p.out)
	return p.out, st, nil
}

// redditComments finds the comment listing's children in a response.
func redditComments(data []byte) ([]redditThing, error) {
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return nil, fmt.Errorf("parse: empty response")
	case trimmed[0] == '[':
		var ls []redditListing
		if err := decodeJSON(trimmed, &ls); err != nil {
			return nil, fmt.Errorf("parse: %w", err)
		}
		if len(ls) < 2 || ls[1].Kind != "Listing" {
			return nil, fmt.Errorf("parse: want [post listing, comment listing], got %d element(s)", len(ls))
		}
		return ls[1].Data.Children, nil
	case trimmed[0] == '{':
		var l struct {
			redditListing
			Error   any    `json:"error"`
			Message string `json:"message"`
		}
		if err := decodeJSON(trimmed, &l); err != nil {
			return nil, fmt.Errorf("parse: %w", err)
		}
		if l.Kind != "Listing" {
			return nil, fmt.Errorf("parse: not a comment listing (kind %q, error %v %q)", l.Kind, l.Error, l.Message)
		}
		return l.Data.Children, nil
	}
	return nil, fmt.Errorf("parse: not a Reddit JSON response (starts with %q)", trimmed[:min(len(trimmed), 16)])
}

type redditWalk struct {
	max int
	st  *Stats
	out []news.Comment
}

// walk lists things depth first. Past the cap it only counts, so a huge
// thread costs no more comments in memory than the cap allows.
func (p *redditWalk) walk(things []redditThing) {
	for i := range things {
		t := &things[i]
		switch t.Kind {
		case "more":
			p.st.More += max(t.Data.Count, 0)
		case "t1":
			p.st.Fetched++
			if len(p.out) < p.max {
				p.out = append(p.out, redditComment(&t.Data))
			} else {
				p.st.Dropped++
			}
			if t.Data.Replies != nil {
				p.walk(t.Data.Replies.Data.Children)
			}
		}
	}
}

func redditComment(d *redditData) news.Comment {
	name := d.Name
	if name == "" && d.ID != "" {
		name = "t1_" + d.ID
	}
	c := news.Comment{
		ExternalID: name,
		ParentID:   d.ParentID,
		Author:     d.Author,
		Body:       d.Body,
		PostedAt:   unixTime(d.CreatedUTC),
		Score:      int(clamp(d.Score)),
		HasScore:   !d.ScoreHidden,
	}
	if f, ok := d.Edited.(float64); ok {
		c.EditedAt = unixTime(f)
	}
	if d.Body == "[deleted]" || d.Body == "[removed]" {
		c.Deleted = true
		c.Body = ""
		if c.Author == "[deleted]" {
			c.Author = ""
		}
	}
	return c
}

// unixTime converts Reddit's float seconds; nonsense values give zero time.
func unixTime(f float64) time.Time {
	if f <= 0 || math.IsNaN(f) || f > 1e11 {
		return time.Time{}
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}

func clamp(f float64) float64 {
	if math.IsNaN(f) {
		return 0
	}
	return max(min(f, math.MaxInt32), math.MinInt32)
}

// RedditPostID returns the post id in a Reddit discussion URL:
// /r/<sub>/comments/<id>/…, /comments/<id>, /user/<u>/comments/<id> on any
// reddit.com host, or redd.it/<id>.
func RedditPostID(rawURL string) (string, bool) {
	u, ok := parseLooseURL(rawURL)
	if !ok {
		return "", false
	}
	host := strings.ToLower(u.Hostname())
	parts := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	var id string
	switch {
	case host == "redd.it":
		if len(parts) == 1 {
			id = parts[0]
		}
	case host == "reddit.com" || strings.HasSuffix(host, ".reddit.com"):
		for i := 0; i+1 < len(parts); i++ {
			if parts[i] == "comments" {
				id = parts[i+1]
				break
			}
		}
	}
	id = strings.ToLower(id)
	if !redditID.MatchString(id) {
		return "", false
	}
	return id, true
}
