package summarize

import (
	"strings"
	"testing"
)

func TestReadStance(t *testing.T) {
	halvard := "14 million for a footbridge is a lot. The road bridge is right there. I'd rather see the buses run on time."
	sunny := "\"14 million for a footbridge is a lot\"\n\nTwo thirds of it comes from the national cycling fund and can't be spent on buses anyway. The city is paying under 5 million."
	tests := []struct {
		name, parent, reply string
		disputes            bool
		claim               string // a word of the sentence the stance rests on
	}{
		{"a contradiction without a cue word", halvard, sunny, true, "can't"},
		{"a concession that keeps its point", sunny, "Fair point on the fund, I hadn't read that far. Still think the buses matter more.", true, "Still"},
		{"thanks with an aside", "It's not either/or. The bridge takes cars off Station Road at school time, which is exactly what makes the buses late.",
			"@ marta thanks, that makes sense. Resurfacing is overdue too though.", false, ""},
		{"a cue word that agrees", "The lanes made the street safer.", "No, you're right, the lanes made it safer.", false, ""},
		{"an answer to a question", "Seven to two is not exactly unanimous. Who voted against, and why?",
			"@bob77 the two members from the east ward. They wanted the money spent on resurfacing Station Road first.", false, ""},
		{"another number for the same thing", "The bridge costs 14 million.", "The city pays 5 million of it, the fund the rest.", true, "5"},
		{"the opposite word", "The lanes made the street safe for children.", "The lanes made the street dangerous for children crossing.", true, "dangerous"},
		{"doubt on the subject", "Protected lanes worked well in Portland and Minneapolis.",
			"Portland also has more rain than riders, so I doubt those numbers transfer to Main Street.", true, "doubt"},
		{"a pushback opener", "The plan is fine.", "No, this is a waste of money.", true, "waste"},
		{"unrelated chat", "The plan is fine.", "I went to the market today.", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, claim := readStance(tt.parent, tt.reply)
			if st.disputes() != tt.disputes {
				t.Errorf("readStance score %.1f (disputes %v), want disputes %v", st.score, st.disputes(), tt.disputes)
			}
			if tt.claim != "" && !strings.Contains(claim, tt.claim) {
				t.Errorf("claim %q, want the sentence with %q", claim, tt.claim)
			}
		})
	}
}

// TestFootbridgeDigest is the playground's /summarize: at most four
// points, none thanks or agreement or shorter than a clause, and the
// argument between Halvard and Sunny_D, found without a cue word and
// across the reply link the page leaves out.
func TestFootbridgeDigest(t *testing.T) {
	th := footbridge()
	d := NewDigest(th, Standard)
	if len(d.Points) == 0 || len(d.Points) > 4 {
		t.Errorf("%d points, want 1 to 4: %+v", len(d.Points), d.Points)
	}
	checkPoints(t, th, d.Points, Standard.Words())
	for _, p := range d.Points {
		if acknowledges(p.Text) || wordCount(p.Text) < shortClauseWords {
			t.Errorf("point %q thanks, agrees or is no clause", p.Text)
		}
		for _, bad := range []string{"thanks", "either/or", "Fair point"} {
			if strings.Contains(p.Text, bad) {
				t.Errorf("point %q offered as a main point", p.Text)
			}
		}
	}
	if len(d.Disagreements) == 0 {
		t.Fatal("no disagreement found")
	}
	e := d.Disagreements[0]
	if e.People != [2]string{"Halvard", "Sunny_D"} || len(e.Turns) != 3 {
		t.Errorf("first disagreement %v with %d turns, want Halvard vs Sunny_D over 3 turns: %+v", e.People, len(e.Turns), e)
	}
	checkPoints(t, th, e.Turns, 1000)
	for _, x := range d.Disagreements {
		if x.People[0] == "marta_k" && x.People[1] == "bob77" || x.People[0] == "bob77" && x.People[1] == "marta_k" {
			t.Errorf("a question, its answer and thanks taken for a disagreement: %+v", x)
		}
	}
}
