package summarize

import (
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// TestLeadIn: an extract starts after the filler that opens a sentence
// with the writer's stance — "I think", "Honestly,", "IMO" — and only
// there, only when a clause follows, and never inside the sentence.
func TestLeadIn(t *testing.T) {
	tests := []struct{ name, sentence, want string }{
		{"opinion", "I think the council should fund the lanes.", "the council should fund the lanes."},
		{"opinion with that", "I think that the fund is broke.", "the fund is broke."},
		{"that is the subject's", "I think that game is overrated.", "that game is overrated."},
		{"lower-case i", "i think the lanes work fine", "the lanes work fine"},
		{"set off by a comma", "Honestly, you're not going to be motivated every day.", "you're not going to be motivated every day."},
		{"abbreviation", "IMO the bus lanes work better than paint.", "the bus lanes work better than paint."},
		{"phrase", "To be fair, the report came out late.", "the report came out late."},
		{"curly apostrophe", "I’d argue that the plan saves money.", "the plan saves money."},
		{"filler then lead-in", "Well, I think the lanes are fine.", "the lanes are fine."},
		{"address then lead-in", "@bob77 tbh the east ward voted for it.", "the east ward voted for it."},

		{"only filler", "I think so.", "I think so."},
		{"only filler, comma", "Honestly, no.", "Honestly, no."},
		{"bare", "IMO.", "IMO."},
		{"the verb goes on", "I think about it every day.", "I think about it every day."},
		{"believe in", "I believe in the plan, mostly.", "I believe in the plan, mostly."},
		{"adverb as subject", "Honestly is the best policy here.", "Honestly is the best policy here."},
		{"not the whole word", "Imogen thinks the lanes work.", "Imogen thinks the lanes work."},
		{"hyphenated", "Actually-existing lanes are better than plans.", "Actually-existing lanes are better than plans."},
		{"frankly speaking", "Frankly speaking, the plan failed.", "Frankly speaking, the plan failed."},
		{"inside the sentence", "The council, I think, should fund it.", "The council, I think, should fund it."},
		{"negated", "I don't think the lanes work.", "I don't think the lanes work."},
		{"agreement stays", "I agree that the lanes work better.", "I agree that the lanes work better."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.sentence[lead(tt.sentence):]; got != tt.want {
				t.Errorf("lead of %q leaves %q, want %q", tt.sentence, got, tt.want)
			}
		})
	}
}

// TestExtractDropsLeadIns: a point quotes the claim after its lead-in,
// word for word, with an ellipsis where the lead-in was.
func TestExtractDropsLeadIns(t *testing.T) {
	c := fixtureComment
	th := Thread{
		Title: "Council adds protected bike lanes on Main Street",
		Comments: []news.Comment{
			c(1, "alice", 0, 0, "Honestly, the protected lanes cut my commute on Main Street by ten minutes."),
			c(2, "bob", 0, 5, "I think that the parking spaces on Main Street matter more to the shops, lol."),
			c(3, "carol", 0, 9, "The painted lanes on Main Street were ignored by delivery trucks."),
		},
	}
	want := map[string]string{
		"alice": "…the protected lanes cut my commute on Main Street by ten minutes.",
		"bob":   "…the parking spaces on Main Street matter more to the shops, lol.",
		"carol": "The painted lanes on Main Street were ignored by delivery trucks.",
	}
	points := Extract(th, 90)
	checkPoints(t, th, points, 90)
	for _, p := range points {
		if p.Text != want[p.Author] {
			t.Errorf("%s's point is %q, want %q", p.Author, p.Text, want[p.Author])
		}
		delete(want, p.Author)
	}
	if len(want) > 0 {
		t.Errorf("no point from %v", want)
	}
	if text := Text(points, 90); strings.Contains(text, "Honestly") || strings.Contains(text, "I think") {
		t.Errorf("summary keeps a lead-in: %q", text)
	}
}
