package config

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// NewFeed is a feed to add to a config file.
type NewFeed struct {
	ID       string
	Name     string // empty: the id
	URL      string
	Channels []string
	Schedule string // empty: the defaults'
	Backfill *int   // nil: the defaults'
}

// AppendFeeds adds feeds at the end of a config file's feeds list and
// returns the file as it then reads. The entries are built as YAML nodes
// and encoded by yaml.v3; the file's node tree says where they go. Every
// other byte stays as it was - comments, blank lines, quoting, indentation
// - which re-encoding the whole tree would not keep (yaml.v3 drops blank
// lines and reflows). The result is not validated: Parse it.
func AppendFeeds(data []byte, feeds []NewFeed) ([]byte, error) {
	if len(feeds) == 0 {
		return data, nil
	}
	root, errs := parseYAML(data, "config")
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	if root.Kind != yaml.MappingNode || root.Style&yaml.FlowStyle != 0 {
		return nil, fmt.Errorf("line %d: the config must be a block mapping of keys (discord:, feeds:, …), not %s", root.Line, kindName(root))
	}
	out, err := appendFeeds(data, root, feeds)
	if err != nil {
		return nil, err
	}
	// The splice trusts the layout it read; check the file it made reads
	// as the old list and the new feeds before anyone writes it.
	if got, want := countFeeds(out), countFeeds(data)+len(feeds); got != want {
		return nil, fmt.Errorf("cannot add to this file's layout (the result would hold %d feeds, not %d); add the feeds by hand", got, want)
	}
	return out, nil
}

// countFeeds counts the entries of a file's feeds list; -1 when it does
// not read.
func countFeeds(data []byte) int {
	root, errs := parseYAML(data, "config")
	if len(errs) > 0 || root.Kind != yaml.MappingNode {
		return -1
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "feeds" {
			if v := resolve(root.Content[i+1]); v != nil && v.Kind == yaml.SequenceNode {
				return len(v.Content)
			}
			return 0
		}
	}
	return 0
}

func appendFeeds(data []byte, root *yaml.Node, feeds []NewFeed) ([]byte, error) {
	lines := strings.SplitAfter(string(data), "\n")
	if last := lines[len(lines)-1]; last == "" {
		lines = lines[:len(lines)-1]
	} else if !strings.HasSuffix(last, "\n") {
		lines[len(lines)-1] += "\n"
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "feeds" {
			continue
		}
		var next *yaml.Node
		if i+2 < len(root.Content) {
			next = root.Content[i+2]
		}
		return appendTo(lines, root.Content[i], resolve(root.Content[i+1]), next, feeds)
	}
	entries, err := encodeEntries(feeds, "  ", false)
	if err != nil {
		return nil, err
	}
	return []byte(strings.Join(lines, "") + "feeds:\n" + entries), nil
}

