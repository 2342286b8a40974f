package english

import "testing"

func TestPlural(t *testing.T) {
	for _, tc := range []struct {
		n    int
		word string
		want string
	}{
		{0, "comment", "0 comments"},
		{1, "comment", "1 comment"},
		{2, "reply", "2 replies"},
		{3, "day", "3 days"},
		{1, "reply", "1 reply"},
		{5, "more added paragraph", "5 more added paragraphs"},
	} {
		if got := Plural(tc.n, tc.word); got != tc.want {
			t.Errorf("Plural(%d, %q) = %q, want %q", tc.n, tc.word, got, tc.want)
		}
	}
}
