package discordmd

import (
	"strconv"
	"strings"
)

// lineRule tries the rules that only apply at the start of a line and
// returns how much of s the one that matched consumed (0: none). A block
// takes its closing newline with it, as Discord's does, so no blank line
// follows a quote or a heading.
func (r *renderer) lineRule(s string, m mode) int {
	if m.quotes {
		if n := r.quote(s, m); n > 0 {
			return n
		}
	}
	if !m.blocks {
		return 0
	}
	if n := r.heading(s); n > 0 {
		return n
	}
	return r.list(s)
}

// quote renders ">>> " (the rest of the text) or a run of "> " lines.
// A ">" without its space is text, in Discord as here.
func (r *renderer) quote(s string, m mode) int {
	inner := mode{blocks: m.blocks, lineStart: true}
	if rest, ok := cutQuote(s, ">>> "); ok {
		if !r.nested("<blockquote>", rest, "</blockquote>", inner) {
			return 0
		}
		return len(s)
	}
	var lines []string
	n := 0
	for n < len(s) {
		line, used := lineOf(s[n:])
		body, ok := cutQuote(line, "> ")
		if !ok || strings.HasPrefix(line, ">>> ") {
			break
		}
		lines = append(lines, body)
		n += used
	}
	if len(lines) == 0 || !r.nested("<blockquote>", strings.Join(lines, "\n"), "</blockquote>", inner) {
		return 0
	}
	return n
}

// cutQuote strips leading spaces and the quote marker.
func cutQuote(line, marker string) (string, bool) {
	return strings.CutPrefix(strings.TrimLeft(line, " "), marker)
}

// heading renders "# ", "## ", "### " and the subtext line "-# ".
func (r *renderer) heading(s string) int {
	line, n := lineOf(s)
	tag, rest := "", ""
	switch {
	case strings.HasPrefix(line, "-# "):
		tag, rest = "small", line[3:]
	case strings.HasPrefix(line, "### "):
		tag, rest = "h3", line[4:]
	case strings.HasPrefix(line, "## "):
		tag, rest = "h2", line[3:]
	case strings.HasPrefix(line, "# "):
		tag, rest = "h1", line[2:]
	default:
		return 0
	}
	if strings.TrimSpace(rest) == "" {
		return 0
	}
	open := "<" + tag + ">"
	if tag == "small" {
		open = `<small class="subtext">`
	}
	if !r.nested(open, rest, "</"+tag+">", inline) {
		return 0
	}
	return n
}

// list renders a run of "- ", "* " or "1. " lines as one list; its kind
// and start come from the first item.
func (r *renderer) list(s string) int {
	_, ordered, start, ok := listItem(lineOf(s))
	if !ok {
		return 0
	}
	var items []string
	n := 0
	for n < len(s) {
		line, used := lineOf(s[n:])
		body, o, _, ok := listItem(line, used)
		if !ok || o != ordered {
			break
		}
		items = append(items, body)
		n += used
	}
	if r.depth >= maxDepth {
		return 0
	}
	r.depth++
	defer func() { r.depth-- }()
	switch {
	case !ordered:
		r.b.WriteString("<ul>")
	case start != 1:
		r.b.WriteString(`<ol start="` + strconv.Itoa(start) + `">`)
	default:
		r.b.WriteString("<ol>")
	}
	for _, it := range items {
		r.b.WriteString("<li>")
		r.parse(it, inline)
		r.b.WriteString("</li>")
	}
	if ordered {
		r.b.WriteString("</ol>")
	} else {
		r.b.WriteString("</ul>")
	}
	return n
}

// listItem reads one list line: "- x", "* x" or "12. x", optionally
// indented. The extra argument lets it take lineOf's results directly.
func listItem(line string, _ int) (body string, ordered bool, start int, ok bool) {
	t := strings.TrimLeft(line, " ")
	if rest, found := strings.CutPrefix(t, "- "); found {
		return rest, false, 0, strings.TrimSpace(rest) != ""
	}
	if rest, found := strings.CutPrefix(t, "* "); found {
		return rest, false, 0, strings.TrimSpace(rest) != ""
	}
	i := 0
	for i < len(t) && i < 9 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 0 || !strings.HasPrefix(t[i:], ". ") || strings.TrimSpace(t[i+2:]) == "" {
		return "", false, 0, false
	}
	start, _ = strconv.Atoi(t[:i])
	return t[i+2:], true, start, true
}
