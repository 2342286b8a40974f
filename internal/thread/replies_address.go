package thread

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// minPrefix is the shortest @-address that may stand for a longer name:
// "@ jrmy" means Jrmy84, but "@ j" means nobody in particular.
const minPrefix = 3

// addressEvidence finds the earlier comments that comment j addresses by
// their author's name.
func (th *prepared) addressEvidence(j int) []evidence {
	var out []evidence
	names := mentions(th.cs[j].Body)
	for _, name := range names[:min(len(names), maxQuotations)] {
		if e, ok := th.resolveName(j, name, true); ok {
			out = append(out, e)
		}
	}
	if name, ok := salutation(th.cs[j].Body); ok {
		if e, ok := th.resolveName(j, name, false); ok {
			out = append(out, e)
		}
	}
	return out
}

// resolveName finds the nearest earlier comment whose author is name, or,
// when prefix is allowed and no author matches in full, whose author's name
// starts with it.
func (th *prepared) resolveName(j int, name string, prefix bool) (evidence, bool) {
	if i, ok := th.latestBy(j, name); ok {
		return evidence{target: i, tier: tierAddress, strength: 2}, true
	}
	if !prefix || utf8.RuneCountInString(name) < minPrefix {
		return evidence{}, false
	}
	best := -1
	k, _ := slices.BinarySearch(th.names, name)
	for ; k < len(th.names) && strings.HasPrefix(th.names[k], name); k++ {
		if i, ok := th.latestBy(j, th.names[k]); ok && i > best {
			best = i
		}
	}
	if best < 0 {
		return evidence{}, false
	}
	return evidence{target: best, tier: tierAddress, strength: 1}, true
}

// latestBy returns the last comment before j by author that j may answer.
func (th *prepared) latestBy(j int, author string) (int, bool) {
	ps := before(th.byAuthor[author], j)
	for k := len(ps) - 1; k >= 0; k-- {
		if th.eligible(j, ps[k]) {
			return ps[k], true
		}
	}
	return 0, false
}

// mentions returns the lower-cased names addressed with "@name" or
// "@ name" in body. An @ inside a word (an e-mail address) is not one.
func mentions(body string) []string {
	var out []string
	prev := ' '
	for i, r := range body {
		if r == '@' && !isLetterOrDigit(prev) {
			rest := strings.TrimPrefix(body[i+1:], " ")
			if name := nameAt(rest); name != "" {
				out = append(out, strings.ToLower(name))
			}
		}
		prev = r
	}
	return out
}

// nameAt returns the user name that s starts with: letters, digits and
// "_-.", without trailing punctuation.
func nameAt(s string) string {
	end := strings.IndexFunc(s, func(r rune) bool {
		return !isLetterOrDigit(r) && r != '_' && r != '-' && r != '.'
	})
	if end < 0 {
		end = len(s)
	}
	return strings.TrimRight(s[:end], ".-")
}

// salutation returns the name a comment opens with, as in "ChrisW, you're
// wrong" or "plmkoh: no"; only a single word qualifies, and only a full
// author name will match it.
func salutation(body string) (string, bool) {
	body = strings.TrimLeftFunc(body, unicode.IsSpace)
	name := nameAt(body)
	if utf8.RuneCountInString(name) < minPrefix {
		return "", false
	}
	rest := body[len(name):]
	if !strings.HasPrefix(rest, ",") && !strings.HasPrefix(rest, ":") {
		return "", false
	}
	return strings.ToLower(name), true
}
