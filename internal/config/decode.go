package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// decoder walks a yaml.Node tree by hand instead of yaml.Unmarshal so that
// every problem keeps its line, unknown keys are caught, "unset" is told
// apart from zero, and all problems are collected rather than the first.
type decoder struct {
	file   string
	lookup func(string) (string, bool)
	errs   []*Error
	env    map[string]string // value → the ${NAME} it came from; see noteEnv
}

func (d *decoder) errorf(n *yaml.Node, path, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) wrap(n *yaml.Node, path, msg string, err error) {
	d.errs = append(d.errs, &Error{File: d.file, Line: n.Line, Path: path, Msg: msg, Err: err})
}

// resolve follows aliases to the node they name. The parser rejects
// undefined and self-containing anchors; the bound is belt and braces.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("the value %q", n.Value)
	}
	return "something else"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// mapping is one YAML mapping with its keys checked for duplicates.
type mapping struct {
	node *yaml.Node
	path string
	keys []*yaml.Node
	vals map[string]*yaml.Node
}

// mapping reads n as a mapping; null counts as an empty one, so a section
// left with nothing under it just takes the defaults.
func (d *decoder) mapping(n *yaml.Node, path string) *mapping {
	n = resolve(n)
	m := &mapping{node: n, path: path, vals: map[string]*yaml.Node{}}
	if isNull(n) {
		return m
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "must be a mapping of keys to values, not %s", kindName(n))
		return m
	}
	first := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case k.Kind != yaml.ScalarNode:
			d.errorf(k, path, "keys must be plain names, not %s", kindName(k))
		case k.Tag == "!!merge":
			d.errorf(k, path, "merge keys (<<) are not supported; put settings that feeds share under defaults")
		case first[k.Value] != 0:
			d.errorf(k, join(path, k.Value), "duplicate key %q (first at line %d)", k.Value, first[k.Value])
		default:
			first[k.Value] = k.Line
			m.keys = append(m.keys, k)
			m.vals[k.Value] = v
		}
	}
	return m
}

func (m *mapping) get(key string) *yaml.Node { return m.vals[key] }

func (m *mapping) child(key string) string { return join(m.path, key) }

// allow reports every key not in allowed, with a suggestion for typos.
// label names the mapping itself, e.g. `feeds[0] ("world")`.
func (d *decoder) allow(m *mapping, label string, allowed ...string) {
	for _, k := range m.keys {
		if !contains(allowed, k.Value) {
			d.errorf(k, label, "unknown key %q%s", k.Value, didYouMean(k.Value, allowed))
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// text reads a scalar and expands ${VAR} in it. ok is false when the value
// is null (unset) or unusable; unusable values are reported. Variables that
// are unset come back in missing for the caller to judge.
func (d *decoder) text(n *yaml.Node, path string) (s string, missing []string, ok bool) {
	n = resolve(n)
	if isNull(n) {
		return "", nil, false
	}
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, path, "must be a single value, not %s", kindName(n))
		return "", nil, false
	}
	s, missing, err := expand(n.Value, func(name string) (string, bool) {
		v, ok := d.lookup(name)
		d.noteEnv(name, v)
		return v, ok
	})
	if err != nil {
		d.wrap(n, path, "bad value", err)
		return "", nil, false
	}
	return s, missing, true
}

// str reads a scalar in which every referenced variable must be set.
func (d *decoder) str(n *yaml.Node, path string) (string, bool) {
	s, missing, ok := d.text(n, path)
	if ok && len(missing) > 0 {
		d.errorf(n, path, "environment variable %s is not set (use ${%s:-default} for a fallback)", missing[0], missing[0])
		return "", false
	}
	return s, ok
}

func (d *decoder) integer(n *yaml.Node, path string, min int) (int, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return 0, false
	}
	v, err := strconv.Atoi(strings.TrimSpace(s))
	switch {
	case err != nil:
		d.errorf(n, path, "%q is not a whole number", s)
		return 0, false
	case v < min && min == 0:
		d.errorf(n, path, "must not be negative (got %d)", v)
		return 0, false
	case v < min:
		d.errorf(n, path, "must be at least %d (got %d)", min, v)
		return 0, false
	}
	return v, true
}

func (d *decoder) boolean(n *yaml.Node, path string) (bool, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return false, false
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "on":
		return true, true
	case "false", "no", "off":
		return false, true
	}
	d.errorf(n, path, "%q is not true or false", s)
	return false, false
}

// duration reads a Go duration such as 30s or 1h30m; min is the smallest
// value allowed.
func (d *decoder) duration(n *yaml.Node, path string, min time.Duration) (time.Duration, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return 0, false
	}
	v, err := time.ParseDuration(strings.TrimSpace(s))
	switch {
	case err != nil:
		d.errorf(n, path, "%q is not a duration (e.g. 30s, 10m, 1h30m)", s)
		return 0, false
	case v < min && min <= 0:
		d.errorf(n, path, "must not be negative (got %s)", v)
		return 0, false
	case v < min:
		d.errorf(n, path, "must be at least %s (got %s)", min, v)
		return 0, false
	}
	return v, true
}

var sizeUnits = map[string]int64{
	"": 1, "b": 1,
	"kb": 1000, "mb": 1000 * 1000, "gb": 1000 * 1000 * 1000,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30,
}

// size reads a positive byte count with an optional unit: 512KiB, 10 MB.
func (d *decoder) size(n *yaml.Node, path string) (int64, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return 0, false
	}
	t := strings.TrimSpace(s)
	i := len(t) - len(strings.TrimLeft(t, "0123456789"))
	num, err := strconv.ParseInt(t[:i], 10, 64)
	unit, known := sizeUnits[strings.ToLower(strings.TrimSpace(t[i:]))]
	if err != nil || !known {
		d.errorf(n, path, "%q is not a size (e.g. 512KiB, 10MiB, 1MB)", s)
		return 0, false
	}
	if num <= 0 || num > math.MaxInt64/unit {
		d.errorf(n, path, "size %q is out of range", s)
		return 0, false
	}
	return num * unit, true
}

// oneOf reads a value that must be one of choices.
func oneOf[T ~string](d *decoder, n *yaml.Node, path, what string, choices []T) (T, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return "", false
	}
	names := make([]string, len(choices))
	for i, c := range choices {
		names[i] = string(c)
	}
	if contains(names, s) {
		return T(s), true
	}
	if hint := didYouMean(s, names); hint != "" {
		d.errorf(n, path, "unknown %s %q%s", what, s, hint)
	} else {
		d.errorf(n, path, "unknown %s %q (want %s)", what, s, orList(names))
	}
	return "", false
}

// list reads a sequence; a single scalar counts as a list of one, which is
// what people mean by `channels: "123"`. ok is false when unset.
func (d *decoder) list(n *yaml.Node, path string) ([]*yaml.Node, bool) {
	n = resolve(n)
	switch {
	case isNull(n):
		return nil, false
	case n.Kind == yaml.ScalarNode:
		return []*yaml.Node{n}, true
	case n.Kind != yaml.SequenceNode:
		d.errorf(n, path, "must be a list, not %s", kindName(n))
		return nil, false
	}
	return n.Content, true
}

func ptr[T any](v T, ok bool) *T {
	if !ok {
		return nil
	}
	return &v
}
