package summarize

import (
	"slices"
	"strings"
	"testing"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"plain", "It rained. We stayed in!", []string{"It rained.", "We stayed in!"}},
		{"title abbreviations", "Mr. Smith met Dr. Jones. They talked.",
			[]string{"Mr. Smith met Dr. Jones.", "They talked."}},
		{"initialism inside a name", "The U.S. Army moved. It was late.",
			[]string{"The U.S. Army moved.", "It was late."}},
		{"initialism ending a sentence", "I live in the U.S. It is big.",
			[]string{"I live in the U.S.", "It is big."}},
		{"e.g. and i.e.", "Use fruit, e.g. apples, i.e. Galas. Then eat.",
			[]string{"Use fruit, e.g. apples, i.e. Galas.", "Then eat."}},
		{"etc. mid sentence", "Apples, pears, etc. are fruit.", []string{"Apples, pears, etc. are fruit."}},
		{"etc. ending a sentence", "I like apples, pears, etc. Then I eat.",
			[]string{"I like apples, pears, etc.", "Then I eat."}},
		{"vs.", "Cats vs. Dogs is old. Pick one.", []string{"Cats vs. Dogs is old.", "Pick one."}},
		{"decimals", "It costs 3.50 dollars. Pi is 3.14 roughly",
			[]string{"It costs 3.50 dollars.", "Pi is 3.14 roughly"}},
		{"quote then lower case", `He said "Stop!" and left. Then he came back.`,
			[]string{`He said "Stop!" and left.`, "Then he came back."}},
		{"quote then attribution", `"Stop!" he said. "Go!"`, []string{`"Stop!" he said.`, `"Go!"`}},
		{"full stop inside quotes", `She said "I'm done." Then she left.`,
			[]string{`She said "I'm done."`, "Then she left."}},
		{"ellipsis continuing", "Wait... what? No way.", []string{"Wait... what?", "No way."}},
		{"ellipsis ending", "I see... Fine then.", []string{"I see...", "Fine then."}},
		{"unicode ellipsis", "Hmm… maybe. Sure.", []string{"Hmm… maybe.", "Sure."}},
		{"emoticon ends a sentence", "That's great :) See you tomorrow",
			[]string{"That's great :)", "See you tomorrow"}},
		{"emoticon mid sentence", "lol :p ok then", []string{"lol :p ok then"}},
		{"emoticon =D", "Nice one =D Thanks!", []string{"Nice one =D", "Thanks!"}},
		{"emoticon after punctuation", "Great! :) I agree.", []string{"Great! :)", "I agree."}},
		{"URL with dots and query", "See https://example.com/a.b?c=d. It explains.",
			[]string{"See https://example.com/a.b?c=d.", "It explains."}},
		{"URL mid sentence", "Visit www.example.com/page?id=3 for more",
			[]string{"Visit www.example.com/page?id=3 for more"}},
		{"no final punctuation", "no punctuation at all", []string{"no punctuation at all"}},
		{"line break", "First line\nSecond line", []string{"First line", "Second line"}},
		{"wrapped line", "a wrapped\nline continues.", []string{"a wrapped\nline continues."}},
		{"paragraphs", "para one\n\npara two", []string{"para one", "para two"}},
		{"spaces standing for a line break", "Thanks all      I will try it",
			[]string{"Thanks all", "I will try it"}},
		{"list markers", "1. Buy milk\n2. Buy eggs", []string{"1. Buy milk", "2. Buy eggs"}},
		{"middle initial", "John F. Kennedy spoke. So do I. Then we left.",
			[]string{"John F. Kennedy spoke.", "So do I.", "Then we left."}},
		{"No. before a number", "No. 5 is best. No. I disagree.",
			[]string{"No. 5 is best.", "No.", "I disagree."}},
		{"stacked marks", "Is it? Yes!! Really?!", []string{"Is it?", "Yes!!", "Really?!"}},
		{"lower-case chat", "lol. that was fun", []string{"lol.", "that was fun"}},
		{"surrounding space", "   spaced out.   ", []string{"spaced out."}},
		{"empty", "", nil},
		{"only space", " \n\t ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sentences(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// checkSentences asserts what every split must keep: sentences are
// trimmed, non-empty and verbatim, in order, and only space lies between
// and around them.
func checkSentences(t *testing.T, text string) {
	t.Helper()
	got, spans := Sentences(text), sentenceSpans(text)
	if len(got) != len(spans) {
		t.Fatalf("%d sentences but %d spans for %q", len(got), len(spans), text)
	}
	at := 0
	for i, sp := range spans {
		s := got[i]
		if sp.start < at || sp.end <= sp.start || text[sp.start:sp.end] != s {
			t.Fatalf("sentence %d %q is not the verbatim text at %v after byte %d of %q", i, s, sp, at, text)
		}
		if strings.TrimSpace(s) != s {
			t.Fatalf("sentence %q is untrimmed (text %q)", s, text)
		}
		if gap := text[at:sp.start]; strings.TrimSpace(gap) != "" {
			t.Fatalf("text %q dropped before sentence %q", gap, s)
		}
		at = sp.end
	}
	if strings.TrimSpace(text[at:]) != "" {
		t.Fatalf("text %q dropped at the end of %q", text[at:], text)
	}
}

func FuzzSentences(f *testing.F) {
	for _, s := range []string{"Mr. Smith. U.S. It", "Wait... what?", "Nice :) Yes", "\"Stop!\" he said.",
		"1. a\n2. b", "e.g. x. vs. y", "…", "a  \n\n b", "http://x.y/?a=b. Ok", ":p =D <3", "\xff. A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkSentences(t, text)
	})
}
