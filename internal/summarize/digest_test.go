package summarize

import (
	"reflect"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

func TestDigestStats(t *testing.T) {
	d := NewDigest(bikeLanes(), Standard)
	if d.Comments != 12 || d.People != 7 {
		t.Errorf("Comments, People = %d, %d; want 12, 7", d.Comments, d.People)
	}
	if !d.First.Equal(fixtureStart) || !d.Last.Equal(fixtureStart.Add(95*time.Minute)) {
		t.Errorf("ran %v → %v, want %v → +95m", d.First, d.Last, fixtureStart)
	}
	// alice and bob both wrote three comments; alice wrote more words.
	want := []Participant{{"alice", 3, 64}, {"bob", 3, 54}, {"carol", 2, 37}, {"erin", 1, 19}, {"dave", 1, 15}}
	if !reflect.DeepEqual(d.Active, want) {
		t.Errorf("Active = %+v\nwant %+v", d.Active, want)
	}
	if d.MostReplied == nil || d.MostReplied.Index != 1 || d.MostReplied.Author != "alice" || d.Replies != 3 {
		t.Errorf("MostReplied = %+v with %d replies, want alice's comment 1 with 3", d.MostReplied, d.Replies)
	}
	checkPoints(t, bikeLanes(), d.Points, Standard.Words())
}

func TestDigestDisagreements(t *testing.T) {
	d := NewDigest(bikeLanes(), Standard)
	type turn struct {
		author string
		index  int
	}
	tests := []struct {
		people [2]string
		cue    string
		turns  []turn
	}{
		{[2]string{"alice", "bob"}, "no", []turn{{"alice", 1}, {"bob", 2}, {"alice", 3}, {"bob", 4}}},
		{[2]string{"bob", "carol"}, "what are you talking about", []turn{{"bob", 2}, {"carol", 8}}},
		// No cue word, but bob doubts what frank's numbers show.
		{[2]string{"frank", "bob"}, "", []turn{{"frank", 9}, {"bob", 12}}},
	}
	if len(d.Disagreements) != len(tests) {
		t.Fatalf("%d disagreements, want %d: %+v", len(d.Disagreements), len(tests), d.Disagreements)
	}
	for i, tt := range tests {
		e := d.Disagreements[i]
		if e.People != tt.people || e.Cue != tt.cue {
			t.Errorf("disagreement %d: people %v cue %q, want %v %q", i, e.People, e.Cue, tt.people, tt.cue)
		}
		var got []turn
		for _, p := range e.Turns {
			got = append(got, turn{p.Author, p.Index})
			if n := wordCount(p.Text); n > turnWords {
				t.Errorf("turn %d has %d words, more than %d", p.Index, n, turnWords)
			}
		}
		if !reflect.DeepEqual(got, tt.turns) {
			t.Errorf("disagreement %d turns %v, want %v", i, got, tt.turns)
		}
		checkPoints(t, bikeLanes(), e.Turns, 1000)
	}
	if n := len(NewDigest(bikeLanes(), Short).Disagreements); n != 1 {
		t.Errorf("short digest shows %d disagreements, want 1", n)
	}
}

func TestPushbackCue(t *testing.T) {
	tests := []struct{ body, want string }{
		{"No, that's not how it works.", "no"},
		{"Nope.", "nope"},
		{"But the study was paid for.", "but"},
		{"Actually it was 2019.", "actually"},
		{"> you said it was fine\nWrong, it broke twice.", "wrong"},
		{"Honestly I disagree with all of this.", "i disagree"},
		{"What are you talking about? It's fine.", "what are you talking about"},
		{"Did you even read the article?", "?"},
		{"Thats wrong and you’re wrong too", "you're wrong"},
		{"Great point, thanks.", ""},
		{"Nobody expected that.", ""}, // "no" only as a whole word
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			if got := pushbackCue(tt.body); got != tt.want {
				t.Errorf("pushbackCue(%q) = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}

func TestDigestSurvivesHostileReplyLinks(t *testing.T) {
	th := Thread{Comments: []news.Comment{
		{Index: 1, Author: "a", Body: "First point here, clearly made.", ReplyTo: 2}, // points forward
		{Index: 2, Author: "b", Body: "No, wrong entirely, I think.", ReplyTo: 1},
		{Index: 3, Author: "a", Body: "Actually I was right about it.", ReplyTo: 3}, // itself
		{Index: 3, Author: "c", Body: "Duplicate index, odd but possible.", ReplyTo: 99},
		{Index: 5, Author: "", Body: "Anonymous aside with no name.", ReplyTo: 2, Deleted: true},
	}}
	d := NewDigest(th, Detailed)
	if d.People != 3 || d.Comments != 5 {
		t.Errorf("People, Comments = %d, %d; want 3, 5", d.People, d.Comments)
	}
	if len(d.Disagreements) != 1 || d.Disagreements[0].Cue != "no" {
		t.Errorf("Disagreements = %+v, want the one pushback of b on a", d.Disagreements)
	}
	for _, p := range d.Points {
		if p.Index == 5 {
			t.Errorf("a deleted comment was quoted: %q", p.Text)
		}
	}
	if !d.First.IsZero() || !d.Last.IsZero() {
		t.Errorf("times %v → %v, want zero when comments have none", d.First, d.Last)
	}
}
