package page

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/thread"
	"github.com/newsbot-dev/newsbot/internal/weburl"
)

// The text-dump format, as the seeds show it:
//
//	North Korea denies attacking Sony, offers to help investigate
//
//	North Korea has ratcheted the absurdity level of the Sony hack …
//
//	ChrisW2138d ago (Edited 2138d ago )
//
//	Other news agencies are stating that it seems more like …
//
// An optional title line (text_article.go decides whether the first line
// reads as one), the article with one paragraph a line, then the comments.
// A comment header is a whole line after a blank line, chrome or nothing
// (header.go); the comment runs to the next header or the end.

// parseText parses a text dump already read and checked by read.
func parseText(data []byte, opts Options) (news.Article, error) {
	lines := splitLines(data)
	hs := findHeaders(lines)
	end := len(lines)
	if len(hs) > 0 {
		end = hs[0].line
	}
	a := article(lines[:end])
	a.URL = opts.URL
	a.Source = weburl.Host(opts.URL)
	a.Comments = comments(lines, hs, now(opts))
	if a.Title == "" && len(a.Paragraphs) == 0 {
		return news.Article{}, fmt.Errorf("%s: nothing before the first of %d comments: %w",
			name(opts), len(a.Comments), ErrNoTitle)
	}
	return a, nil
}

// splitLines decodes the dump into lines without line ends or trailing
// spaces. Bytes that are not UTF-8 become U+FFFD.
func splitLines(data []byte) []string {
	s := strings.TrimPrefix(strings.ToValidUTF8(string(data), "\uFFFD"), "\uFEFF")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	return lines
}

// findHeaders returns the comment headers among lines, in order. A header
// must follow a break (a blank line, chrome, or the start of the dump), so
// that a line of a comment's text is never taken for one.
func findHeaders(lines []string) []header {
	var hs []header
	brk := true // the lines so far end in a break
	for i, l := range lines {
		switch {
		case isBlank(l):
			brk = true
		case isChrome(l):
			// Chrome is invisible: "The story is too old to be commented."
			// may sit right above the first header.
		default:
			if h, ok := parseHeader(l); ok && brk {
				h.line = i
				hs = append(hs, h)
			}
			brk = false
		}
	}
	return hs
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// comments builds the comments that follow each header, resolving the
// headers' name/age splits from the whole thread.
func comments(lines []string, hs []header, now time.Time) []news.Comment {
	if len(hs) == 0 {
		return nil
	}
	bodies := make([]string, len(hs))
	for k, h := range hs {
		end := len(lines)
		if k+1 < len(hs) {
			end = hs[k+1].line
		}
		bodies[k] = commentBody(lines[h.line+1 : end])
	}
	choice := resolveSplits(hs, bodies)
	cs := make([]news.Comment, len(hs))
	for k, h := range hs {
		r := h.readings[choice[k]]
		cs[k] = news.Comment{Index: k + 1, Author: r.name, Body: bodies[k], PostedAt: now.Add(-r.age)}
		if h.hasEdit {
			cs[k].EditedAt = now.Add(-h.edited)
		}
	}
	return thread.InferReplies(cs)
}

// commentBody joins a comment's lines verbatim: line breaks inside a
// paragraph kept, paragraphs separated by one blank line however many the
// page had, chrome lines dropped.
func commentBody(lines []string) string {
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	for _, l := range lines {
		switch {
		case isBlank(l):
			flush()
		case isChrome(l):
		default:
			cur = append(cur, l)
		}
	}
	flush()
	return strings.Join(paras, "\n\n")
}
