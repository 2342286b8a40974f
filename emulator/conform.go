package emulator

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// With Options.OpenAPIFile set, everything the emulator says is checked
// against Discord's OpenAPI description as it leaves: the status and body
// of every REST answer against the responses its operation documents, and
// gateway dispatches against the component schemas of the objects they
// carry. The check sits in the REST pipeline and in the gateway's one
// send path, so a new route or event is checked without being listed.
// What does not match is a Violation: logged, kept for Violations and
// GET /_emulator/violations, and, under Start, a test failure.

// Violation is an answer or event of the emulator that Discord's OpenAPI
// description does not allow: a bug in the emulator, not in the client.
type Violation struct {
	Time   time.Time `json:"time"`
	Source string    `json:"source"` // "GET /channels/{channel_id}/messages → 200" or "gateway MESSAGE_CREATE"
	Errors []string  `json:"errors"`
	Body   string    `json:"body"` // what was sent, cut at maxViolationBody bytes
}

const (
	maxViolations    = 1000
	maxViolationBody = 4096
)

type conformance struct {
	mu         sync.Mutex // a leaf: taken under Server.mu and gateway.mu, never the reverse
	violations []Violation
}

func (s *Server) violate(source string, errs []string, body []byte) {
	if len(body) > maxViolationBody {
		body = body[:maxViolationBody]
	}
	s.log.Warn("the emulator sent what Discord's OpenAPI description does not allow",
		"source", source, "errors", strings.Join(errs, "; "))
	s.conform.mu.Lock()
	defer s.conform.mu.Unlock()
	if len(s.conform.violations) < maxViolations {
		s.conform.violations = append(s.conform.violations, Violation{Time: time.Now(), Source: source, Errors: errs, Body: string(body)})
	}
}

// Violations lists, oldest first, what the emulator sent that Discord's
// OpenAPI description does not allow (always empty without
// Options.OpenAPIFile).
func (s *Server) Violations() []Violation {
	s.conform.mu.Lock()
	defer s.conform.mu.Unlock()
	return append([]Violation{}, s.conform.violations...)
}

// checkAnswer checks a REST answer against its operation's documented
// responses. path is without /api/vN.
func (s *Server) checkAnswer(method, path string, status int, h http.Header, body []byte) {
	source, errs := s.spec.checkAnswer(method, path, status, h, body)
	if len(errs) > 0 {
		s.violate(source, errs, body)
	}
}

func (sp *openAPISpec) checkAnswer(method, path string, status int, h http.Header, body []byte) (string, []string) {
	body = bytes.TrimSpace(body)
	op := sp.find(method, path)
	if op == nil {
		source := fmt.Sprintf("%s %s → %d", method, path, status)
		switch {
		case status >= 500:
			return source, nil
		case status >= 400:
			return source, sp.checkBody(errorSchema(status), h, body)
		}
		return source, []string{"Discord's OpenAPI description has no operation " + method + " " + path}
	}
	source := fmt.Sprintf("%s %s → %d", op.method, op.template, status)
	resp, ok := op.response(status)
	switch {
	case !ok && status >= 500:
		// The description documents no server errors; the emulator
		// answers them only when a 5xx fault asks for one.
		return source, nil
	case !ok:
		return source, []string{fmt.Sprintf("Discord does not answer %s %s with %d (documented: %s)",
			op.method, op.template, status, strings.Join(op.statuses(), ", "))}
	case resp.schema == nil && len(body) > 0:
		return source, []string{fmt.Sprintf("a %d answer has no body, but this one has %d bytes", status, len(body))}
	case resp.schema == nil:
		return source, nil
	}
	return source, sp.checkBody(resp.schema, h, body)
}

// errorSchema is what a 4xx answer carries when no operation says.
func errorSchema(status int) any {
	if status == http.StatusTooManyRequests {
		return map[string]any{"$ref": "#/components/schemas/RatelimitedResponse"}
	}
	return map[string]any{"$ref": "#/components/schemas/ErrorResponse"}
}

func (sp *openAPISpec) checkBody(schema any, h http.Header, body []byte) []string {
	if len(body) == 0 {
		return []string{"the answer has no body; want JSON"}
	}
	if mt, _, _ := mime.ParseMediaType(h.Get("Content-Type")); mt != "application/json" {
		return []string{fmt.Sprintf("Content-Type is %q; want application/json", h.Get("Content-Type"))}
	}
	val, err := decodeNumbers(body)
	if err != nil {
		return []string{"the body is not JSON: " + err.Error()}
	}
	v := newValidator(sp)
	v.check(schema, val, nil)
	return v.messages("")
}

// messages renders the validator's errors, each under prefix.
func (v *validator) messages(prefix string) []string {
	var out []string
	for _, e := range v.errs {
		at := join(prefix, strings.Join(e.path, "."))
		if at == "" {
			at = "(the whole payload)"
		}
		out = append(out, fmt.Sprintf("%s: %s (%s)", at, e.msg(), e.code))
	}
	return out
}

// response finds the documented answer for a status: exact, then its
// class ("4XX"), then "default".
func (op *specOp) response(status int) (specResponse, bool) {
	for _, k := range []string{strconv.Itoa(status), strconv.Itoa(status/100) + "XX", "default"} {
		if r, ok := op.responses[k]; ok {
			return r, true
		}
	}
	return specResponse{}, false
}

