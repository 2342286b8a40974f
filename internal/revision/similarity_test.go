package revision

import (
	"strings"
	"testing"
)

var (
	iosText = []string{
		"Apple has released a new version of iOS with bug fixes and security updates for all supported iPhones.",
		"The update is available now through the Settings app.",
	}
	briefingMonday  = []string{"Good morning. Parliament returns today with the budget vote at the top of the agenda, and markets in Asia opened lower."}
	briefingTuesday = []string{"Good morning. A storm is moving up the east coast tonight, and the football final was decided on penalties."}
)

func TestSimilarity(t *testing.T) {
	long := append([]string{}, briefingMonday...)
	long = append(long, "More paragraphs followed as the day went on.", "And an update at the end.")
	tests := []struct {
		name     string
		a, b     []string
		min, max float64
	}{
		{"identical", iosText, iosText, 1, 1},
		{"extension of the other", briefingMonday, long, 1, 1},
		{"unrelated", briefingMonday, briefingTuesday, 0, 0.2},
		{"chrome does not count", append([]string{"Advertisement"}, iosText...), iosText, 1, 1},
		{"short texts", []string{"Hello there"}, []string{"hello, there!"}, 1, 1},
		{"empty", nil, iosText, 0, 0},
		{"both empty", nil, nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Similarity(tt.a, tt.b)
			if got < tt.min || got > tt.max {
				t.Errorf("Similarity = %.3f, want in [%.2f, %.2f]", got, tt.min, tt.max)
			}
		})
	}
}

func TestSameStory(t *testing.T) {
	fp := func(title, host string, paras []string) Fingerprint {
		return Fingerprint{TitleKey: TitleKey(title), Paras: paras}
	}
	longIOS := func(v string) Fingerprint {
		return fp("Apple releases iOS "+v+" with bug fixes and security updates for every iPhone", "apple.com", iosText)
	}
	tests := []struct {
		name string
		a, b Fingerprint
		want bool
	}{
		{"same copy", fp("Morning briefing", "x.com", briefingMonday), fp("Morning briefing", "x.com", briefingMonday), true},
		{"marker-only title difference", fp("Storm hits coast", "a.com", briefingTuesday), fp("Storm hits coast (updated)", "b.com", briefingTuesday), true},
		{"two morning briefings", fp("Morning briefing", "x.com", briefingMonday), fp("Morning briefing", "x.com", briefingTuesday), false},
		{"morning briefing without text, same site", fp("Morning briefing", "x.com", nil), fp("Morning briefing", "x.com", briefingTuesday), false},
		{"morning briefing without text, unknown site", fp("Morning briefing", "", nil), fp("Morning briefing", "x.com", briefingTuesday), false},
		{"title only, other site: a title proves nothing", fp("Storm hits coast", "a.com", nil), fp("Storm hits coast", "www.B.com", briefingTuesday), false},
		{"title only, host from URL", Fingerprint{TitleKey: "storm hits coast"}, fp("Storm hits coast", "b.com", nil), false},
		{"iOS 17.1 vs 17.2, same text", fp("Apple releases iOS 17.1", "apple.com", iosText), fp("Apple releases iOS 17.2", "apple.com", iosText), false},
		{"long iOS titles differing in the version", longIOS("17.1"), longIOS("17.2"), false},
		{"near-equal titles, same text", fp("Storm hits the east coast tonight", "a.com", briefingTuesday), fp("Storm hits east coast tonight", "b.com", briefingTuesday), true},
		{"near-equal titles, different text", fp("Storm hits the east coast tonight", "a.com", briefingTuesday), fp("Storm hits east coast tonight", "b.com", briefingMonday), false},
		{"different titles, same text", fp("Budget vote today", "a.com", briefingMonday), fp("Markets open lower", "a.com", briefingMonday), false},
		{"empty titles", fp("", "a.com", briefingMonday), fp("", "a.com", briefingMonday), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SameStory(tt.a, tt.b); got != tt.want {
				t.Errorf("SameStory = %v, want %v (similarity %.2f)", got, tt.want, Similarity(tt.a.Paras, tt.b.Paras))
			}
			if back := SameStory(tt.b, tt.a); back != tt.want {
				t.Errorf("SameStory reversed = %v, want %v", back, tt.want)
			}
		})
	}
}

func FuzzSimilarity(f *testing.F) {
	f.Add("one two three four five six", "two three four five six seven")
	f.Fuzz(func(t *testing.T, a, b string) {
		x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
		s := Similarity(x, y)
		if s < 0 || s > 1 || s != Similarity(y, x) {
			t.Fatalf("Similarity(%q, %q) = %v (reverse %v)", a, b, s, Similarity(y, x))
		}
		SameStory(Fingerprint{TitleKey: a, Paras: x}, Fingerprint{TitleKey: b, Paras: y})
	})
}
