package store

import (
	"encoding/json"
	"reflect"
	"testing"
)

// parseList's fast path reads back exactly what encoding/json would.
func FuzzParseList(f *testing.F) {
	for _, s := range []string{`[]`, `["a"]`, `["a","b c"]`, `["\"q\""]`, `["a\u003cb"]`, `[""]`, `["x",""]`, `["é ✓"]`} {
		f.Add(s)
	}
	f.Add(jsonList([]string{"plain", "with \"quotes\"", "tab\there", "<b>&</b>"}))
	f.Fuzz(func(t *testing.T, s string) {
		var want []string
		werr := json.Unmarshal([]byte(s), &want)
		got, gerr := parseList(s)
		if (werr != nil) != (gerr != nil) && s != "" {
			t.Fatalf("parseList(%q) error %v, encoding/json %v", s, gerr, werr)
		}
		if werr == nil && len(want) > 0 && !reflect.DeepEqual(got, want) {
			t.Fatalf("parseList(%q) = %q, encoding/json %q", s, got, want)
		}
	})
}

func TestParseListRoundTrip(t *testing.T) {
	for _, ss := range [][]string{nil, {"a"}, {"First paragraph.", "Second, with \"quotes\" and <tags> & more.", "Ünïcödé ✓"}, {"", "x"}} {
		got, err := parseList(jsonList(ss))
		if err != nil || (len(ss) > 0 && !reflect.DeepEqual(got, ss)) || (len(ss) == 0 && got != nil) {
			t.Errorf("parseList(jsonList(%q)) = %q, %v", ss, got, err)
		}
	}
}