func (op *specOp) statuses() []string {
	out := make([]string, 0, len(op.responses))
	for k := range op.responses {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// eventPart says which component schemas describe a part of a dispatch:
// path is dotted ("" is the whole payload, "*" every element or value);
// the part must match one of schemas. absent lists fields the schema
// requires that the gateway's form leaves out (GUILD_CREATE's channels
// have no guild_id: it is the guild's).
type eventPart struct {
	path    string
	schemas []string
	absent  []string
}

// eventSchemas maps every dispatch the emulator sends to the parts of it
// Discord's description defines. An event with no entry is a violation,
// so a new event must say here what it carries (nil: nothing the
// description defines).
var eventSchemas = map[string][]eventPart{
	"READY": {{path: "user", schemas: []string{"UserResponse"}}},
	"GUILD_CREATE": {
		{path: "", schemas: []string{"GuildResponse"}},
		{path: "channels.*", schemas: []string{"GuildChannelResponse"}, absent: []string{"guild_id"}},
		{path: "threads.*", schemas: []string{"ThreadResponse"}},
		{path: "members.*", schemas: []string{"GuildMemberResponse"}},
	},
	"MESSAGE_CREATE":  messageEvent,
	"MESSAGE_UPDATE":  messageEvent,
	"MESSAGE_DELETE":  nil,
	"THREAD_CREATE":   {{path: "", schemas: []string{"ThreadResponse"}}},
	"THREAD_UPDATE":   {{path: "", schemas: []string{"ThreadResponse"}}},
	"CHANNEL_UPDATE":  {{path: "", schemas: []string{"GuildChannelResponse"}}},
	"WEBHOOKS_UPDATE": nil,
	"INTERACTION_CREATE": {
		{path: "member", schemas: []string{"PrivateGuildMemberResponse"}},
		{path: "user", schemas: []string{"UserResponse"}},
		{path: "channel", schemas: []string{"GuildChannelResponse", "ThreadResponse"}},
		{path: "message", schemas: []string{"MessageResponse"}},
		{path: "data.resolved", schemas: []string{"ResolvedObjectsResponse"}},
	},
	"RESUMED": nil,
}

var messageEvent = []eventPart{
	{path: "", schemas: []string{"MessageResponse"}},
	{path: "member", schemas: []string{"BasicGuildMemberResponse"}},
}

// checkEvent checks a dispatch's payload (its d) against eventSchemas.
func (s *Server) checkEvent(typ string, d []byte) {
	parts, known := eventSchemas[typ]
	source := "gateway " + typ
	if !known {
		s.violate(source, []string{"the emulator sends " + typ + " but eventSchemas does not say what it carries"}, d)
		return
	}
	if len(parts) == 0 {
		return
	}
	val, err := decodeNumbers(d)
	if err != nil {
		s.violate(source, []string{"the payload is not JSON: " + err.Error()}, d)
		return
	}
	var errs []string
	for _, p := range parts {
		var segs []string
		if p.path != "" {
			segs = strings.Split(p.path, ".")
		}
		eachAt(val, segs, nil, func(at []string, x any) {
			errs = append(errs, s.spec.checkPart(p, at, x)...)
		})
	}
	if len(errs) > 0 {
		s.violate(source, errs, d)
	}
}

// checkPart validates x against the first of p's schemas it matches, or
// reports the errors of the closest.
func (sp *openAPISpec) checkPart(p eventPart, at []string, x any) []string {
	var best []string
	for i, name := range p.schemas {
		root, ok := sp.schema(name)
		if !ok {
			return []string{"Discord's OpenAPI description has no schema " + name}
		}
		v := newValidator(sp)
		v.check(root, x, nil)
		v.errs = dropAbsent(v.errs, p.absent)
		if len(v.errs) == 0 {
			return nil
		}
		msgs := v.messages(strings.Join(at, "."))
		for j := range msgs {
			msgs[j] = name + " " + msgs[j]
		}
		if i == 0 || len(msgs) < len(best) {
			best = msgs
		}
	}
	return best
}

func dropAbsent(errs []schemaErr, absent []string) []schemaErr {
	if len(absent) == 0 {
		return errs
	}
	out := errs[:0]
	for _, e := range errs {
		if len(e.path) == 1 && e.code == "BASE_TYPE_REQUIRED" && contains(absent, e.path[0]) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// eachAt calls fn with every value at segs below v; a missing part is
// not an error (the schemas say what is required).
func eachAt(v any, segs, at []string, fn func(at []string, x any)) {
	if len(segs) == 0 {
		fn(at, v)
		return
	}
	next := func(k string, x any) { eachAt(x, segs[1:], append(at[:len(at):len(at)], k), fn) }
	switch x := v.(type) {
	case map[string]any:
		if segs[0] != "*" {
			if child, ok := x[segs[0]]; ok {
				next(segs[0], child)
			}
			return
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			next(k, x[k])
		}
	case []any:
		if segs[0] == "*" {
			for i, e := range x {
				next(strconv.Itoa(i), e)
			}
		}
	}
}
