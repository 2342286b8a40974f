package commands

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestThreadOutline(t *testing.T) {
	h, _ := testHandler(t, fixture(t))
	resp := run(t, h, "/thread story:1", member)
	wantPublic(t, resp)
	lines := strings.Split(resp.Data.Content, "\n")
	want := []string{
		"**Thread of story 1:** [North Korea denies attacking Sony, offers to help investigate](<https://news.example/sony>) · 10 comments",
		"`#1` **ChrisW** <t:1709294400:R> — Other news agencies",
		"↳ `#2` **alice**",
		"\u2003↳ `#3` **ChrisW**",
		"\u2003\u2003↳ `#5` **alice**",
		"↳ `#4` **sonic989**",
		"↳ `#6` **bob\\_the\\_builder**",
		"\u2003↳ `#8` **sonic989**",
		"`#7` **Mallory** <t:1709298600:R> — @\u200beveryone look at this \\<@&123\\>",
		"`#9` **alice**",
		"↳ `#10` **ChrisW**",
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), resp.Data.Content)
	}
	for n, w := range want {
		if !strings.HasPrefix(lines[n], w) {
			t.Errorf("line %d = %q, want it to start %q", n+1, lines[n], w)
		}
	}
	if len(resp.Data.Components) != 0 {
		t.Errorf("one page, yet buttons: %+v", resp.Data.Components)
	}
	golden(t, "thread", resp)
}

func TestThreadAuthor(t *testing.T) {
	h, _ := testHandler(t, fixture(t))
	c := run(t, h, "/thread story:1 author:sonic989", member).Data.Content
	var idx []string
	for _, m := range regexp.MustCompile("`#(\\d+)`").FindAllStringSubmatch(c, -1) {
		idx = append(idx, m[1])
	}
	// sonic989's comments 4 and 8, what they answered (1 and 6), no replies.
	if got := strings.Join(idx, ","); got != "1,4,6,8" {
		t.Errorf("comments shown %s, want 1,4,6,8:\n%s", got, c)
	}
	if !strings.Contains(c, "**__sonic989__**") || !strings.Contains(c, "4 comments involving **sonic989**") {
		t.Errorf("author not marked:\n%s", c)
	}
	wantEphemeral(t, run(t, h, "/thread story:1 author:nobody", member), `^nobody hasn't commented on story 1; commenters include`)
	wantEphemeral(t, run(t, h, "/thread story:2", member), `^Story 2 has no comments yet\.$`)
}

// Paging through a long thread with the buttons shows every comment once,
// in outline order, each click answered by updating the message.
func TestThreadPagination(t *testing.T) {
	for _, author := range []string{"", "ann"} {
		t.Run("author="+author, func(t *testing.T) {
			h, _ := testHandler(t, fixture(t))
			line := "/thread story:5"
			if author != "" {
				line += " author:" + author
			}
			resp := run(t, h, line, member)
			var seen []string
			for page := 1; ; page++ {
				c := resp.Data.Content
				seen = append(seen, regexp.MustCompile("`#\\d+`").FindAllString(c, -1)...)
				prev, next := buttons(t, resp)
				if prev.Disabled != (page == 1) {
					t.Errorf("page %d: previous disabled = %v", page, prev.Disabled)
				}
				if next.Disabled {
					if !strings.Contains(c, " · page "+strconv.Itoa(page)+" of "+strconv.Itoa(page)) {
						t.Errorf("last page %d header: %q", page, strings.SplitN(c, "\n", 2)[0])
					}
					break
				}
				if page > 10 {
					t.Fatal("more than 10 pages")
				}
				resp = click(t, h, next.CustomID)
				if resp.Type != discordgo.InteractionResponseUpdateMessage {
					t.Fatalf("click answered with type %d, want 7 (update message)", resp.Type)
				}
				// Back and forth gives the same page.
				if back, _ := buttons(t, resp); click(t, h, back.CustomID).Data.Content != c {
					t.Errorf("previous from page %d does not return to it", page+1)
				}
			}
			want := len(outline(bigThread(45)))
			if author == "" && len(seen) != want {
				t.Errorf("paged through %d comments, want %d", len(seen), want)
			}
			dup := map[string]bool{}
			for _, s := range seen {
				if dup[s] {
					t.Errorf("comment %s shown twice", s)
				}
				dup[s] = true
			}
		})
	}
}

func buttons(t *testing.T, resp *discordgo.InteractionResponse) (prev, next discordgo.Button) {
	t.Helper()
	if len(resp.Data.Components) != 1 {
		t.Fatalf("want one row of buttons, got %+v", resp.Data.Components)
	}
	row := resp.Data.Components[0].(discordgo.ActionsRow)
	return row.Components[0].(discordgo.Button), row.Components[1].(discordgo.Button)
}

func click(t *testing.T, h *Handler, customID string) *discordgo.InteractionResponse {
	t.Helper()
	i := &discordgo.Interaction{Type: discordgo.InteractionMessageComponent,
		Data: discordgo.MessageComponentInteractionData{CustomID: customID, ComponentType: discordgo.ButtonComponent}}
	return respond(t, h, i, member)
}

func TestThreadButtons(t *testing.T) {
	h, _ := testHandler(t, fixture(t))
	tests := []struct{ id, want string }{
		{"thread:5:99:", `page \d of \d`},                                 // past the end: the last page
		{"thread:42:1:", `^Story 42 doesn't exist`},                       // deleted since
		{"thread:3:1:", `^Story 3 was removed by the server's admins\.$`}, // deleted since
		{"thread:x:1:", `^That button belongs to an older version`},
		{"quote:1", `^That button belongs to an older version`},
		{"thread:1:0:", `^That button belongs to an older version`},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			resp := click(t, h, tt.id)
			if !regexp.MustCompile(tt.want).MatchString(resp.Data.Content) {
				t.Errorf("click %s: %q, want %q", tt.id, resp.Data.Content, tt.want)
			}
		})
	}
}

func TestThreadIDRoundTrip(t *testing.T) {
	for _, author := range []string{"", "ann", "a:b:c", "名前"} {
		s, p, a, ok := parseThreadID(threadID(7, 3, author))
		if !ok || s != 7 || p != 3 || a != author {
			t.Errorf("round trip of %q: %d %d %q %v", author, s, p, a, ok)
		}
	}
}
