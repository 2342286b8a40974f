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
