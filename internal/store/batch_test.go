package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// A batch must file every article as saving them one at a time would: the
// batch reads the stories its articles may match once, up front, and keeps
// that view current as it writes. Random sequences of copies — repeats,
// updates, stale copies, text-less entries, reworded headlines, other
// sites, same GUIDs in other feeds — are saved both ways and compared.
func TestBatchSavesAsOneAtATime(t *testing.T) { forEachEngine(t, testBatchSavesAsOneAtATime) }

func testBatchSavesAsOneAtATime(t *testing.T, e testEngine) {
	pool := batchPool()
	seeds := uint64(40)
	if raceEnabled || e.name == "postgres" {
		seeds = 6 // the batch logic is the same code on both engines
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		n := 2 + rng.IntN(12)
		var seq []news.Article
		for range n {
			seq = append(seq, pool[rng.IntN(len(pool))])
		}
		// An earlier state the batch starts from, saved one at a time.
		var before []news.Article
		for range rng.IntN(4) {
			before = append(before, pool[rng.IntN(len(pool))])
		}
		feed := []string{"", "f"}[rng.IntN(2)]
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			ctx := context.Background()
			one, batch := e.openMem(t), e.openMem(t)
			for _, db := range []*DB{one, batch} {
				for i, a := range before {
					if _, err := db.SaveArticle(ctx, a, SaveOptions{FeedID: feed, Now: t0.Add(time.Duration(i) * time.Minute)}); err != nil {
						t.Fatal(err)
					}
				}
			}
			o := SaveOptions{FeedID: feed, Now: t0.Add(time.Hour)}
			var want []news.SaveResult
			for _, a := range seq {
				r, err := one.SaveArticle(ctx, a, o)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, r)
			}
			got, err := batch.SaveArticles(ctx, seq, o)
			if err != nil {
				t.Fatal(err)
			}
			for i := range seq {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Fatalf("article %d (%q): batch filed\n%+v\none at a time\n%+v", i+1, seq[i].Title, got[i], want[i])
				}
			}
			if a, b := dump(t, one), dump(t, batch); a != b {
				t.Errorf("stores differ:\none at a time\n%s\nbatch\n%s", a, b)
			}
		})
	}
}

func batchPool() []news.Article {
	lede := "The city council voted seven to two on Tuesday night to build a footbridge across the Alder river, ending a debate that began when the old ferry stopped running three years ago."
	more := "The bridge will link the Millfield estate to the station and is expected to cost 14 million, two thirds of it from a national cycling fund."
	update := "Update: construction will start in the spring and take eighteen months."
	other := "A storm is moving up the east coast tonight, with winds of up to 110 kilometres an hour expected on the islands and ferries cancelled until Thursday."
	return []news.Article{
		{GUID: "g1", URL: "https://a.example/bridge", Title: "Council approves footbridge", Paragraphs: []string{lede, more}},
		{GUID: "g1", URL: "https://a.example/bridge", Title: "Council approves footbridge (updated)", Paragraphs: []string{lede, more, update}},
		{GUID: "g1", URL: "https://a.example/bridge", Title: "Council approves footbridge"},
		{GUID: "g1", URL: "https://a.example/bridge", Title: "Council approves footbridge, cost rises", Paragraphs: []string{lede, more}, Author: "Ann"},
		{URL: "https://b.example/news/bridge?utm_source=x", Title: "Alder river crossing wins council vote", Paragraphs: []string{"Advertisement", lede, more, update}},
		{GUID: "g1", URL: "https://c.example/storm", Title: "Storm hits the coast", Paragraphs: []string{other}},
		{GUID: "g2", URL: "https://a.example/storm", Title: "Storm hits the coast", Paragraphs: []string{other}},
		{GUID: "g2", URL: "https://a.example/storm", Title: "Storm hits the coast", Paragraphs: []string{other, "Update: the ferries run again."}},
		{GUID: "g3", Title: "Morning briefing", Paragraphs: []string{other}},
		{GUID: "g4", Title: "Morning briefing", Paragraphs: []string{lede}},
		{Title: "Council approves footbridge", Paragraphs: []string{lede, more}, Source: "x.example"},
		{GUID: "g5", URL: "https://a.example/bridge", Title: "Footbridge: the cost explained", Paragraphs: []string{more}},
	}
}

// dump lists stories and revisions as stored, for comparing two stores.
func dump(t *testing.T, db *DB) string {
	t.Helper()
	rows, err := db.r.Query(`SELECT s.id, s.feed_id, s.guid, s.url, s.title, s.title_key, s.author, s.revision,
		r.number, r.title, r.body, r.hash, r.added, r.removed, r.old_title
		FROM stories s JOIN revisions r ON r.story_id = s.id ORDER BY s.id, r.number`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := ""
	for rows.Next() {
		var id, rev, num int
		var feed, guid, url, title, key, author, rtitle, body, hash, added, removed, old string
		if err := rows.Scan(&id, &feed, &guid, &url, &title, &key, &author, &rev, &num, &rtitle, &body, &hash, &added, &removed, &old); err != nil {
			t.Fatal(err)
		}
		out += fmt.Sprintln(id, feed, guid, url, title, key, author, rev, num, rtitle, body, hash[:8], added, removed, old)
	}
	return out
}
