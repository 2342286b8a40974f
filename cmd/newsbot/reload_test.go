package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
)

const techFeed = `  - id: tech
    url: SITE/tech.xml
    channels: ["100000000000000002"]
    schedule: "@every 1s"
    backfill: 2
`

// TestReloadOnSIGHUP: a feed added to the file is polled without a
// restart; a broken file is refused with the error logged, and the feeds
// already running keep running.
func TestReloadOnSIGHUP(t *testing.T) {
	w := newWorld(t, emulator.Options{})
	w.site.Set("/world.xml", item(1))
	w.site.Set("/tech.xml", item(12), item(11), item(10))
	path := w.writeConfig(`  - id: world
    url: SITE/world.xml
    channels: ["100000000000000001"]
    schedule: "@every 1s"
    backfill: 5
`)
	since := stampOf(path)
	a := w.start(appOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hup := make(chan os.Signal, 1)
	go a.watchConfig(ctx, path, since, hup, time.Hour)
	w.waitFor("the world feed's post", func() bool { return w.messages(newsChannel) == 1 })

	w.writeConfig(`  - id: world
    url: SITE/world.xml
    channels: ["100000000000000001"]
    schedule: "@every 1s"
    backfill: 5
` + techFeed)
	hup <- syscall.SIGHUP
	w.waitFor("the new feed's backfill", func() bool { return w.messages(techChannel) == 2 })
	if got := strings.Join(w.cards(techChannel), "|"); got != "Story number 11|Story number 12" {
		t.Errorf("new feed posted %q", got)
	}

	if err := os.WriteFile(path, []byte("feeds:\n  - id: [broken\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hup <- syscall.SIGHUP
	w.waitFor("the reload error in the log", func() bool {
		return strings.Contains(w.logs.String(), "config not reloaded") && strings.Contains(w.logs.String(), filepath.Base(path))
	})
	if _, ok := a.feed("tech"); !ok {
		t.Fatal("the broken file replaced the running config")
	}
	w.site.Set("/world.xml", item(2), item(1))
	w.site.Set("/tech.xml", item(13), item(12), item(11), item(10))
	w.waitFor("both old feeds still polling on schedule", func() bool {
		return w.messages(newsChannel) == 2 && w.messages(techChannel) == 3
	})
}

// TestFeedFailureNotices: five failures in a row give one notice, not five,
// and recovery gives one more.
func TestFeedFailureNotices(t *testing.T) {
	w := newWorld(t, emulator.Options{})
	w.site.Set("/world.xml", item(1))
	w.writeConfig(`  - id: world
    url: SITE/world.xml
    channels: ["100000000000000001"]
    schedule: "@every 1h"
    backfill: 0
`)
	w.start(appOptions{})
	w.pollNow("world")
	w.site.Fail("/world.xml", 503)
	failures := 0
	w.waitFor("eight failed polls", func() bool {
		if res, err := w.app.sched.PollNow(context.Background(), "world"); err != nil && !res.Skipped {
			failures++
		}
		return failures == 8
	})
	w.waitFor("the failure notice", func() bool { return w.messages(newsChannel) == 1 })
	notice := w.emu.Messages(newsChannel)[0].Content
	for _, want := range []string{"**world**", "failed 5 times", "503"} {
		if !strings.Contains(notice, want) {
			t.Errorf("notice lacks %q:\n%s", want, notice)
		}
	}
	w.site.Fail("/world.xml", 0)
	w.waitFor("a successful poll", func() bool {
		res, err := w.app.sched.PollNow(context.Background(), "world")
		return err == nil && !res.Skipped
	})
	w.waitFor("the recovery notice", func() bool { return w.messages(newsChannel) == 2 })
	if got := w.emu.Messages(newsChannel)[1].Content; !strings.Contains(got, "works again") {
		t.Errorf("recovery notice = %q", got)
	}
	for i := 0; i < 3; i++ {
		w.pollNow("world")
	}
	if n := w.messages(newsChannel); n != 2 {
		t.Errorf("%d messages; want exactly one failure and one recovery notice", n)
	}
}

// TestReloadWhenTheFileChanges: editing the file is enough; no signal.
func TestReloadWhenTheFileChanges(t *testing.T) {
	w := newWorld(t, emulator.Options{})
	w.site.Set("/tech.xml", item(11), item(10))
	path := w.writeConfig("  []\n")
	since := stampOf(path)
	a := w.start(appOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go a.watchConfig(ctx, path, since, nil, 20*time.Millisecond)
	w.writeConfig(techFeed)
	w.waitFor("the added feed's posts", func() bool { return w.messages(techChannel) == 2 })
}
