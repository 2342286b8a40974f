package config

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error is one problem in a config file, located to the line so an admin
// can go straight to it.
type Error struct {
	File string
	Line int    // 1-based; 0 when the problem has no single line
	Path string // the key at fault, e.g. "feeds[1].schedule"; empty at top level
	Msg  string
	Err  error // underlying cause, if any; its text follows Msg
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// joinErrors sorts problems by line (file-wide ones first), drops exact
// repeats (aliases can make one node report twice) and joins them, so an
// admin sees every problem in reading order in one pass.
func joinErrors(list []*Error) error {
	if len(list) == 0 {
		return nil
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Line < list[j].Line })
	seen := make(map[string]bool, len(list))
	errs := make([]error, 0, len(list))
	for _, e := range list {
		if s := e.Error(); !seen[s] {
			seen[s] = true
			errs = append(errs, e)
		}
	}
	return errors.Join(errs...)
}

// suggest returns the candidate closest to got, or "" when none is close
// enough to be a plausible typo.
func suggest(got string, candidates []string) string {
	norm := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "-", "_") }
	g := norm(got)
	best, bestDist := "", len(g)/3+1
	if bestDist > 3 {
		bestDist = 3
	}
	for _, c := range candidates {
		if d := editDistance(g, norm(c)); d <= bestDist && (best == "" || d < editDistance(g, norm(best))) {
			best, bestDist = c, d
		}
	}
	return best
}

// didYouMean formats suggest's answer as a parenthesised hint, or "".
func didYouMean(got string, candidates []string) string {
	if s := suggest(got, candidates); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b, by bytes.
// Keys are short ASCII names, so bytes are as good as runes here; long
// inputs are cut off because a key that long is no typo of ours.
func editDistance(a, b string) int {
	const maxLen = 64
	if len(a) > maxLen {
		a = a[:maxLen]
	}
	if len(b) > maxLen {
		b = b[:maxLen]
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// orList formats choices as "a, b or c" for messages.
func orList(choices []string) string {
	switch len(choices) {
	case 0:
		return ""
	case 1:
		return choices[0]
	}
	return strings.Join(choices[:len(choices)-1], ", ") + " or " + choices[len(choices)-1]
}
