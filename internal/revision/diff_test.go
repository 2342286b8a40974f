package revision

import (
	"fmt"
	"testing"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name           string
		old, new       []string
		added, removed []string
	}{
		{"identical", []string{"a one", "b two"}, []string{"a one", "b two"}, nil, nil},
		{"appended", []string{"a one"}, []string{"a one", "b two", "Update: c"}, []string{"b two", "Update: c"}, nil},
		{"inserted in the middle", []string{"a", "c"}, []string{"a", "b", "c"}, []string{"b"}, nil},
		{"removed", []string{"a", "b", "c"}, []string{"a", "c"}, nil, []string{"b"}},
		{"edited is removed and added", []string{"a", "the cat sat", "c"}, []string{"a", "the cat stood", "c"},
			[]string{"the cat stood"}, []string{"the cat sat"}},
		{"whitespace and chrome ignored", []string{"a  one", "Advertisement", "b"}, []string{" a one", "b", "5 comments"}, nil, nil},
		{"tracking param ignored", []string{"see http://x.io/p?utm_source=a"}, []string{"see http://x.io/p"}, nil, nil},
		{"original text returned", []string{"a"}, []string{"a", "  “quoted”\u00a0text "}, []string{"“quoted”\u00a0text"}, nil},
		{"from nothing", nil, []string{"a", "b"}, []string{"a", "b"}, nil},
		{"to nothing", []string{"a"}, nil, nil, []string{"a"}},
		{"duplicate paragraphs", []string{"x", "y", "x"}, []string{"x", "x"}, nil, []string{"y"}},
		{"reordered", []string{"a", "b"}, []string{"b", "a"}, []string{"a"}, []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			added, removed := Diff(tt.old, tt.new)
			if !equalStrings(added, tt.added) || !equalStrings(removed, tt.removed) {
				t.Errorf("Diff(%q, %q) = added %q removed %q; want added %q removed %q",
					tt.old, tt.new, added, removed, tt.added, tt.removed)
			}
		})
	}
}

// A page with more paragraphs than the LCS table allows still diffs.
func TestDiffHuge(t *testing.T) {
	old := make([]string, 3000)
	for i := range old {
		old[i] = fmt.Sprint("paragraph ", i)
	}
	new := append([]string{"new first"}, old[:len(old)-1]...)
	new[1500] = "edited"
	added, removed := Diff(old, new)
	if len(added) != 2 || len(removed) != 2 {
		t.Errorf("Diff of 3000 paragraphs: %d added, %d removed; want 2 and 2", len(added), len(removed))
	}
}

func FuzzDiff(f *testing.F) {
	f.Add("a\nb\nc", "a\nc\nd")
	f.Fuzz(func(t *testing.T, a, b string) {
		old, new := splitLines(a), splitLines(b)
		added, removed := Diff(old, new)
		if len(Normalize(old))-len(removed) != len(Normalize(new))-len(added) {
			t.Fatalf("Diff(%q, %q): kept counts disagree: added %q removed %q", old, new, added, removed)
		}
		if a2, r2 := Diff(new, old); len(a2) != len(removed) || len(r2) != len(added) {
			t.Fatalf("Diff not symmetric in counts")
		}
	})
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
