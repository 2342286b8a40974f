package store

import (
	"crypto/rand"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsbot-dev/newsbot/internal/news"
)

var (
	errInvalid  = news.ErrInvalid
	errNotFound = news.ErrNotFound
)

// ms stores a time as unix milliseconds; the zero time is 0.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS reads a stored time back; 0 is the zero time.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// jsonList writes a list as a JSON array, HTML characters unescaped, which
// keeps more lists on parsePlainList's path.
func jsonList(ss []string) string {
	if ss == nil {
		ss = []string{}
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(ss) // a []string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

func parseList(s string) ([]string, error) {
	if s == "" || s == "[]" {
		return nil, nil
	}
	if out, ok := parsePlainList(s); ok {
		return out, nil
	}
	var out []string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// parsePlainList reads the list jsonList wrote when none of its strings
// needed an escape, which is most text, without the JSON decoder: a
// story's paragraphs are read back on every save of it. Anything else is
// left to encoding/json.
func parsePlainList(s string) ([]string, bool) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' || strings.IndexByte(s, '\\') >= 0 || !utf8.ValidString(s) {
		return nil, false
	}
	var out []string
	rest := s[1 : len(s)-1]
	for {
		if len(rest) < 2 || rest[0] != '"' {
			return nil, false
		}
		end := strings.IndexByte(rest[1:], '"')
		if end < 0 {
			return nil, false
		}
		str := rest[1 : 1+end]
		for i := 0; i < len(str); i++ {
			if str[i] < ' ' {
				return nil, false
			}
		}
		out = append(out, str)
		rest = rest[end+2:]
		if rest == "" {
			return out, true
		}
		if rest[0] != ',' {
			return nil, false
		}
		rest = rest[1:]
	}
}

// short quotes a title for an error message, cut to a readable length.
func short(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

// newNonce returns a random delivery nonce of 22 characters. It is random
// rather than derived from the delivery id so that a fresh database (ids
// restarting at 1) cannot collide with nonces Discord still remembers.
func newNonce() string {
	const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
	var b [20]byte
	rand.Read(b[:]) // never fails (crypto/rand documents a panic-free Read)
	var sb strings.Builder
	sb.WriteString("nb")
	for _, c := range b {
		sb.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return sb.String()
}

// orNow returns t, or the current time when t is zero.
func orNow(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now().UTC()
	}
	return t.UTC()
}

// asStored is a list as parseList reads it back once stored: empty lists
// read back as nil, and only invalid UTF-8 changes in JSON, so the JSON is
// written and read only for a list holding some.
func asStored(ss []string) ([]string, error) {
	if len(ss) == 0 {
		return nil, nil
	}
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return parseList(jsonList(ss))
		}
	}
	return ss, nil
}

// cleanText is s as both engines can store it: valid UTF-8 (an invalid
// byte becomes U+FFFD, as JSON would write it) without NUL, which
// PostgreSQL's text refuses. Text read from the web may hold either; it
// is cleaned once, when it enters the store, so what a save returns is
// what either engine keeps.
func cleanText(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// cleanArticle cleans every text of an article but its comments, which
// mergeComments cleans (cleanComments). Clean text is returned as it came,
// without copying.
func cleanArticle(a news.Article) news.Article {
	for _, f := range []*string{&a.GUID, &a.URL, &a.Title, &a.Author, &a.Source, &a.ImageURL, &a.CommentsURL, &a.ExternalID} {
		*f = cleanText(*f)
	}
	for i, p := range a.Paragraphs {
		if c := cleanText(p); c != p {
			a.Paragraphs = append([]string(nil), a.Paragraphs...)
			a.Paragraphs[i] = c
			for j := i + 1; j < len(a.Paragraphs); j++ {
				a.Paragraphs[j] = cleanText(a.Paragraphs[j])
			}
			break
		}
	}
	return a
}

// cleanComments is cleanArticle for comments.
func cleanComments(cs []news.Comment) []news.Comment {
	var out []news.Comment
	for i, c := range cs {
		clean := c
		for _, f := range []*string{&clean.ExternalID, &clean.ParentID, &clean.Author, &clean.Body} {
			*f = cleanText(*f)
		}
		if clean != c && out == nil {
			out = append([]news.Comment(nil), cs...)
		}
		if out != nil {
			out[i] = clean
		}
	}
	if out == nil {
		return cs
	}
	return out
}

// cleanArgs cleans the text arguments of a statement (PostgreSQL refuses
// invalid UTF-8 and NUL in any text): error texts from Discord or a feed
// server, ids from a config file. Arguments already clean are not copied.
func cleanArgs(args []any) []any {
	var out []any
	for i, a := range args {
		s, ok := a.(string)
		if !ok {
			continue
		}
		if c := cleanText(s); c != s {
			if out == nil {
				out = append([]any(nil), args...)
			}
			out[i] = c
		}
	}
	if out == nil {
		return args
	}
	return out
}
