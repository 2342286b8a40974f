package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// The playground's talk feed reads its threads with source: hackernews
// from the example site's own HN-shaped API, and /quote answers from them.
func TestPlaygroundHackerNewsThreads(t *testing.T) {
	ctx := context.Background()
	pg, _, errOut := testPlayground(t, "")
	f, _ := pg.app.feed("talk")
	if f.Comments.Source != "hackernews" || !strings.HasPrefix(f.Comments.APIURL, pg.siteURL+"/hn") {
		t.Fatalf("talk feed comments: %+v (site %s)", f.Comments, pg.siteURL)
	}
	// Its schedule is every 10 s: poll it now rather than wait.
	if _, err := pg.app.sched.PollNow(ctx, "talk"); err != nil {
		t.Fatal(err)
	}
	var ferry int64
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(30 * time.Second)
	for ferry == 0 {
		stories, _ := pg.app.db.LatestStories(ctx, "talk", 5)
		for _, s := range stories {
			if strings.Contains(s.Title, "ferry landing") && s.CommentCount == 5 {
				ferry = s.ID
			}
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("the ferry thread did not arrive from the site's HN API within 30 s\nlog:\n%s", errOut.String())
		}
	}
	cs, _ := pg.app.db.Comments(ctx, ferry)
	if cs[1].Author != "harbour_pete" || cs[1].ReplyTo != 1 || cs[2].ReplyTo != 2 {
		t.Errorf("thread structure: %+v", cs[:3])
	}
	if h, _ := pg.app.db.CommentHealth(ctx, "talk"); h.Failing() || h.LastSuccess.IsZero() {
		t.Errorf("talk's comment source health: %+v", h)
	}
}

// testPlayground starts the playground with the example config on free
// ports (metrics on metricsAddr, "" for none); it stops with the test.
func testPlayground(t *testing.T, metricsAddr string) (pg *playground, out, errOut *syncBuffer) {
	t.Helper()
	out, errOut = &syncBuffer{}, &syncBuffer{}
	env := &cmdEnv{stdout: out, stderr: errOut, getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	pg, err := startPlayground(ctx, env, playgroundFlags{
		config: "../../config.example.yaml", discord: "127.0.0.1:0", site: "127.0.0.1:0", metrics: metricsAddr, quiet: true,
	})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); pg.stop() })
	return pg, out, errOut
}
