package store

import (
	"context"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// A post made in an announcement channel owes its publishing, once, from
// the moment it is recorded; a crosspost waiting out Discord's hourly
// limit holds up no later post of the channel.
func TestCrosspostOwedOnceAndNeverBlocks(t *testing.T) {
	forEachEngine(t, testCrosspostOwedOnceAndNeverBlocks)
}

func testCrosspostOwedOnceAndNeverBlocks(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	mustSave(t, db, article("First"), SaveOptions{FeedID: "f", Post: []string{"A"}})
	first, _ := db.Deliveries(ctx, DeliveryFilter{ChannelID: "A"})
	posted := news.Posted{MessageID: "m1", WebhookID: "w1", Crosspost: true}
	for range 2 { // marking it again (a reconciled resend) owes nothing more
		if err := db.MarkPosted(ctx, first[0].ID, posted, t0); err != nil {
			t.Fatal(err)
		}
	}
	ds, _ := db.Deliveries(ctx, DeliveryFilter{ChannelID: "A"})
	if got := deliverySummary(ds); got != "A/new/r1/sent A/crosspost/r1/pending " {
		t.Fatalf("deliveries = %q", got)
	}
	if ds[0].WebhookID != "w1" || ds[0].MessageID != "m1" {
		t.Errorf("post recorded as %+v", ds[0])
	}
	if err := db.MarkRetry(ctx, ds[1].ID, "429", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	mustSave(t, db, article("Second"), SaveOptions{FeedID: "f", Post: []string{"A"}})
	due, err := db.PendingDeliveries(ctx, t0.Add(time.Minute), 10)
	if err != nil || deliverySummary(due) != "A/new/r1/pending " || due[0].StoryID != 2 {
		t.Errorf("due while the crosspost waits = %q, %v; want the second post", deliverySummary(due), err)
	}
	if got, _ := db.PostOf(ctx, 1, "A"); got.WebhookID != "w1" {
		t.Errorf("PostOf lost the webhook: %+v", got)
	}
}