// appendTo adds the entries to the value of the feeds key: a block list,
// or nothing yet (null or []).
func appendTo(lines []string, key, seq, next *yaml.Node, feeds []NewFeed) ([]byte, error) {
	switch {
	case seq == nil:
		return nil, errors.New("feeds: is an alias; write the list itself to import into it")
	case isNull(seq) || seq.Kind == yaml.SequenceNode && seq.Style&yaml.FlowStyle != 0 && len(seq.Content) == 0:
		// "feeds:", "feeds: ~" or "feeds: []": the list starts on the
		// next line, the key's own line keeps its comment.
		line := lines[key.Line-1]
		if seq.Line == key.Line && seq.Column > key.Column {
			token := "[]"
			if isNull(seq) {
				token = seq.Value
			}
			at := seq.Column - 1
			if at < len(line) && strings.HasPrefix(line[at:], token) {
				line = line[:at] + strings.TrimLeft(line[at+len(token):], " ")
				if strings.TrimSpace(line[at:]) == "" {
					line = strings.TrimRight(line, " \n") + "\n"
				}
			}
		}
		entries, err := encodeEntries(feeds, strings.Repeat(" ", key.Column+1), false)
		if err != nil {
			return nil, err
		}
		lines[key.Line-1] = line
		return splice(lines, key.Line, entries), nil
	case seq.Kind != yaml.SequenceNode:
		return nil, fmt.Errorf("line %d: feeds: must be a list to import into, not %s", seq.Line, kindName(seq))
	case seq.Style&yaml.FlowStyle != 0:
		return nil, fmt.Errorf("line %d: feeds: is written as a flow list ([…]); write it as a block list (- id: …) to import into it", seq.Line)
	}
	// After the last entry: before the next top-level key and the comment
	// block above it, and before any blank lines that part them.
	end := len(lines)
	if next != nil {
		end = next.Line - 1
		if next.HeadComment != "" {
			end -= strings.Count(strings.TrimRight(next.HeadComment, "\n"), "\n") + 1
		}
	}
	for end > 0 && strings.TrimSpace(lines[end-1]) == "" {
		end--
	}
	last := seq.Content[len(seq.Content)-1]
	spaced := len(seq.Content) > 1 && last.Line >= 2 && strings.TrimSpace(lines[last.Line-2]) == ""
	entries, err := encodeEntries(feeds, strings.Repeat(" ", seq.Column-1), spaced)
	if err != nil {
		return nil, err
	}
	if spaced {
		entries = "\n" + entries
	}
	return splice(lines, end, entries), nil
}

// splice inserts text after the first n lines.
func splice(lines []string, n int, text string) []byte {
	var b bytes.Buffer
	for _, l := range lines[:n] {
		b.WriteString(l)
	}
	b.WriteString(text)
	for _, l := range lines[n:] {
		b.WriteString(l)
	}
	return b.Bytes()
}

// encodeEntries renders feeds as block list entries indented by indent,
// with a blank line between them when spaced.
func encodeEntries(feeds []NewFeed, indent string, spaced bool) (string, error) {
	var out strings.Builder
	for i, f := range feeds {
		var b bytes.Buffer
		enc := yaml.NewEncoder(&b)
		enc.SetIndent(2)
		if err := enc.Encode(&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{feedNode(f)}}); err != nil {
			return "", fmt.Errorf("encode feed %s: %w", f.ID, err)
		}
		if err := enc.Close(); err != nil {
			return "", err
		}
		if spaced && i > 0 {
			out.WriteString("\n")
		}
		for _, l := range strings.SplitAfter(strings.TrimRight(b.String(), "\n")+"\n", "\n") {
			if l != "" {
				out.WriteString(indent + l)
			}
		}
	}
	return out.String(), nil
}

// feedNode is one feed as a YAML mapping, in the order config.example.yaml
// writes its keys.
func feedNode(f NewFeed) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	add := func(key string, v *yaml.Node) {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
	}
	str := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
	add("id", str(f.ID))
	if f.Name != "" && f.Name != f.ID {
		add("name", str(f.Name))
	}
	add("url", str(f.URL))
	if len(f.Channels) > 0 {
		chs := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, c := range f.Channels {
			chs.Content = append(chs.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: c, Style: yaml.DoubleQuotedStyle})
		}
		add("channels", chs)
	}
	if f.Schedule != "" {
		add("schedule", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: f.Schedule, Style: yaml.DoubleQuotedStyle})
	}
	if f.Backfill != nil {
		add("backfill", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(*f.Backfill)})
	}
	return m
}

// FeedID makes a feed id from a title (or, failing that, fallback such
// as the feed's address): lower case, a-z, 0-9, _ and -, at most 32
// characters, and none of taken (a -2, -3… suffix tells twins apart).
func FeedID(title, fallback string, taken func(string) bool) string {
	base := slug(title)
	if base == "" {
		base = slug(fallback)
	}
	if base == "" {
		base = "feed"
	}
	id := base
	for n := 2; taken(id); n++ {
		suffix := "-" + strconv.Itoa(n)
		id = strings.TrimRight(base[:min(len(base), 32-len(suffix))], "-") + suffix
	}
	return id
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
		if b.Len() >= 32 {
			break
		}
	}
	return strings.Trim(b.String()[:min(b.Len(), 32)], "-")
}
