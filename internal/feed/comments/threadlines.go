package comments

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// threadLine is one thread of a JSON lines file: the shape `newsbot
// summarize` reads (and ConvoSumm's files have), with an optional url and
// comment ids for reply structure.
type threadLine struct {
	ID       json.RawMessage   `json:"id"`
	Title    string            `json:"title"`
	URL      string            `json:"url"`
	Question string            `json:"question"`
	Text     string            `json:"text"`
	Comments []json.RawMessage `json:"comments"`
}

type threadComment struct {
	ID      any    `json:"id"`
	Parent  any    `json:"parent"`
	Author  string `json:"author"`
	Body    string `json:"body"`
	Created string `json:"created"`
}

// ParseThreadLines reads threads given one JSON object a line:
// {"id", "title", "url"?, "question"?, "comments": [string or {"author",
// "body", "id"?, "parent"?, "created"?}]}. Each becomes an article (its GUID
// "thread:<id>", its text the question) holding its comments. Objects may
// also span lines; any that is not a thread fails the whole file, naming
// its line.
func ParseThreadLines(data []byte, maxComments int) ([]news.Article, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var out []news.Article
	for {
		start := dec.InputOffset()
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			break
		}
		line := lineAt(data, start)
		if err != nil {
			return nil, fmt.Errorf("threads: line %d: %w", line, err)
		}
		a, err := threadArticle(raw, maxComments)
		if err != nil {
			return nil, fmt.Errorf("threads: line %d: %w", line, err)
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, errors.New("threads: no thread in the file")
	}
	return out, nil
}

// lineAt is the 1-based line of the first non-space byte at or after off.
func lineAt(data []byte, off int64) int {
	i := int(off)
	for i < len(data) && strings.ContainsRune(" \t\r\n", rune(data[i])) {
		i++
	}
	return bytes.Count(data[:min(i, len(data))], []byte("\n")) + 1
}

func threadArticle(raw json.RawMessage, maxComments int) (news.Article, error) {
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		return news.Article{}, fmt.Errorf(`want a thread object {"id","title","comments":[…]}, got %.30s`, t)
	}
	var in threadLine
	if err := decodeJSON(raw, &in); err != nil {
		return news.Article{}, err
	}
	id := strings.Trim(string(bytes.TrimSpace(in.ID)), `"`)
	switch {
	case id == "" || id == "null":
		return news.Article{}, errors.New(`thread has no "id"`)
	case strings.TrimSpace(in.Title) == "":
		return news.Article{}, fmt.Errorf(`thread %s has no "title"`, id)
	case in.Comments == nil:
		return news.Article{}, fmt.Errorf(`thread %s has no "comments" list`, id)
	}
	a := news.Article{
		GUID:       "thread:" + id,
		URL:        strings.TrimSpace(in.URL),
		Title:      strings.TrimSpace(in.Title),
		Paragraphs: paragraphs(in.Question + "\n\n" + in.Text),
	}
	cs := make([]news.Comment, 0, len(in.Comments))
	var st Stats
	for i, rc := range in.Comments {
		c, err := threadComm(rc)
		if err != nil {
			return news.Article{}, fmt.Errorf("thread %s: comment %d: %w", id, i+1, err)
		}
		st.Fetched++
		cs = append(cs, c)
	}
	if cs = finish(cs, maxComments, &st); len(cs) > 0 {
		a.Comments = cs
	}
	return a, nil
}

// threadComm reads a comment given as text or as an object.
func threadComm(raw json.RawMessage) (news.Comment, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var body string
		if err := json.Unmarshal(raw, &body); err != nil {
			return news.Comment{}, err
		}
		return news.Comment{Body: plainText(body)}, nil
	}
	if len(raw) == 0 || raw[0] != '{' {
		return news.Comment{}, fmt.Errorf(`want a string or {"author","body"}, got %.30s`, raw)
	}
	var c threadComment
	if err := decodeJSON(raw, &c); err != nil {
		return news.Comment{}, err
	}
	return news.Comment{
		ExternalID: idString(c.ID), ParentID: idString(c.Parent),
		Author: strings.TrimSpace(c.Author), Body: plainText(c.Body), PostedAt: parseTime(c.Created),
	}, nil
}
