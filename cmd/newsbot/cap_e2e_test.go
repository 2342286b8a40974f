package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/feedserver"
)

// TestNewItemCapEndToEnd is issue 11's cap on new items per poll, through
// the emulator: a feed that suddenly lists dozens of new items posts only
// its newest max_new_per_poll, the channel reads one notice that says so,
// a later real item still posts, and another feed keeps posting throughout.
func TestNewItemCapEndToEnd(t *testing.T) {
	w := newWorld(t, emulator.Options{})
	calm := func(n int) feedserver.Item {
		it := item(n, fmt.Sprintf("The harbour office posted timetable change %d for the winter ferries.", n))
		it.GUID, it.Link = fmt.Sprintf("calm-%d", n), fmt.Sprintf("https://calm.example/%d", n)
		return it
	}
	w.site.Set("/flood.xml", item(2), item(1))
	w.site.Set("/calm.xml", calm(101))
	w.writeConfig(`  - id: flood
    name: Flood Wire
    url: SITE/flood.xml
    channels: ["100000000000000001"]
    schedule: "@every 1h"
    backfill: 0
    max_new_per_poll: 3
  - id: calm
    url: SITE/calm.xml
    channels: ["100000000000000002"]
    schedule: "@every 1h"
    backfill: 0
`)
	w.start(appOptions{})
	w.pollNow("flood")
	w.pollNow("calm")

	var flood []feedserver.Item
	for n := 40; n >= 1; n-- {
		flood = append(flood, item(n))
	}
	w.site.Set("/flood.xml", flood...)
	w.site.Set("/calm.xml", calm(102), calm(101))
	if res := w.pollNow("flood"); res.New != 3 || res.Capped != 35 {
		t.Errorf("flooded poll: %+v, want 3 new and 35 capped", res)
	}
	w.pollNow("calm")
	w.waitFor("the notice, three posts and the other feed's post", func() bool {
		return w.messages(newsChannel) == 4 && w.messages(techChannel) == 1 && len(w.pending()) == 0
	})
	msgs := w.emu.Messages(newsChannel)
	t.Logf("#news reads, first:\n%s", msgs[0].Content)
	want := fmt.Sprintf("⚠️ Feed **Flood Wire** (<%s/flood.xml>) listed 38 new items in one poll (", w.siteURL)
	if notice := msgs[0].Content; !strings.HasPrefix(notice, want) ||
		!strings.Contains(notice, "newsbot took the newest 3 and skipped the other 35, which will not be posted") ||
		!strings.Contains(notice, "raise `max_new_per_poll` for it") {
		t.Errorf("the channel reads\n%s\nwant it to start %q and say what was skipped and what to change", notice, want)
	}
	if got, want := w.cards(newsChannel), []string{"Story number 38", "Story number 39", "Story number 40"}; !slices.Equal(got, want) {
		t.Errorf("#news cards = %q, want the newest three, oldest first: %q", got, want)
	}
	if got := w.cards(techChannel); !slices.Equal(got, []string{"Story number 102"}) {
		t.Errorf("the other feed posted %q, want its new story", got)
	}

	// One real new item on top of the flood: it alone posts, with no
	// second notice and none of the skipped items.
	w.site.Set("/flood.xml", append([]feedserver.Item{item(41)}, flood...)...)
	w.pollNow("flood")
	w.waitFor("story 41", func() bool { return w.messages(newsChannel) == 5 && len(w.pending()) == 0 })
	if got := w.cards(newsChannel); got[len(got)-1] != "Story number 41" || len(got) != 4 {
		t.Errorf("#news cards after one more item = %q", got)
	}

	// The admin's log says it once too, naming the feed and the counts.
	var warned []string
	for _, line := range strings.Split(w.logs.String(), "\n") {
		if strings.Contains(line, "level=WARN") && strings.Contains(line, "max_new_per_poll") {
			warned = append(warned, line)
		}
	}
	if len(warned) != 1 || !strings.Contains(warned[0], "feed=flood new=38 kept=3 skipped=35") {
		t.Errorf("log warns about the cap in %d lines, want one naming feed=flood new=38 kept=3 skipped=35:\n%s",
			len(warned), strings.Join(warned, "\n"))
	}
}
