package emulator

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// validator checks a JSON value against a schema in the subset of JSON
// Schema that Discord's OpenAPI description uses: $ref, type (a name or a
// list, null included), const, enum, properties, required,
// additionalProperties, min/maxProperties, items, min/maxItems,
// uniqueItems, min/maxLength, pattern, minimum/maximum, oneOf, anyOf,
// allOf, and the formats int64, snowflake, date-time and uri.
//
// Discord sends 64-bit integers as strings, and accepts them that way, so
// an integer whose format is int64 or whose range exceeds 2^53 may be a
// decimal string, and a snowflake may be a number.
type validator struct {
	sp   *openAPISpec
	errs []schemaErr
	refs map[string]bool
}

// schemaErr keeps its format and arguments: most errors come from union
// branches that are tried and dropped, so messages are made only when shown.
type schemaErr struct {
	path   []string
	code   string
	format string
	args   []any
}

func (e schemaErr) msg() string { return fmt.Sprintf(e.format, e.args...) }

func newValidator(sp *openAPISpec) *validator {
	return &validator{sp: sp}
}

func (v *validator) fail(path []string, code, format string, args ...any) {
	v.errs = append(v.errs, schemaErr{path: append([]string{}, path...), code: code, format: format, args: args})
}

func (v *validator) ref(name string) {
	if v.refs == nil {
		v.refs = map[string]bool{}
	}
	v.refs[name] = true
}

// check validates val against schema at path; refs it passes through are
// recorded only on branches that match.
func (v *validator) check(schema, val any, path []string) {
	s, ok := schema.(map[string]any)
	if !ok {
		if b, isBool := schema.(bool); isBool && !b {
			v.fail(path, "BASE_TYPE_UNKNOWN_FIELD", "No value is allowed here.")
		}
		return
	}
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		target, found := v.sp.schema(name)
		if !found {
			v.fail(path, "SCHEMA_UNKNOWN_REF", "Schema %s is not defined.", ref)
			return
		}
		v.ref(name)
		v.check(target, val, path)
	}
	if t, ok := s["type"]; ok && !typeMatches(t, val, s) {
		v.fail(path, "BASE_TYPE_BAD_TYPE", "Value of type %s is not valid here; want %v.", jsonType(val), t)
		return
	}
	v.checkEnum(s, val, path)
	switch x := val.(type) {
	case string:
		v.checkString(s, x, path)
	case json.Number:
		v.checkNumber(s, x.String(), path)
	case map[string]any:
		v.checkObject(s, x, path)
	case []any:
		v.checkArray(s, x, path)
	}
	if _, isNum := val.(string); isNum && lenientInt(s) {
		v.checkNumber(s, val.(string), path)
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			v.check(sub, val, path)
		}
	}
	v.checkUnion(s, "anyOf", val, path)
	v.checkUnion(s, "oneOf", val, path)
}

func jsonType(val any) string {
	switch x := val.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if isInteger(x.String()) {
			return "integer"
		}
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return fmt.Sprintf("%T", val)
}

func typeMatches(t, val any, s map[string]any) bool {
	var types []string
	switch x := t.(type) {
	case string:
		types = []string{x}
	case []any:
		for _, e := range x {
			if str, ok := e.(string); ok {
				types = append(types, str)
			}
		}
	}
	for _, want := range types {
		if typeIs(want, val, s) {
			return true
		}
	}
	return false
}

func typeIs(want string, val any, s map[string]any) bool {
	got := jsonType(val)
	switch want {
	case got:
		return true
	case "number":
		return got == "integer" || got == "string" && lenientInt(s) && isNumber(val.(string))
	case "integer":
		return got == "string" && lenientInt(s) && isInteger(val.(string))
	case "string":
		return got == "integer" && s["format"] == "snowflake" && !strings.HasPrefix(val.(json.Number).String(), "-")
	}
	return false
}

// lenientInt reports whether a number schema also takes decimal strings:
// 64-bit values, which JSON clients cannot hold in a double.
func lenientInt(s map[string]any) bool {
	if s["format"] == "int64" || s["format"] == "snowflake" {
		return true
	}
	for _, k := range []string{"maximum", "minimum"} {
		if n, ok := s[k].(json.Number); ok {
			if f, err := strconv.ParseFloat(n.String(), 64); err == nil && math.Abs(f) > 1<<53 {
				return true
			}
		}
	}
	return false
}

