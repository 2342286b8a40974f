package summarize

import (
	"fmt"
	"strings"
	"testing"
)

func TestClassOf(t *testing.T) {
	tests := []struct {
		word string
		want wordClass
	}{
		{"the", connective}, {"that", connective}, {"They", reporting}, {"some", reporting},
		{"because", functionWord}, {"x", functionWord}, {"I", chatWord}, {"lol", chatWord},
		{"parking", contentWord}, {"note", contentWord}, {"come", contentWord},
	}
	for _, tt := range tests {
		if got := classOf(porterStem(strings.ToLower(tt.word))); got != tt.want {
			t.Errorf("classOf(%q) = %d, want %d", tt.word, got, tt.want)
		}
	}
}

// TestWordProbs checks the ordering a reader would expect of what a
// summary of the bike-lane thread repeats.
func TestWordProbs(t *testing.T) {
	c := newCorpus(bikeLanes())
	p := c.wordProbs(defaults.words)
	prob := func(w string) float64 {
		id, ok := c.words.ids[porterStem(strings.ToLower(w))]
		if !ok {
			t.Fatalf("%q not in the thread", w)
		}
		return p[id]
	}
	more := [][2]string{
		{"lanes", "delivery"}, // many comments against one
		{"parking", "trucks"}, // the opening post and title use parking
		{"the", "lanes"},      // a summary nearly always says "the"
		{"lanes", "I"},        // and seldom "I"
		{"that", "lol"},
	}
	for _, m := range more {
		if prob(m[0]) <= prob(m[1]) {
			t.Errorf("P(%q) = %.3f, not above P(%q) = %.3f", m[0], prob(m[0]), m[1], prob(m[1]))
		}
	}
	for id, v := range p {
		if v < 0 || v > 1 {
			t.Fatalf("word %d has probability %v", id, v)
		}
	}
}

// TestExtractFillsTheBudget: a reader asking for N words gets close to N
// when the thread has them; only a cut shorter than minTrim is left out.
func TestExtractFillsTheBudget(t *testing.T) {
	th := bikeLanes()
	for _, words := range []int{5, 12, 25, 40, 90, 150} {
		t.Run(fmt.Sprint(words), func(t *testing.T) {
			got := wordCount(Text(Extract(th, words), words))
			if got > words || got < words-defaults.minTrim+1 {
				t.Errorf("summary of %d words for a budget of %d", got, words)
			}
		})
	}
}
