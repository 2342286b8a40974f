package comments

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// DefaultAlgoliaBase is the Algolia Hacker News API, which answers a whole
// thread in one request.
const DefaultAlgoliaBase = "https://hn.algolia.com"

// hnNode is one item of a Hacker News item tree, in either dialect: the
// official API's item (kids as ids, or as items in a dump that expanded
// them) or Algolia's (children, author, created_at_i, parent_id).
type hnNode struct {
	ID          int64             `json:"id"`
	Type        string            `json:"type"`
	By          string            `json:"by"`
	Author      string            `json:"author"`
	Time        int64             `json:"time"`
	CreatedAtI  int64             `json:"created_at_i"`
	Title       string            `json:"title"`
	URL         string            `json:"url"`
	Text        string            `json:"text"`
	Parent      int64             `json:"parent"`
	ParentID    int64             `json:"parent_id"`
	Kids        []json.RawMessage `json:"kids"`
	Children    []hnNode          `json:"children"`
	Deleted     bool              `json:"deleted"`
	Dead        bool              `json:"dead"`
	Descendants int               `json:"descendants"`
}

func (n *hnNode) author() string { return cmp.Or(n.By, n.Author) }

func (n *hnNode) posted() time.Time {
	if t := cmp.Or(n.Time, n.CreatedAtI); t > 0 && t < 1e11 {
		return time.Unix(t, 0).UTC()
	}
	return time.Time{}
}

// HNItemURL is the discussion page of a Hacker News item.
func HNItemURL(id int64) string {
	return "https://news.ycombinator.com/item?id=" + strconv.FormatInt(id, 10)
}

// HackerNewsAlgolia loads the comments under item itemID from the Algolia
// API at base (DefaultAlgoliaBase when empty): /api/v1/items/<id>, the
// whole tree in one answer. Comments come in page order, capped at
// maxComments (0 = DefaultMax); deleted ones with replies stay as
// placeholders, as with HackerNews.
func HackerNewsAlgolia(ctx context.Context, g Getter, base, itemID string, maxComments int) ([]news.Comment, Stats, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(itemID), 10, 64)
	if err != nil || id <= 0 {
		return nil, Stats{}, fmt.Errorf("hacker news (algolia): item id %q is not a positive number: %w", itemID, news.ErrInvalid)
	}
	if g == nil {
		return nil, Stats{}, fmt.Errorf("hacker news (algolia): item %d: %w", id, errNoGetter)
	}
	u := strings.TrimRight(cmp.Or(strings.TrimSpace(base), DefaultAlgoliaBase), "/") + "/api/v1/items/" + strconv.FormatInt(id, 10)
	data, err := g.Get(ctx, u)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("hacker news (algolia): item %d (%s): %w", id, u, err)
	}
	root, err := decodeHNTree(data)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("hacker news (algolia): item %d (%s): %w", id, u, err)
	}
	w := hnTreeWalk{max: limit(maxComments)}
	w.kids(root)
	number(w.out)
	return w.out, w.st, nil
}

// decodeHNTree reads one item with whatever of its tree the document holds.
func decodeHNTree(data []byte) (*hnNode, error) {
	t := bytes.TrimSpace(data)
	if len(t) == 0 || t[0] != '{' {
		return nil, fmt.Errorf("parse: not a Hacker News item (want a JSON object, got %q)", t[:min(len(t), 16)])
	}
	var n hnNode
	if err := decodeJSON(t, &n); err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	if n.ID <= 0 {
		return nil, fmt.Errorf("parse: not a Hacker News item (no \"id\")")
	}
	return &n, nil
}

// hnTreeWalk lists the comments a tree holds, depth first. Replies named
// only by id are counted in Stats.Unfetched: the document does not have them.
type hnTreeWalk struct {
	max int
	st  Stats
	out []news.Comment
}

// kids walks the replies of n, whichever way the document gives them.
func (w *hnTreeWalk) kids(n *hnNode) {
	for _, raw := range n.Kids {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || raw[0] != '{' {
			w.st.Unfetched++
			continue
		}
		var k hnNode
		if err := decodeJSON(raw, &k); err != nil || k.ID <= 0 {
			w.st.Missing++
			continue
		}
		w.node(&k, n.ID)
	}
	for i := range n.Children {
		w.node(&n.Children[i], n.ID)
	}
}

func (w *hnTreeWalk) node(n *hnNode, parent int64) {
	w.st.Fetched++
	gone := n.Deleted || n.Dead || (n.author() == "" && strings.TrimSpace(n.Text) == "")
	hasReplies := len(n.Kids) > 0 || len(n.Children) > 0
	switch {
	case n.Type != "" && n.Type != "comment", gone && !hasReplies:
		w.st.Skipped++
	case len(w.out) >= w.max:
		w.st.Dropped++
	default:
		c := news.Comment{
			ExternalID: strconv.FormatInt(n.ID, 10),
			ParentID:   strconv.FormatInt(cmp.Or(n.Parent, n.ParentID, parent), 10),
			PostedAt:   n.posted(),
			Deleted:    gone,
		}
		if !gone {
			c.Author, c.Body = n.author(), htmlText(n.Text)
		}
		w.out = append(w.out, c)
	}
	w.kids(n)
}

// ParseHNItem reads a Hacker News item document as a story: an item of the
// official API (…/v0/item/<id>.json) or an Algolia item tree
// (/api/v1/items/<id>). A story, job or poll becomes an article whose
// comments are those the document holds: Algolia's children, or kids a
// dump expanded into items. Kids given only as ids are counted in
// Stats.Unfetched - a feed with comments: {source: hackernews} fetches
// them. A comment or poll option is not a story, and says which item is.
func ParseHNItem(data []byte, maxComments int) (news.Article, Stats, error) {
	n, err := decodeHNTree(data)
	if err != nil {
		return news.Article{}, Stats{}, err
	}
	switch n.Type {
	case "comment", "pollopt":
		return news.Article{}, Stats{}, fmt.Errorf("Hacker News item %d is a %s, not a story: import its story (item %d) instead",
			n.ID, n.Type, cmp.Or(n.Parent, n.ParentID))
	}
	if strings.TrimSpace(n.Title) == "" {
		return news.Article{}, Stats{}, fmt.Errorf("Hacker News item %d has no title: only stories, jobs and polls can be imported", n.ID)
	}
	discussion := HNItemURL(n.ID)
	a := news.Article{
		GUID:        discussion,
		URL:         cmp.Or(strings.TrimSpace(n.URL), discussion),
		Title:       strings.TrimSpace(n.Title),
		Author:      n.author(),
		Source:      "news.ycombinator.com",
		CommentsURL: discussion,
		ExternalID:  strconv.FormatInt(n.ID, 10),
		Published:   n.posted(),
	}
	if text := htmlText(n.Text); text != "" {
		a.Paragraphs = strings.Split(text, "\n\n")
	}
	w := hnTreeWalk{max: limit(maxComments)}
	w.kids(n)
	number(w.out)
	if len(w.out) > 0 {
		a.Comments = w.out
	}
	return a, w.st, nil
}
