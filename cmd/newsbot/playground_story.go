package main

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/newsbot-dev/newsbot/internal/feedserver"
)

// storyline makes the example site behave like a news site while the
// playground runs: a story is updated, another is published.
func (pg *playground) storyline(ctx context.Context) {
	steps := []struct {
		after time.Duration
		what  string
		do    func()
	}{
		{40 * time.Second, "the heatwave story gains an update", pg.updateHeatwave},
		{70 * time.Second, "a new story appears in the tech feed", pg.publishTech},
	}
	start := time.Now()
	for _, s := range steps {
		t := time.NewTimer(time.Until(start.Add(s.after)))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		fmt.Fprintf(pg.out, "(example site: %s)\n", s.what)
		s.do()
	}
}

const heatwaveUpdate = "Update: The warning was raised to red for Saturday, when 40C is now expected in the valley. Schools will close at noon on Friday."

func (pg *playground) updateHeatwave() {
	items := pg.site.Items("/world.xml")
	for i, it := range items {
		if it.GUID == "example-heatwave" {
			items[i].Paragraphs = append(append([]string(nil), it.Paragraphs...), heatwaveUpdate)
		}
	}
	pg.site.Set("/world.xml", items...)
	if body, err := examples.ReadFile("examples/heatwave.txt"); err == nil {
		// The page gets the update too, before its comment thread.
		i := bytes.Index(body, []byte("\ngardener59"))
		if i > 0 {
			updated := append(append(append([]byte{}, body[:i]...), "\n"+heatwaveUpdate+"\n"...), body[i:]...)
			pg.site.SetPage("/story/heatwave", "text/plain; charset=utf-8", updated)
		}
	}
}

func (pg *playground) publishTech() {
	items := pg.site.Items("/tech.xml")
	fresh := feedserver.Item{
		GUID: "example-tech-4", Title: "Phone maker promises seven years of software updates",
		Link: pg.siteURL + "/tech/updates", Published: time.Now().Truncate(time.Minute),
		Paragraphs: []string{
			"A major phone maker said on Wednesday that its new models will get security and system updates for seven years, matching the longest promise in the industry.",
			"Repair campaigners welcomed the move but said spare parts and batteries mattered as much as software.",
		},
	}
	pg.site.Set("/tech.xml", append([]feedserver.Item{fresh}, items...)...)
}

func techItems(base string, published time.Time) []feedserver.Item {
	return []feedserver.Item{
		{
			GUID: "example-tech-3", Title: "Satellite internet reaches the valley's last unconnected farms",
			Link: base + "/tech/satellite", Published: published.Add(2 * time.Hour),
			Paragraphs: []string{"Forty-two farms in the upper valley were connected this week, the last addresses in the county without a broadband option."},
		},
		{
			GUID: "example-tech-2", Title: "Browser makers agree on a shared password-change address",
			Link: base + "/tech/passwords", Published: published.Add(time.Hour),
			Paragraphs: []string{"Password managers will be able to send users straight to a site's password-change page, after the major browsers agreed to support one well-known address."},
		},
		{
			GUID: "example-tech-1", Title: "Open-source maintainers push back on machine-written bug reports",
			Link: base + "/tech/reports", Published: published,
			Paragraphs: []string{"Maintainers of several widely used libraries say they are spending hours on plausible-looking but wrong security reports, and are asking for reporters to show a working proof."},
		},
	}
}

func talkItems(base string, published time.Time) []feedserver.Item {
	return []feedserver.Item{
		{
			GUID: "example-talk-2", Title: "What should the city do with the old ferry landing?",
			Link: base + "/talk/ferry", Published: published.Add(time.Hour), Comments: hnItemURL(9002),
			Paragraphs: []string{"With the footbridge approved, the old ferry landing will fall out of use. Readers' ideas so far: a café, a kayak launch, or a small museum of the river."},
		},
		{
			GUID: "example-talk-1", Title: "Readers' photos: the first frost of the year",
			Link: base + "/talk/frost", Published: published, Comments: hnItemURL(9001),
			Paragraphs: []string{"Thank you for the dozens of photos of frosted spider webs, car windows and allotments. A selection is below."},
		},
	}
}

func hnItemURL(id int) string { return fmt.Sprintf("https://news.ycombinator.com/item?id=%d", id) }

// talkThreads are the talk feed's discussions, served under /hn the way
// Hacker News's API serves them: the feed reads them with
// comments: {source: hackernews, api_url: <site>/hn}.
func talkThreads(site *feedserver.Server, published time.Time) {
	c := func(id int64, by string, minutes int, text string, kids ...feedserver.HNItem) feedserver.HNItem {
		return feedserver.HNItem{ID: id, By: by, Time: published.Add(time.Duration(minutes) * time.Minute), Text: text, Kids: kids}
	}
	site.SetHNThread("/hn", feedserver.HNItem{ID: 9002, By: "riverside_desk", Time: published.Add(time.Hour),
		Title: "What should the city do with the old ferry landing?", Kids: []feedserver.HNItem{
			c(9010, "lena_o", 70, "A café. People already sit on the steps there on summer evenings; give them coffee and shade.",
				c(9011, "harbour_pete", 75, "A café needs a toilet block and a kitchen, and the landing floods every other winter. Who pays for that?",
					c(9012, "lena_o", 80, "The café tenant would, as at the lido. The flood argument applies to anything we build there."))),
			c(9013, "kayak_kim", 85, "A kayak launch. The river has no public slipway between the weir and the estuary, and a launch costs almost nothing to keep."),
			c(9014, "m_archivist", 95, "The ferry ran for 140 years: a small museum in the old ticket office would tell that story, and it stays dry."),
		}})
	site.SetHNThread("/hn", feedserver.HNItem{ID: 9001, By: "riverside_desk", Time: published,
		Title: "Readers' photos: the first frost of the year", Kids: []feedserver.HNItem{
			c(9020, "gardener59", 20, "The allotments looked like icing sugar at seven this morning. My dahlias did not survive it."),
			c(9021, "early_bus", 35, "Frost on the inside of the bus windows. The heating on the 42 has been broken since October."),
		}})
}
