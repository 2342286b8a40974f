package summarize

import (
	"strings"
	"testing"
)

// The expected stems are what ROUGE-1.5.5's stemmer gives (checked against
// the scorer in ../../shared/tools/rouge.py), including where it departs
// from Porter's paper: "occasional" loses two suffixes, "sensibiliti"
// becomes "sensibl".
func TestPorterStemMatchesROUGE(t *testing.T) {
	tests := []struct{ word, want string }{
		{"caresses", "caress"}, {"ponies", "poni"}, {"ties", "ti"}, {"cats", "cat"}, {"feed", "feed"},
		{"agreed", "agre"}, {"plastered", "plaster"}, {"motoring", "motor"}, {"sing", "sing"},
		{"conflated", "conflat"}, {"troubled", "troubl"}, {"sized", "size"}, {"hopping", "hop"},
		{"tanned", "tan"}, {"falling", "fall"}, {"hissing", "hiss"}, {"fizzed", "fizz"},
		{"failing", "fail"}, {"filing", "file"}, {"happy", "happi"}, {"sky", "sky"},
		{"relational", "relat"}, {"conditional", "condit"}, {"rational", "ration"},
		{"valenci", "valenc"}, {"hesitanci", "hesit"}, {"digitizer", "digit"},
		{"conformabli", "conform"}, {"radicalli", "radic"}, {"differentli", "differ"},
		{"vileli", "vile"}, {"analogousli", "analog"}, {"vietnamization", "vietnam"},
		{"predication", "predic"}, {"operator", "oper"}, {"feudalism", "feudal"},
		{"decisiveness", "decis"}, {"hopefulness", "hope"}, {"callousness", "callous"},
		{"formaliti", "formal"}, {"sensitiviti", "sensit"}, {"sensibiliti", "sensibl"},
		{"triplicate", "triplic"}, {"formative", "form"}, {"formalize", "formal"},
		{"electriciti", "electr"}, {"electrical", "electr"}, {"hopeful", "hope"}, {"goodness", "good"},
		{"revival", "reviv"}, {"allowance", "allow"}, {"inference", "infer"}, {"airliner", "airlin"},
		{"gyroscopic", "gyroscop"}, {"adjustable", "adjust"}, {"defensible", "defens"},
		{"irritant", "irrit"}, {"replacement", "replac"}, {"adjustment", "adjust"},
		{"dependent", "depend"}, {"adoption", "adopt"}, {"homologou", "homolog"},
		{"communism", "commun"}, {"activate", "activ"}, {"angulariti", "angular"},
		{"homologous", "homolog"}, {"effective", "effect"}, {"bowdlerize", "bowdler"},
		{"probate", "probat"}, {"rate", "rate"}, {"cease", "ceas"}, {"controll", "control"},
		{"roll", "roll"}, {"occasional", "occas"}, {"element", "elem"}, {"they", "thei"},
		{"commenters", "comment"}, {"using", "us"}, {"said", "said"}, {"yesterday", "yesterdai"},
		// Three letters or fewer stay as they are, as ROUGE leaves them.
		{"was", "was"}, {"its", "its"}, {"not", "not"}, {"use", "use"},
		// Only plain lower-case ASCII is stemmed.
		{"cafés", "cafés"}, {"naïvely", "naïvely"},
	}
	for _, tt := range tests {
		if got := porterStem(tt.word); got != tt.want {
			t.Errorf("porterStem(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// TestPorterStemKeepsWordsApart checks the conflations the coverage count
// relies on: inflections meet, different words do not.
func TestPorterStemKeepsWordsApart(t *testing.T) {
	same := [][2]string{{"commenters", "comment"}, {"attacks", "attacking"}, {"racks", "rack"}}
	for _, p := range same {
		if porterStem(p[0]) != porterStem(p[1]) {
			t.Errorf("%q and %q stem apart: %q, %q", p[0], p[1], porterStem(p[0]), porterStem(p[1]))
		}
	}
	apart := [][2]string{{"not", "note"}, {"come", "com"}, {"done", "don"}}
	for _, p := range apart {
		if porterStem(p[0]) == porterStem(p[1]) {
			t.Errorf("%q and %q stem alike: %q", p[0], p[1], porterStem(p[0]))
		}
	}
}

func FuzzPorterStem(f *testing.F) {
	for _, w := range []string{"caresses", "yesterday", "y", "yyyy", "eed", "sses", "ational", "0000ing"} {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, w string) {
		w = strings.ToLower(w)
		got := porterStem(w)
		if len(got) > len(w) || (w != "" && got == "") {
			t.Fatalf("porterStem(%q) = %q", w, got)
		}
		if again := porterStem(w); again != got {
			t.Fatalf("porterStem(%q) not deterministic: %q then %q", w, got, again)
		}
	})
}
