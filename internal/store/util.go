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

func jsonList(ss []string) string {
	if ss == nil {
		ss = []string{}
	}
	b, _ := json.Marshal(ss) // a []string always marshals
	return string(b)
}

func parseList(s string) ([]string, error) {
	var out []string
	if s == "" {
		return nil, nil
	}
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
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

// reloadedList is a list as parseList would read back the JSON it was
// stored as (src), without decoding when that is the list itself: empty
// lists read back as nil, and only invalid UTF-8 changes in JSON.
func reloadedList(ss []string, src string) ([]string, error) {
	if len(ss) == 0 {
		return nil, nil
	}
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return parseList(src)
		}
	}
	return ss, nil
}