func isNumber(s string) bool {
	_, ok := parseNum(s)
	return ok
}

func isInteger(s string) bool {
	if s != "" && !strings.ContainsAny(s, ".eE") {
		_, ok := parseNum(s)
		return ok
	}
	n, ok := parseNum(s)
	return ok && n.IsInt()
}

// parseNum reads a JSON number exactly (a float64 loses 64-bit integers).
func parseNum(s string) (*big.Float, bool) {
	if s == "" || strings.ContainsAny(s, " \t_xXpP") {
		return nil, false
	}
	if len(s) <= 15 { // exact in a float64: skip the big parse
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, false
		}
		return new(big.Float).SetFloat64(f), true
	}
	f, _, err := big.ParseFloat(s, 10, 128, big.ToNearestEven)
	return f, err == nil
}

func (v *validator) checkEnum(s map[string]any, val any, path []string) {
	if c, ok := s["const"]; ok && !jsonEqual(c, val) {
		v.fail(path, "BASE_TYPE_CHOICES", "Value must be %v.", c)
	}
	if list, ok := s["enum"].([]any); ok {
		for _, e := range list {
			if jsonEqual(e, val) {
				return
			}
		}
		v.fail(path, "BASE_TYPE_CHOICES", "Value must be one of %v.", list)
	}
}

func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		if len(x) <= 15 && len(y) <= 15 { // exact in a float64
			p, err1 := strconv.ParseFloat(string(x), 64)
			q, err2 := strconv.ParseFloat(string(y), 64)
			return err1 == nil && err2 == nil && p == q
		}
		p, ok1 := parseNum(x.String())
		q, ok2 := parseNum(y.String())
		return ok1 && ok2 && p.Cmp(q) == 0
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	}
	ab, _ := json.Marshal(a)
	bb, _ := json.Marshal(b)
	return string(ab) == string(bb)
}

func intKeyword(s map[string]any, k string) (int, bool) {
	n, ok := s[k].(json.Number)
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(n.String())
	return i, err == nil
}

