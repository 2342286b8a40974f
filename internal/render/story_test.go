package render

import (
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// TestStoryEmbedOneUpdateMarker: an updated card says so once — with the
// site's marker when the headline has one, with its own otherwise.
func TestStoryEmbedOneUpdateMarker(t *testing.T) {
	tests := []struct {
		title   string
		updated bool
		want    string
	}{
		{"North Korea denies attacking Sony (updated)", true, "North Korea denies attacking Sony (updated)"},
		{"North Korea denies attacking Sony (Updated)", true, "North Korea denies attacking Sony (Updated)"},
		{"North Korea denies attacking Sony [Update 2: FBI responds]", true, "North Korea denies attacking Sony \\[Update 2: FBI responds\\]"},
		{"UPDATED: Council approves footbridge", true, "UPDATED: Council approves footbridge"},
		{"Update 2 — Council approves footbridge", true, "Update 2 — Council approves footbridge"},
		{"Council approves footbridge - updated", true, "Council approves footbridge - updated"},
		{"North Korea denies attacking Sony", true, "Updated: North Korea denies attacking Sony"},
		{"Updates to the bus timetable start Monday", true, "Updated: Updates to the bus timetable start Monday"},
		{"Why the updated timetable still fails", true, "Updated: Why the updated timetable still fails"},
		{"North Korea denies attacking Sony (updated)", false, "North Korea denies attacking Sony (updated)"},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			e, err := StoryEmbed(news.Story{ID: 1, Title: tt.title, Revision: 2}, Post{}, tt.updated)
			if err != nil {
				t.Fatal(err)
			}
			if e.Title != tt.want {
				t.Errorf("title %q, want %q", e.Title, tt.want)
			}
		})
	}
}

// TestUpdateReplyOneUpdateMarker: the reply under an updated story does
// not add "Updated:" to a headline that already says it.
func TestUpdateReplyOneUpdateMarker(t *testing.T) {
	for title, want := range map[string]string{
		"Sony ships 4.1 million Move controllers (updated)": "**Sony ships 4.1 million Move controllers (updated)**",
		"Sony ships 4.1 million Move controllers":           "**Updated:** Sony ships 4.1 million Move controllers",
	} {
		got := UpdateReply(news.Story{ID: 1, Title: title}, news.Revision{Number: 2, Title: title}).Content
		if !strings.HasPrefix(got, want) || strings.Count(strings.ToLower(got), "updated") != 1 {
			t.Errorf("reply %q, want it to open %q with one marker", got, want)
		}
	}
}
