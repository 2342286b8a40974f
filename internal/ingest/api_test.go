package ingest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feedserver"
)

// A feed's comments.api_url points either Hacker News API at a mirror -
// here the test site - and the thread arrives from it.
func TestHackerNewsAPIAtAMirror(t *testing.T) {
	for _, api := range []config.CommentAPI{config.APIFirebase, config.APIAlgolia} {
		t.Run(string(api), func(t *testing.T) {
			r := newRig(t)
			it := item(1)
			it.Comments = "https://news.ycombinator.com/item?id=100"
			r.site.Set("/world.xml", it)
			r.site.SetHNThread("/mirror", feedserver.HNItem{ID: 100, By: "pg", Time: t0, Title: it.Title, Kids: []feedserver.HNItem{
				{ID: 101, By: "alice", Time: t0.Add(time.Minute), Text: "From the mirror.", Kids: []feedserver.HNItem{
					{ID: 103, By: "carol", Time: t0.Add(3 * time.Minute), Text: "A reply."}}},
				{ID: 102, By: "bob", Time: t0.Add(2 * time.Minute), Text: "Second."},
			}})
			f := commentFeed(r, "hackernews")
			f.Comments.APIURL, f.Comments.API = r.url+"/mirror", api
			before := len(r.site.Requests())
			r.poll(f)
			var got []string
			for _, c := range storyComments(t, r.db) {
				got = append(got, fmt.Sprintf("%s>%d", c.Author, c.ReplyTo))
			}
			if strings.Join(got, " ") != "alice>0 carol>1 bob>0" {
				t.Errorf("thread = %v", got)
			}
			var apiCalls int
			for _, req := range r.site.Requests()[before:] {
				if strings.HasPrefix(req.Path, "/mirror/") {
					apiCalls++
				}
			}
			if want := map[config.CommentAPI]int{config.APIFirebase: 4, config.APIAlgolia: 1}[api]; apiCalls != want {
				t.Errorf("%d requests to the API, want %d", apiCalls, want)
			}
		})
	}
}