func (v *validator) checkString(s map[string]any, x string, path []string) {
	n := runes(x)
	if m, ok := intKeyword(s, "maxLength"); ok && n > m {
		v.fail(path, "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer in length.", m)
	}
	if m, ok := intKeyword(s, "minLength"); ok && n < m {
		v.fail(path, "BASE_TYPE_MIN_LENGTH", "Must be %d or more in length.", m)
	}
	if p, ok := s["pattern"].(string); ok {
		if re := v.sp.regexp(p); re != nil && !re.MatchString(x) {
			v.fail(path, "STRING_TYPE_REGEX", "String value did not match validation regex.")
		}
	}
	switch s["format"] {
	case "date-time":
		if _, err := time.Parse(time.RFC3339, x); err != nil {
			v.fail(path, "DATE_TYPE_PARSE", "Could not parse %s. Should be ISO8601.", x)
		}
	case "uri":
		if u, err := url.Parse(x); err != nil || u.Scheme == "" {
			v.fail(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.")
		}
	}
}

func (sp *openAPISpec) regexp(p string) *regexp.Regexp {
	if re, ok := sp.regexps.Load(p); ok {
		r, _ := re.(*regexp.Regexp)
		return r
	}
	re, err := regexp.Compile(p)
	if err != nil {
		sp.regexps.Store(p, (*regexp.Regexp)(nil))
		return nil
	}
	sp.regexps.Store(p, re)
	return re
}

func (v *validator) checkNumber(s map[string]any, x string, path []string) {
	val, ok := parseNum(x)
	if !ok {
		return
	}
	if typ, _ := s["type"].(string); typ == "integer" && !val.IsInt() {
		v.fail(path, "NUMBER_TYPE_COERCE", "Value \"%s\" is not int.", x)
	}
	if m, ok := s["maximum"].(json.Number); ok {
		if lim, ok := parseNum(m.String()); ok && val.Cmp(lim) > 0 {
			v.fail(path, "NUMBER_TYPE_MAX", "int value should be less than or equal to %s.", m)
		}
	}
	if m, ok := s["minimum"].(json.Number); ok {
		if lim, ok := parseNum(m.String()); ok && val.Cmp(lim) < 0 {
			v.fail(path, "NUMBER_TYPE_MIN", "int value should be greater than or equal to %s.", m)
		}
	}
}

func (v *validator) checkObject(s map[string]any, x map[string]any, path []string) {
	props, _ := s["properties"].(map[string]any)
	if req, ok := s["required"].([]any); ok {
		for _, r := range req {
			if name, _ := r.(string); name != "" {
				if _, present := x[name]; !present {
					v.fail(append(path, name), "BASE_TYPE_REQUIRED", "This field is required")
				}
			}
		}
	}
	for k, val := range x {
		if ps, ok := props[k]; ok {
			v.check(ps, val, append(path, k))
			continue
		}
		if ap, ok := s["additionalProperties"]; ok {
			if b, isBool := ap.(bool); isBool && !b {
				v.fail(append(path, k), "BASE_TYPE_UNKNOWN_FIELD", "Unknown field %q.", k)
			} else if !isBool {
				v.check(ap, val, append(path, k))
			}
		}
	}
	if m, ok := intKeyword(s, "maxProperties"); ok && len(x) > m {
		v.fail(path, "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer in length.", m)
	}
	if m, ok := intKeyword(s, "minProperties"); ok && len(x) < m {
		v.fail(path, "BASE_TYPE_MIN_LENGTH", "Must be %d or more in length.", m)
	}
}

func (v *validator) checkArray(s map[string]any, x []any, path []string) {
	if m, ok := intKeyword(s, "maxItems"); ok && len(x) > m {
		v.fail(path, "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer in length.", m)
	}
	if m, ok := intKeyword(s, "minItems"); ok && len(x) < m {
		v.fail(path, "BASE_TYPE_MIN_LENGTH", "Must be %d or more in length.", m)
	}
	if items, ok := s["items"]; ok {
		for i, e := range x {
			v.check(items, e, append(path, strconv.Itoa(i)))
		}
	}
	if u, _ := s["uniqueItems"].(bool); u {
		seen := map[string]bool{}
		for _, e := range x {
			b, _ := json.Marshal(e)
			if seen[string(b)] {
				v.fail(path, "BASE_TYPE_UNIQUE", "Values must be unique.")
				return
			}
			seen[string(b)] = true
		}
	}
}

// checkUnion applies anyOf (at least one branch) or oneOf (exactly one).
// When no branch matches, the errors of the branch that got furthest are
// reported, which names the real problem rather than every alternative.
func (v *validator) checkUnion(s map[string]any, kw string, val any, path []string) {
	branches, ok := s[kw].([]any)
	if !ok || len(branches) == 0 {
		return
	}
	var matched []*validator
	var best *validator
	for _, b := range branches {
		sub := newValidator(v.sp)
		sub.check(b, val, path)
		if len(sub.errs) == 0 {
			matched = append(matched, sub)
			continue
		}
		if best == nil || better(sub.errs, best.errs) {
			best = sub
		}
	}
	switch {
	case len(matched) == 0:
		v.errs = append(v.errs, best.errs...)
	case kw == "oneOf" && len(matched) > 1:
		v.fail(path, "UNION_TYPE_CHOICES", "Value matches more than one of the union types.")
	default:
		for name := range matched[0].refs {
			v.ref(name)
		}
	}
}

// better picks the branch the value was most likely meant for: the one
// with fewest type and choice mismatches (its discriminating fields fit),
// then errors found deeper in the value, then fewer of them.
func better(a, b []schemaErr) bool {
	if ta, tb := typeErrs(a), typeErrs(b); ta != tb {
		return ta < tb
	}
	da, db := maxDepth(a), maxDepth(b)
	if da != db {
		return da > db
	}
	return len(a) < len(b)
}

func typeErrs(errs []schemaErr) int {
	n := 0
	for _, e := range errs {
		if e.code == "BASE_TYPE_BAD_TYPE" || e.code == "BASE_TYPE_CHOICES" {
			n++
		}
	}
	return n
}

func maxDepth(errs []schemaErr) int {
	d := 0
	for _, e := range errs {
		d = max(d, len(e.path))
	}
	return d
}
