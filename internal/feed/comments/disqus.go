package comments

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// A tag "id,attr" matches dsq:id whatever prefix the export declares.
type dsqThread struct {
	ID    string `xml:"id,attr"`
	Link  string `xml:"link"`
	Title string `xml:"title"`
}

type dsqRef struct {
	ID string `xml:"id,attr"`
}

type dsqPost struct {
	ID        string `xml:"id,attr"`
	Message   string `xml:"message"`
	CreatedAt string `xml:"createdAt"`
	IsDeleted string `xml:"isDeleted"`
	IsSpam    string `xml:"isSpam"`
	Author    struct {
		Name     string `xml:"name"`
		Username string `xml:"username"`
	} `xml:"author"`
	Thread dsqRef `xml:"thread"`
	Parent dsqRef `xml:"parent"`
}

func (p *dsqPost) spam() bool    { return isTrue(p.IsSpam) }
func (p *dsqPost) deleted() bool { return isTrue(p.IsDeleted) }

func isTrue(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "true") }

// ParseDisqus reads a Disqus export and returns one Thread per discussion
// that has posts, in the export's order. Spam is skipped; a deleted post is
// skipped too unless a kept post replies to it, in which case it stays as a
// Deleted placeholder (as Disqus shows it) so the replies keep their parent.
// Posts of a thread the export does not contain are left out.
func ParseDisqus(r io.Reader) ([]Thread, error) {
	threads, posts, err := readDisqus(r)
	if err != nil {
		return nil, err
	}
	byThread := map[string][]*dsqPost{}
	for _, p := range posts {
		byThread[p.Thread.ID] = append(byThread[p.Thread.ID], p)
	}
	var out []Thread
	for _, t := range threads {
		ps := byThread[t.ID]
		if len(ps) == 0 {
			continue
		}
		delete(byThread, t.ID) // a thread listed twice gets its posts once
		out = append(out, disqusThread(t, ps))
	}
	return out, nil
}

// readDisqus collects the top-level <thread> and <post> elements.
func readDisqus(r io.Reader) ([]*dsqThread, []*dsqPost, error) {
	d := newXMLDecoder(r)
	var threads []*dsqThread
	var posts []*dsqPost
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return threads, posts, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("disqus: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case depth == 1 && t.Name.Local == "thread":
				th := &dsqThread{}
				if err := d.DecodeElement(th, &t); err != nil {
					return nil, nil, fmt.Errorf("disqus: thread %d: %w", len(threads)+1, err)
				}
				threads = append(threads, th)
			case depth == 1 && t.Name.Local == "post":
				p := &dsqPost{}
				if err := d.DecodeElement(p, &t); err != nil {
					return nil, nil, fmt.Errorf("disqus: post %d: %w", len(posts)+1, err)
				}
				posts = append(posts, p)
			default:
				depth++
			}
		case xml.EndElement:
			depth--
		}
	}
}

func disqusThread(t *dsqThread, ps []*dsqPost) Thread {
	th := Thread{URL: strings.TrimSpace(t.Link), Title: strings.TrimSpace(t.Title)}
	shown := deletedWithReplies(ps)
	cs := make([]news.Comment, 0, len(ps))
	for _, p := range ps {
		th.Stats.Fetched++
		if p.spam() || (p.deleted() && !shown[p.ID]) {
			th.Stats.Skipped++
			continue
		}
		c := news.Comment{
			ExternalID: p.ID,
			ParentID:   p.Parent.ID,
			PostedAt:   parseTime(p.CreatedAt),
			Deleted:    p.deleted(),
		}
		if !c.Deleted {
			c.Author = strings.TrimSpace(p.Author.Name)
			if c.Author == "" {
				c.Author = strings.TrimSpace(p.Author.Username)
			}
			c.Body = htmlText(p.Message)
		}
		cs = append(cs, c)
	}
	th.Comments = finish(cs, 0, &th.Stats)
	return th
}

// deletedWithReplies returns the ids of deleted posts that a kept post
// answers, directly or through other deleted posts.
func deletedWithReplies(ps []*dsqPost) map[string]bool {
	byID := make(map[string]*dsqPost, len(ps))
	for _, p := range ps {
		if _, dup := byID[p.ID]; !dup {
			byID[p.ID] = p
		}
	}
	shown := map[string]bool{}
	for _, p := range ps {
		if p.spam() || p.deleted() {
			continue
		}
		for id := p.Parent.ID; id != "" && !shown[id]; {
			q := byID[id]
			if q == nil || q.spam() || !q.deleted() {
				break
			}
			shown[id] = true
			id = q.Parent.ID
		}
	}
	return shown
}
