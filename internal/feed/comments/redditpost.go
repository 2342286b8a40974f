package comments

import (
	"bytes"
	"cmp"
	"fmt"
	"strings"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// redditPost is the post (t3) a /comments/<id> response starts with.
type redditPost struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Title      string  `json:"title"`
	URL        string  `json:"url"`
	Permalink  string  `json:"permalink"`
	Selftext   string  `json:"selftext"`
	Author     string  `json:"author"`
	Subreddit  string  `json:"subreddit"`
	CreatedUTC float64 `json:"created_utc"`
}

// ParseRedditPost reads a saved Reddit /comments/<id>.json response (a
// comment-context response has the same shape) as a story: the post is
// the article - its link, or the discussion itself for a self post - and
// the listing under it is its comment thread, with Reddit's nesting.
func ParseRedditPost(data []byte, maxComments int) (news.Article, Stats, error) {
	t := bytes.TrimSpace(data)
	if len(t) == 0 || t[0] != '[' {
		return news.Article{}, Stats{}, fmt.Errorf("reddit: want the [post listing, comment listing] of /comments/<id>.json, got %q", t[:min(len(t), 16)])
	}
	var ls []struct {
		Kind string `json:"kind"`
		Data struct {
			Children []struct {
				Kind string     `json:"kind"`
				Data redditPost `json:"data"`
			} `json:"children"`
		} `json:"data"`
	}
	if err := decodeJSON(t, &ls); err != nil {
		return news.Article{}, Stats{}, fmt.Errorf("reddit: parse: %w", err)
	}
	if len(ls) < 2 || len(ls[0].Data.Children) == 0 || ls[0].Data.Children[0].Kind != "t3" {
		return news.Article{}, Stats{}, fmt.Errorf("reddit: want the [post listing, comment listing] of /comments/<id>.json; the first listing holds no post (t3)")
	}
	p := ls[0].Data.Children[0].Data
	if strings.TrimSpace(p.Title) == "" {
		return news.Article{}, Stats{}, fmt.Errorf("reddit: post %s has no title", cmp.Or(p.Name, p.ID))
	}
	cs, st, err := ParseReddit(t, maxComments)
	if err != nil {
		return news.Article{}, Stats{}, fmt.Errorf("reddit: post %s: %w", cmp.Or(p.Name, p.ID), err)
	}
	discussion := ""
	if p.Permalink != "" {
		discussion = DefaultRedditBase + "/" + strings.TrimLeft(p.Permalink, "/")
	}
	a := news.Article{
		GUID:        cmp.Or(p.Name, "t3_"+p.ID),
		URL:         cmp.Or(strings.TrimSpace(p.URL), discussion),
		Title:       strings.TrimSpace(p.Title),
		Author:      p.Author,
		CommentsURL: discussion,
		ExternalID:  cmp.Or(p.Name, "t3_"+p.ID),
		Published:   unixTime(p.CreatedUTC),
		Paragraphs:  paragraphs(p.Selftext),
	}
	if p.Subreddit != "" {
		a.Source = "reddit.com/r/" + p.Subreddit
	}
	if len(cs) > 0 {
		a.Comments = cs
	}
	return a, st, nil
}

// paragraphs splits plain text at blank lines.
func paragraphs(s string) []string {
	if t := plainText(s); t != "" {
		return strings.Split(t, "\n\n")
	}
	return nil
}
