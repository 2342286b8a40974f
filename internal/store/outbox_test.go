package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

func deliverySummary(ds []news.Delivery) string {
	s := ""
	for _, d := range ds {
		s += fmt.Sprintf("%s/%s/r%d/%s ", d.ChannelID, d.Kind, d.Revision, d.State)
	}
	return s
}

func TestDeliveryRules(t *testing.T) { forEachEngine(t, testDeliveryRules) }

func testDeliveryRules(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	v1 := news.Article{GUID: "g", Title: "Bridge to close", Paragraphs: []string{"The council voted."}}
	v2 := news.Article{GUID: "g", Title: "Bridge to close", Paragraphs: []string{"The council voted.", "Update: it reopens."}}
	v3 := news.Article{GUID: "g", Title: "Bridge to close", Paragraphs: []string{"The council voted.", "Update: it reopens.", "Update 2: not."}}
	list := func() string {
		ds, err := db.Deliveries(ctx, DeliveryFilter{StoryID: 1})
		if err != nil {
			t.Fatal(err)
		}
		return deliverySummary(ds)
	}
	steps := []struct {
		name string
		a    news.Article
		o    SaveOptions
		want string
	}{
		{"first poll: post to A, skip B", v1, SaveOptions{Post: []string{"A"}, Skip: []string{"B"}},
			"A/new/r1/pending B/new/r1/skipped "},
		{"same content again: nothing new", v1, SaveOptions{Post: []string{"A", "A"}, Skip: []string{"B"}},
			"A/new/r1/pending B/new/r1/skipped "},
		{"update before the first post went out: the first post shows it", v2, SaveOptions{Post: []string{"A", "B"}},
			"A/new/r2/pending B/new/r1/skipped "},
	}
	for _, st := range steps {
		st.o.FeedID = "f"
		mustSave(t, db, st.a, st.o)
		if got := list(); got != st.want {
			t.Fatalf("%s: deliveries %q, want %q", st.name, got, st.want)
		}
	}
	post, _ := db.Deliveries(ctx, DeliveryFilter{ChannelID: "A"})
	if err := db.MarkSent(ctx, post[0].ID, "m1", "", t0); err != nil {
		t.Fatal(err)
	}
	mustSave(t, db, v3, SaveOptions{FeedID: "f", Post: []string{"A", "B", "C"}})
	want := "A/new/r2/sent B/new/r1/skipped A/updated/r3/pending C/new/r3/pending "
	if got := list(); got != want {
		t.Fatalf("after update: %q, want %q", got, want)
	}
	mustSave(t, db, v3, SaveOptions{FeedID: "f", Post: []string{"A", "B", "C"}})
	if got := list(); got != want {
		t.Fatalf("unchanged re-save enqueued something: %q", got)
	}
	got, err := db.PostOf(ctx, 1, "A")
	if err != nil || got.MessageID != "m1" {
		t.Errorf("PostOf = %+v, %v", got, err)
	}
	_, err = db.PostOf(ctx, 1, "B")
	wantErrIs(t, err, news.ErrNotFound, `channel "B"`)

	if err := db.DeleteStory(ctx, 1); err != nil {
		t.Fatal(err)
	}
	mustSave(t, db, news.Article{GUID: "g", Title: "Bridge to close", Paragraphs: []string{"All new."}}, SaveOptions{FeedID: "f", Post: []string{"D"}})
	if got := list(); got != want {
		t.Errorf("a deleted story was delivered: %q", got)
	}
}

func TestOutbox(t *testing.T) { forEachEngine(t, testOutbox) }

