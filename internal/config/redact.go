package config

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// secretName matches variable names that hold credentials by convention.
var secretName = regexp.MustCompile(`(?i)token|secret|passw|key|credential|auth`)

// minEchoed is the length from which any value taken from the environment
// is kept out of messages. Shorter values would be found by accident in
// the rest of a message ("line 12"); a credential is never that short.
const minEchoed = 8

// noteEnv remembers a value a ${NAME} expanded to, so that messages can
// show ${NAME} in its place: the environment is where secrets live, and a
// ${DISCORD_TOKEN} written in the wrong field must not have its value
// printed by `check` or logged by a reload.
func (d *decoder) noteEnv(name, value string) {
	if value == "" || len(value) < minEchoed && !secretName.MatchString(name) {
		return
	}
	if d.env == nil {
		d.env = map[string]string{}
	}
	d.env[value] = "${" + name + "}"
}

// redactErrors rewrites the collected problems with every remembered
// value replaced by the reference it came from, in the forms a message
// may print it: as is, and quoted.
func (d *decoder) redactErrors() {
	if len(d.env) == 0 {
		return
	}
	values := make([]string, 0, len(d.env))
	for v := range d.env {
		values = append(values, v)
	}
	// Longest first, so a value containing another is replaced whole.
	sort.Slice(values, func(i, j int) bool { return len(values[i]) > len(values[j]) })
	var pairs []string
	for _, v := range values {
		ref := d.env[v]
		if q := strconv.Quote(v); q[1:len(q)-1] != v {
			pairs = append(pairs, q[1:len(q)-1], ref)
		}
		pairs = append(pairs, v, ref)
	}
	r := strings.NewReplacer(pairs...)
	for _, e := range d.errs {
		e.Msg = r.Replace(e.Msg)
		if ref := d.leaks(e.Msg); ref != "" {
			e.Msg = "the value of " + ref + " is not valid here (details hidden: they would show part of it)"
		}
		if e.Err == nil {
			continue
		}
		s := r.Replace(e.Err.Error())
		if ref := d.leaks(s); ref != "" {
			s = "details hidden: they would show part of " + ref
		}
		if s != e.Err.Error() {
			e.Err = &redacted{msg: s, err: e.Err}
		}
	}
}

// leaks returns the reference of a remembered value that msg still shows
// part of (a parser quoting the token's first segment, say), or "".
func (d *decoder) leaks(msg string) string {
	for v, ref := range d.env {
		for i := 0; i+minEchoed <= len(v); i++ {
			if strings.Contains(msg, v[i:i+minEchoed]) {
				return ref
			}
		}
	}
	return ""
}

// redacted is an error whose text had environment values taken out; the
// original stays reachable for errors.Is and errors.As.
type redacted struct {
	msg string
	err error
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }
