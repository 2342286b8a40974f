package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
)

// openAPISpec is Discord's OpenAPI description reduced to what validation
// needs: the JSON request body schema of each operation, and the answers
// (status and body schema) it may give.
type openAPISpec struct {
	raw     map[string]json.RawMessage // component schemas, decoded on first use
	ops     []*specOp
	regexps sync.Map // pattern → *regexp.Regexp, or nil when RE2 cannot compile it

	mu      sync.Mutex
	decoded map[string]any
}

// schema returns a component schema by name, decoding it the first time.
func (sp *openAPISpec) schema(name string) (any, bool) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if v, ok := sp.decoded[name]; ok {
		return v, true
	}
	raw, ok := sp.raw[name]
	if !ok {
		return nil, false
	}
	v, err := decodeNumbers(raw)
	if err != nil {
		v = false // an undecodable schema matches nothing
	}
	sp.decoded[name] = v
	return v, true
}

type specOp struct {
	method    string
	template  string
	segs      []string
	schema    any
	responses map[string]specResponse // by status: "200", "204", "4XX", "default"
}

// specResponse is one documented answer; a nil schema means no JSON body.
type specResponse struct {
	schema any
}

// The spec is large (over a megabyte); parse each file once per process.
var specCache = struct {
	sync.Mutex
	m map[string]*openAPISpec
}{m: map[string]*openAPISpec{}}

func loadOpenAPI(path string) (*openAPISpec, error) {
	specCache.Lock()
	defer specCache.Unlock()
	if sp, ok := specCache.m[path]; ok {
		return sp, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read OpenAPI description: %w", err)
	}
	sp, err := parseOpenAPI(data)
	if err != nil {
		return nil, fmt.Errorf("OpenAPI description %s: %w", path, err)
	}
	specCache.m[path] = sp
	return sp, nil
}

func parseOpenAPI(data []byte) (*openAPISpec, error) {
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas   map[string]json.RawMessage `json:"schemas"`
			Responses map[string]json.RawMessage `json:"responses"`
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Paths) == 0 {
		return nil, fmt.Errorf("no paths")
	}
	applySpecFixes(doc.Components.Schemas)
	sp := &openAPISpec{raw: doc.Components.Schemas, decoded: map[string]any{}}
	for tmpl, methods := range doc.Paths {
		for method, raw := range methods {
			var op struct {
				RequestBody struct {
					Content map[string]struct {
						Schema json.RawMessage `json:"schema"`
					} `json:"content"`
				} `json:"requestBody"`
				Responses map[string]json.RawMessage `json:"responses"`
			}
			if json.Unmarshal(raw, &op) != nil {
				continue // "parameters" and other non-operation keys
			}
			o := &specOp{method: strings.ToUpper(method), template: tmpl, segs: strings.Split(strings.Trim(tmpl, "/"), "/"),
				responses: parseResponses(op.Responses, doc.Components.Responses)}
			if js, ok := op.RequestBody.Content["application/json"]; ok && len(js.Schema) > 0 {
				if o.schema, _ = decodeNumbers(js.Schema); o.schema == nil {
					continue
				}
			}
			sp.ops = append(sp.ops, o)
		}
	}
	return sp, nil
}

// parseResponses reads an operation's answers, following $refs into
// components/responses.
func parseResponses(raw, shared map[string]json.RawMessage) map[string]specResponse {
	out := make(map[string]specResponse, len(raw))
	for status, r := range raw {
		var resp struct {
			Ref     string `json:"$ref"`
			Content map[string]struct {
				Schema json.RawMessage `json:"schema"`
			} `json:"content"`
		}
		if json.Unmarshal(r, &resp) != nil {
			continue
		}
		if name, ok := strings.CutPrefix(resp.Ref, "#/components/responses/"); ok {
			resp.Ref = ""
			if json.Unmarshal(shared[name], &resp) != nil {
				continue
			}
		}
		var sr specResponse
		if js, ok := resp.Content["application/json"]; ok && len(js.Schema) > 0 {
			if v, err := decodeNumbers(js.Schema); err == nil {
				sr.schema = v
			}
		}
		out[status] = sr
	}
	return out
}

// decodeNumbers decodes JSON keeping numbers exact (json.Number).
func decodeNumbers(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// find returns the operation for a method and a path without /api/vN.
func (sp *openAPISpec) find(method, path string) *specOp {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	var best *specOp
	bestLiterals := -1
	for _, op := range sp.ops {
		if op.method != method {
			continue
		}
		if _, literals, ok := matchSegs(op.segs, segs); ok && literals > bestLiterals {
			best, bestLiterals = op, literals
		}
	}
	return best
}

// validateOpenAPI checks a request body against the spec, when one is
// loaded, and records which schemas validated bodies exercised.
func (s *Server) validateOpenAPI(c *call) *apiError {
	if s.spec == nil || len(c.body) == 0 {
		return nil
	}
	op := s.spec.find(c.r.Method, c.path)
	if op == nil || op.schema == nil {
		return nil
	}
	body, err := decodeNumbers(c.body)
	if err != nil {
		return errInvalidJSON()
	}
	v := newValidator(s.spec)
	v.check(op.schema, body, nil)
	if len(v.errs) > 0 {
		var fe formErrors
		for _, e := range v.errs {
			fe.add(strings.Join(e.path, "."), e.code, e.msg())
		}
		ae := fe.apiError()
		ae.Message = "Invalid Form Body (OpenAPI: " + op.method + " " + op.template + ")"
		return ae
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for name := range v.refs {
		s.schemas[name] = true
	}
	return nil
}

// SchemasExercised lists, sorted, the OpenAPI schemas that request bodies
// validated against (empty without Options.OpenAPIFile).
func (s *Server) SchemasExercised() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.schemas))
	for name := range s.schemas {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// ValidateSchema validates a JSON document against a named schema of an
// OpenAPI description, returning one message per violation. Tests use it
// to check the emulator's own answers against the spec.
func ValidateSchema(specFile, schema string, doc []byte) ([]string, error) {
	sp, err := loadOpenAPI(specFile)
	if err != nil {
		return nil, err
	}
	root, ok := sp.schema(schema)
	if !ok {
		return nil, fmt.Errorf("no schema %q in %s", schema, specFile)
	}
	val, err := decodeNumbers(doc)
	if err != nil {
		return nil, fmt.Errorf("document: %w", err)
	}
	v := newValidator(sp)
	v.check(root, val, nil)
	var out []string
	for _, e := range v.errs {
		out = append(out, fmt.Sprintf("%s: %s (%s)", strings.Join(e.path, "."), e.msg(), e.code))
	}
	return out, nil
}