func testOutbox(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	var ids []int64
	for i, ch := range []string{"c1", "c2", "c3"} {
		d, err := db.EnqueueNotice(ctx, "feed", ch, news.Notice{Kind: news.NoticeFailing, Failures: 5 + i}, t0.Add(time.Duration(i)*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if d.State != news.DeliveryPending || d.Kind != news.DeliveryNotice || len(d.Nonce) == 0 || len(d.Nonce) > 25 {
			t.Fatalf("enqueued %+v", d)
		}
		ids = append(ids, d.ID)
	}
	pending, err := db.PendingDeliveries(ctx, t0.Add(time.Minute), 10)
	if err != nil || len(pending) != 3 || pending[0].ID != ids[0] || pending[2].ID != ids[2] {
		t.Fatalf("pending = %v, %v; want oldest first", pending, err)
	}
	if pending[0].Nonce == pending[1].Nonce {
		t.Error("two deliveries share a nonce")
	}

	if err := db.RecordAttempt(ctx, ids[0], t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkSent(ctx, ids[0], "m1", "th1", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordAttempt(ctx, ids[1], t0); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkRetry(ctx, ids[1], "429 rate limited", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkFailed(ctx, ids[2], "50001 Missing Access"); err != nil {
		t.Fatal(err)
	}
	pending, _ = db.PendingDeliveries(ctx, t0.Add(time.Minute), 10)
	if len(pending) != 0 {
		t.Errorf("pending before the retry time = %v, want none", pending)
	}
	pending, _ = db.PendingDeliveries(ctx, t0.Add(2*time.Hour), 10)
	if len(pending) != 1 || pending[0].ID != ids[1] || pending[0].Attempts != 1 || pending[0].LastError != "429 rate limited" {
		t.Errorf("pending after the retry time = %+v", pending)
	}
	sent, _ := db.Delivery(ctx, ids[0])
	if sent.State != news.DeliverySent || sent.MessageID != "m1" || sent.ThreadID != "th1" || sent.Attempts != 1 ||
		!sent.SentAt.Equal(t0.Add(time.Minute)) || !sent.LastAttempt.Equal(t0.Add(time.Minute)) {
		t.Errorf("sent delivery = %+v", sent)
	}

	// Illegal transitions say what is wrong.
	wantErrIs(t, db.MarkRetry(ctx, ids[0], "x", t0), news.ErrInvalid, "delivery 1 is sent")
	wantErrIs(t, db.RecordAttempt(ctx, ids[2], t0), news.ErrInvalid, "is failed")
	wantErrIs(t, db.MarkSent(ctx, 999, "m", "", t0), news.ErrNotFound, "delivery 999")
	_, err = db.Delivery(ctx, 999)
	wantErrIs(t, err, news.ErrNotFound, "999")
	_, err = db.EnqueueNotice(ctx, "feed", "", news.Notice{Kind: news.NoticeFailing}, t0)
	wantErrIs(t, err, news.ErrInvalid, "channel")
	// A sent post can learn its thread later without losing its message id.
	if err := db.SetThread(ctx, ids[0], "th2"); err != nil {
		t.Fatal(err)
	}
	if d, _ := db.Delivery(ctx, ids[0]); d.ThreadID != "th2" || d.MessageID != "m1" {
		t.Errorf("after SetThread: %+v", d)
	}
}

func TestFeedStateAndSubscriptions(t *testing.T) { forEachEngine(t, testFeedStateAndSubscriptions) }

func testFeedStateAndSubscriptions(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	st, err := db.FeedState(ctx, "never")
	if err != nil || st != (news.FeedState{FeedID: "never"}) {
		t.Fatalf("state of a feed never polled = %+v, %v", st, err)
	}
	want := news.FeedState{FeedID: "f", ETag: `"abc"`, LastModified: "Wed, 21 Oct 2015 07:28:00 GMT", LastPoll: t0,
		LastSuccess: t0.Add(-time.Hour), Failures: 2, FailingSince: t0.Add(-30 * time.Minute), LastError: "503",
		NoticeSent: true, NextPoll: t0.Add(time.Hour)}
	for i := 0; i < 2; i++ {
		if err := db.PutFeedState(ctx, want); err != nil {
			t.Fatal(err)
		}
		if got, err := db.FeedState(ctx, "f"); err != nil || got != want {
			t.Fatalf("FeedState = %+v, %v\nwant %+v", got, err, want)
		}
		want.Failures, want.NoticeSent = 0, false
	}
	wantErrIs(t, db.PutFeedState(ctx, news.FeedState{}), news.ErrInvalid, "feed id")

	sub, created, err := db.EnsureSubscription(ctx, "f", "c1", t0)
	if err != nil || !created || sub.ChannelID != "c1" || !sub.Created.Equal(t0) {
		t.Fatalf("EnsureSubscription = %+v, %v, %v", sub, created, err)
	}
	if _, created, _ = db.EnsureSubscription(ctx, "f", "c1", t0.Add(time.Hour)); created {
		t.Error("second EnsureSubscription reported created")
	}
	db.EnsureSubscription(ctx, "g", "c2", t0)
	if err := db.MarkSubscriptionSeeded(ctx, "f", "c1"); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkSubscriptionBroken(ctx, "f", "c1", "Missing Access"); err != nil {
		t.Fatal(err)
	}
	subs, err := db.Subscriptions(ctx, "f")
	if err != nil || len(subs) != 1 || !subs[0].Seeded || subs[0].Broken != "Missing Access" || !subs[0].Created.Equal(t0) {
		t.Fatalf("subscriptions of f = %+v, %v", subs, err)
	}
	if all, _ := db.AllSubscriptions(ctx); len(all) != 2 || all[0].FeedID != "f" || all[1].FeedID != "g" {
		t.Errorf("all subscriptions = %+v", all)
	}
	if none, err := db.Subscriptions(ctx, ""); err != nil || len(none) != 0 {
		t.Errorf("subscriptions of feed \"\" = %+v, %v; want none", none, err)
	}

	// Many feeds' states are written in one go and read in one go.
	other := news.FeedState{FeedID: "g", ETag: `"g1"`, LastPoll: t0.Add(time.Minute)}
	want.LastPoll = t0.Add(2 * time.Minute)
	if err := db.PutFeedStates(ctx, []news.FeedState{want, other}); err != nil {
		t.Fatal(err)
	}
	states, err := db.FeedStates(ctx)
	if err != nil || len(states) != 2 || states["f"] != want || states["g"] != other {
		t.Errorf("FeedStates = %+v, %v", states, err)
	}
	wantErrIs(t, db.PutFeedStates(ctx, []news.FeedState{other, {}}), news.ErrInvalid, "feed id")
	if st, _ := db.FeedState(ctx, "g"); st != other {
		t.Errorf("a refused batch changed state: %+v", st)
	}
	wantErrIs(t, db.MarkSubscriptionSeeded(ctx, "f", "nope"), news.ErrNotFound, `"nope"`)
}

func TestUpdateFromAnotherFeedReachesEveryPost(t *testing.T) {
	forEachEngine(t, testUpdateFromAnotherFeedReachesEveryPost)
}

func testUpdateFromAnotherFeedReachesEveryPost(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	first := news.Article{URL: "https://a.example/nk", Title: "North Korea denies attacking Sony",
		Paragraphs: []string{"North Korea has ratcheted the absurdity level of the Sony hack up a notch by pleading its innocence."}}
	r1, err := db.SaveArticle(ctx, first, SaveOptions{FeedID: "a", Now: now, Post: []string{"chanA"}})
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := db.PendingDeliveries(ctx, now, 10)
	db.MarkSent(ctx, ds[0].ID, "m1", "", now)
	later := news.Article{URL: "https://b.example/nk-updated", Title: "North Korea denies attacking Sony (updated)",
		Paragraphs: append(append([]string{}, first.Paragraphs...), "Update: the US is not buying it.")}
	r2, err := db.SaveArticle(ctx, later, SaveOptions{FeedID: "b", Now: now, Post: []string{"chanB"}})
	if err != nil || r2.Story.ID != r1.Story.ID || r2.Status != news.StatusUpdated {
		t.Fatalf("second copy: %+v, %v", r2, err)
	}
	ds, _ = db.PendingDeliveries(ctx, now, 10)
	var got []string
	for _, d := range ds {
		got = append(got, fmt.Sprintf("%s@%s/%s", d.Kind, d.ChannelID, d.FeedID))
	}
	if strings.Join(got, " ") != "new@chanB/b updated@chanA/a" {
		t.Errorf("deliveries = %v; want chanB's first post and chanA told of the update under its own feed", got)
	}
}

func TestPendingKeepsEachChannelInOrder(t *testing.T) {
	forEachEngine(t, testPendingKeepsEachChannelInOrder)
}

func testPendingKeepsEachChannelInOrder(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, g := range []string{"a", "b"} {
		if _, err := db.SaveArticle(ctx, news.Article{GUID: g, Title: "Story " + g, Paragraphs: []string{"Text " + g}},
			SaveOptions{FeedID: "f", Now: now, Post: []string{"chan1", "chan2"}}); err != nil {
			t.Fatal(err)
		}
	}
	ds, _ := db.PendingDeliveries(ctx, now, 10)
	// Story a's post to chan1 is rate limited for a minute.
	if err := db.MarkRetry(ctx, ds[0].ID, "429", now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	ds, _ = db.PendingDeliveries(ctx, now, 10)
	var got []string
	for _, d := range ds {
		got = append(got, fmt.Sprintf("%d@%s", d.StoryID, d.ChannelID))
	}
	if strings.Join(got, " ") != "1@chan2 2@chan2" {
		t.Errorf("due = %v; chan1 must wait for story 1, chan2 goes on", got)
	}
	if ds, _ := db.PendingDeliveries(ctx, now.Add(time.Minute), 10); len(ds) != 4 {
		t.Errorf("after the wait, %d due, want all 4", len(ds))
	}
}

// TestNoticeIsStoredAsFacts: a health notice keeps what happened, not a
// message, so it is rendered when it is sent.
func TestNoticeIsStoredAsFacts(t *testing.T) { forEachEngine(t, testNoticeIsStoredAsFacts) }

func testNoticeIsStoredAsFacts(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	want := news.Notice{Kind: news.NoticeFailing, Failures: 5, Since: t0.Add(-time.Hour), LastError: "fetch https://example.com/feed: 503"}
	d, err := db.EnqueueNotice(ctx, "world", "c1", want, t0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Notice(ctx, d.ID)
	if err != nil || got != want {
		t.Errorf("Notice = %+v, %v; want %+v", got, err, want)
	}
	if d.Text != "" || d.FeedID != "world" || d.Kind != news.DeliveryNotice {
		t.Errorf("delivery = %+v", d)
	}
	_, err = db.Notice(ctx, 999)
	wantErrIs(t, err, news.ErrNotFound, "delivery 999")
	_, err = db.EnqueueNotice(ctx, "world", "c1", news.Notice{}, t0)
	wantErrIs(t, err, news.ErrInvalid, "kind")
}

// TestUpdateAfterAnAttemptedFirstPost: a first post that was attempted but
// not recorded may be in the channel with the old text - a resend with its
// nonce gets that old post back - so an update owes it an edit and a reply,
// not a silent move of the first post to the new revision.
func TestUpdateAfterAnAttemptedFirstPost(t *testing.T) {
	forEachEngine(t, testUpdateAfterAnAttemptedFirstPost)
}

func testUpdateAfterAnAttemptedFirstPost(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	v1 := news.Article{GUID: "g", Title: "Bridge to close", Paragraphs: []string{"The council voted."}}
	v2 := news.Article{GUID: "g", Title: "Bridge to close", Paragraphs: []string{"The council voted.", "Update: it reopens."}}
	mustSave(t, db, v1, SaveOptions{FeedID: "f", Post: []string{"A", "B"}})
	ds, _ := db.Deliveries(ctx, DeliveryFilter{ChannelID: "A"})
	if err := db.RecordAttempt(ctx, ds[0].ID, t0); err != nil {
		t.Fatal(err)
	}
	mustSave(t, db, v2, SaveOptions{FeedID: "f", Post: []string{"A", "B"}})
	all, _ := db.Deliveries(ctx, DeliveryFilter{StoryID: 1})
	want := "A/new/r1/pending B/new/r2/pending A/updated/r2/pending "
	if got := deliverySummary(all); got != want {
		t.Errorf("deliveries %q, want %q", got, want)
	}
	// The channel's update goes out after its first post.
	pending, _ := db.PendingDeliveries(ctx, t0.Add(time.Hour), 10)
	if got := deliverySummary(pending); got != want {
		t.Errorf("pending %q, want the first post before its update: %q", got, want)
	}
}
