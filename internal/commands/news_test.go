package commands

import (
	"strings"
	"testing"
)

func TestNews(t *testing.T) {
	h, _ := testHandler(t, fixture(t))
	tests := []struct {
		line  string
		lines []string // the lines of the answer, by prefix
	}{
		{"/news latest", []string{
			"**Latest stories**",
			"`#5` Election night live · 45 comments · <t:1709294760:R>",
			"`#4` Council publishes budget · 1 comment · <t:",
			"`#2` [Bridge reopens after storm (updated)](<https://news.example/bridge>) · 0 comments · <t:1709294460:R>",
			"`#1` [North Korea denies attacking Sony, offers to help investigate](<https://news.example/sony>) · 10 comments",
		}},
		{"/news latest count:1", []string{"**Latest stories**", "`#5` "}},
		{"/news latest feed:example count:2", []string{"**Latest stories from example**", "`#5` ", "`#4` "}},
		{"/news search query:north korea", []string{"**Stories matching “north korea”**", "`#1` [North Korea denies"}},
		{"/news search query:engineers inspect", []string{"**Stories matching “engineers inspect”**", "`#2` [Bridge reopens"}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			resp := run(t, h, tt.line, member)
			wantPublic(t, resp)
			got := strings.Split(resp.Data.Content, "\n")
			if len(got) != len(tt.lines) {
				t.Fatalf("%d lines, want %d:\n%s", len(got), len(tt.lines), resp.Data.Content)
			}
			for n, want := range tt.lines {
				if !strings.HasPrefix(got[n], want) {
					t.Errorf("line %d = %q, want it to start %q", n+1, got[n], want)
				}
			}
		})
	}
	golden(t, "news_latest", run(t, h, "/news latest", member))
}

func TestNewsErrors(t *testing.T) {
	db := fixture(t)
	h, _ := testHandler(t, db)
	h.Feeds = &fakeFeeds{status: []FeedStatus{exampleStatus()}}
	tests := []struct{ line, want string }{
		{"/news search query:spaceships", `^No story's title or text holds every word of “spaceships”\.$`},
		{"/news search query:***", `^No story's title or text holds every word of “\\\*\\\*\\\*”\.$`},
		{"/news latest feed:nope", `^There is no feed “nope”\. Feeds: example\.$`},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			wantEphemeral(t, run(t, h, tt.line, member), tt.want)
		})
	}
	empty, _ := testHandler(t, emptyStore(t))
	wantEphemeral(t, run(t, empty, "/news latest", member), `^No stories yet`)
}
