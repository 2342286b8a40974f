package commands

import (
	"strings"
	"testing"
)

func TestStoryShow(t *testing.T) {
	h, _ := testHandler(t, fixture(t))
	h.Feeds = &fakeFeeds{status: []FeedStatus{exampleStatus()}}
	resp := run(t, h, "/story show story:2", member)
	wantPublic(t, resp)
	e := resp.Data.Embeds[0]
	// One marker: the site's "(updated)", not "Updated: … (updated)".
	if e.Title != "Bridge reopens after storm (updated)" || e.Color != 0xF59E0B || e.Author.Name != "Example News" {
		t.Errorf("card title %q, colour %x, author %q: want the updated card, marked once, under the feed's name",
			e.Title, e.Color, e.Author.Name)
	}
	hist := field(resp, "Revision history")
	for _, want := range []string{
		"**1** · <t:1709294460:f> · first seen",
		"**2** · <t:1709294520:f> · +1 paragraph",
		"**3** · <t:1709294580:f> · new title, +1 paragraph, −1 paragraph",
	} {
		if !strings.Contains(hist, want) {
			t.Errorf("history lacks %q:\n%s", want, hist)
		}
	}
	golden(t, "story_show", resp)
}

func TestStoryChanges(t *testing.T) {
	h, _ := testHandler(t, fixture(t))
	resp := run(t, h, "/story changes story:2", member)
	wantPublic(t, resp)
	fs := resp.Data.Embeds[0].Fields
	if len(fs) != 2 || fs[0].Name != "Revision 3 · from news.example" || fs[1].Name != "Revision 2 · from news.example" {
		t.Fatalf("fields %+v, want revisions 3 then 2", fs)
	}
	for _, want := range []string{
		"**Title:** ~~Bridge closed after storm~~ → Bridge reopens after storm (updated)",
		"**Added**\n> The river bridge reopened on Wednesday after repairs.",
		"**Removed**\n> The river bridge closed on Monday after storm damage.",
	} {
		if !strings.Contains(fs[0].Value, want) {
			t.Errorf("revision 3 lacks %q:\n%s", want, fs[0].Value)
		}
	}
	golden(t, "story_changes", resp)

	one := run(t, h, "/story changes story:2 revision:2", member)
	if d := one.Data.Embeds[0].Description; !strings.HasPrefix(d, "Revision 2 · from news.example\nSeen <t:") ||
		!strings.Contains(d, "**Added**\n> Engineers will inspect it on Tuesday.") {
		t.Errorf("revision 2 alone: %q", d)
	}
}

func TestStoryErrors(t *testing.T) {
	h, _ := testHandler(t, fixture(t))
	tests := []struct{ line, want string }{
		{"/story show story:42", `^Story 42 doesn't exist — try /news search or the story autocomplete\.$`},
		{"/story changes story:3", `^Story 3 was removed by the server's admins\.$`},
		{"/story changes story:2 revision:9", `^Story 2 has revisions 1 to 3; changes start at revision 2\.$`},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			wantEphemeral(t, run(t, h, tt.line, member), tt.want)
		})
	}
	resp := run(t, h, "/story changes story:1", member)
	wantPublic(t, resp)
	if !strings.HasPrefix(resp.Data.Content, "Story 1 hasn't changed since it was first seen <t:1709294400:R>") {
		t.Errorf("unchanged story: %q", resp.Data.Content)
	}
}
