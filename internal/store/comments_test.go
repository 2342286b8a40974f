package store

import (
	"context"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

func TestCommentMerge(t *testing.T) { forEachEngine(t, testCommentMerge) }

func testCommentMerge(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	id := mustSave(t, db, article("Bridge to close", "The council voted."), SaveOptions{}).Story.ID
	day := 24 * time.Hour
	page1 := []news.Comment{
		{Index: 1, Author: "ChrisW", Body: "Other news agencies disagree.", PostedAt: t0.Add(-2138 * day)},
		{Index: 2, Author: "plmkoh", Body: "Funny, mine don't.", PostedAt: t0.Add(-2138 * day), ReplyTo: 1},
		{Index: 3, Author: "ChrisW", Body: "Look, we all know.", PostedAt: t0.Add(-2138 * day), ReplyTo: 2},
	}
	ch, err := db.SaveComments(ctx, id, page1, t0, 0)
	if err != nil || ch != (CommentChanges{Added: 3, Total: 3}) {
		t.Fatalf("first merge = %+v, %v", ch, err)
	}

	// A day later the ages read one day more; one comment was edited, one
	// is new and placed first on the page, one was deleted.
	later := t0.Add(day)
	page2 := []news.Comment{
		{Index: 1, Author: "SilentNegotiator", Body: "WTF are you talking about?", PostedAt: later.Add(-2 * time.Hour), ReplyTo: 3},
		{Index: 2, Author: "ChrisW", Body: "Other news agencies disagree.\n\nEdit: sources added.", PostedAt: later.Add(-2139 * day), EditedAt: later.Add(-time.Hour)},
		{Index: 3, Author: "plmkoh", Body: "Funny,  mine don’t.", PostedAt: later.Add(-2139 * day)},
		{Index: 4, Author: "ChrisW", Body: "", PostedAt: later.Add(-2139 * day), Deleted: true},
	}
	ch, err = db.SaveComments(ctx, id, page2, later, 0)
	if err != nil || ch != (CommentChanges{Added: 1, Edited: 1, Deleted: 1, Total: 4}) {
		t.Fatalf("second merge = %+v, %v", ch, err)
	}
	cs, err := db.Comments(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := "1:ChrisW:Other news agencies disagree.\n\nEdit: sources added.;2:plmkoh:Funny, mine don't.;3:ChrisW:Look, we all know.;4:SilentNegotiator:WTF are you talking about?;"
	if got := commentBodies(cs); got != want {
		t.Fatalf("comments = %q\nwant      %q", got, want)
	}
	// The new comment answered page 2's third comment, stored as 2.
	if cs[1].ReplyTo != 1 || cs[2].ReplyTo != 2 || cs[3].ReplyTo != 2 {
		t.Errorf("reply_to = %d %d %d, want 1 2 2", cs[1].ReplyTo, cs[2].ReplyTo, cs[3].ReplyTo)
	}
	if !cs[2].Deleted || cs[0].Deleted || !cs[0].EditedAt.Equal(later.Add(-time.Hour)) {
		t.Errorf("deleted/edited marks wrong: %+v", cs[:3])
	}
	edits, err := db.CommentEdits(ctx, cs[0].ID)
	if err != nil || len(edits) != 1 || edits[0].Body != "Other news agencies disagree." || !edits[0].ReplacedAt.Equal(later) {
		t.Errorf("edits = %+v, %v", edits, err)
	}

	// A page without comments, or the same page again, changes nothing.
	mustSave(t, db, article("Bridge to close", "The council voted."), SaveOptions{})
	if ch, _ = db.SaveComments(ctx, id, page2, later, 0); ch != (CommentChanges{Total: 4}) {
		t.Errorf("same page again = %+v", ch)
	}
}

func TestCommentMergeByExternalID(t *testing.T) { forEachEngine(t, testCommentMergeByExternalID) }

func testCommentMergeByExternalID(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	id := mustSave(t, db, article("Ask HN", "What are you reading?"), SaveOptions{}).Story.ID
	first := []news.Comment{
		{ExternalID: "t1_a", Author: "ann", Body: "Dune", Score: 3, HasScore: true},
		{ExternalID: "t1_b", ParentID: "t1_a", Author: "bob", Body: "Great book", Depth: 1},
	}
	if _, err := db.SaveComments(ctx, id, first, t0, 0); err != nil {
		t.Fatal(err)
	}
	second := []news.Comment{
		{ExternalID: "t1_c", ParentID: "t1_b", Author: "cy", Body: "Agreed", Depth: 2},
		{ExternalID: "t1_a", Author: "ann", Body: "Dune (the first one)", Score: 9, HasScore: true},
		{ExternalID: "t1_d", ParentID: "t1_zzz", Author: "dee", Body: "Orphan reply", Depth: 3},
	}
	ch, err := db.SaveComments(ctx, id, second, t0, 0)
	if err != nil || ch != (CommentChanges{Added: 2, Edited: 1, Total: 4}) {
		t.Fatalf("merge = %+v, %v", ch, err)
	}
	cs, _ := db.Comments(ctx, id)
	if cs[0].Score != 9 || cs[0].Body != "Dune (the first one)" || cs[1].ReplyTo != 1 || cs[2].ReplyTo != 2 || cs[2].Depth != 2 || cs[3].ReplyTo != 0 {
		t.Errorf("comments = %+v", cs)
	}
}

func TestCommentCap(t *testing.T) { forEachEngine(t, testCommentCap) }

func testCommentCap(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	a := article("Busy thread", "Everyone has an opinion.")
	for _, who := range []string{"a", "b", "c", "d", "e"} {
		a.Comments = append(a.Comments, comment(who, "hello from "+who, t0))
	}
	r := mustSave(t, db, a, SaveOptions{MaxComments: 3})
	if r.Comments != 3 {
		t.Fatalf("stored %d comments, want the cap of 3", r.Comments)
	}
	a.Comments = append(a.Comments[:2], comment("z", "late", t0))
	ch, err := db.SaveComments(ctx, r.Story.ID, a.Comments, t0, 3)
	if err != nil || ch != (CommentChanges{Dropped: 1, Total: 3}) {
		t.Errorf("merge at the cap = %+v, %v", ch, err)
	}
	_, err = db.SaveComments(ctx, 999, a.Comments, t0, 3)
	wantErrIs(t, err, news.ErrNotFound, "story 999")
}

func TestCommentLookups(t *testing.T) { forEachEngine(t, testCommentLookups) }

func testCommentLookups(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	a := article("Thread", "Text.")
	a.Comments = []news.Comment{
		comment("ChrisW", "It is “super easy” to fake IP addresses.", t0),
		comment("Chris", "Nobody asked, 100%_sure.", t0),
		comment("chrisw", "Besides, it's super   easy.", t0),
		comment("Jrmy84", "@ChrisW what would you do?", t0),
		{Author: "Gone", Body: "deleted one", Deleted: true},
	}
	id := mustSave(t, db, a, SaveOptions{}).Story.ID

	names, err := db.Commenters(ctx, id, "ch", 10)
	if err != nil || len(names) != 2 || names[0] != "ChrisW" && names[0] != "chrisw" || names[1] != "Chris" {
		t.Errorf("Commenters(ch) = %q, %v; want ChrisW (2 comments) then Chris", names, err)
	}
	if names, _ := db.Commenters(ctx, id, "100%", 10); len(names) != 0 {
		t.Errorf("LIKE wildcards leaked: %q", names)
	}
	if names, _ := db.Commenters(ctx, id, "", 10); len(names) != 3 {
		t.Errorf("all commenters = %q, want 3 (deleted excluded)", names)
	}
	tests := []struct {
		author, contains string
		want             []int
	}{
		{"chrisw", "", []int{1, 3}},
		{"CHRIS", "", []int{2}},            // the exact name wins over names it begins
		{"chr", "super easy", []int{1, 3}}, // typographic quotes and spaces folded
		{"chris", "super easy", []int{1, 3}},
		{"", "WHAT WOULD", []int{4}},
		{"", "deleted", nil},
		{"nobody", "", nil},
		{"", `"*NEAR(`, nil},
	}
	for _, tt := range tests {
		got, err := db.FindComments(ctx, id, tt.author, tt.contains)
		if err != nil {
			t.Fatal(err)
		}
		var idx []int
		for _, c := range got {
			idx = append(idx, c.Index)
		}
		if len(idx) != len(tt.want) || (len(idx) > 0 && idx[0] != tt.want[0]) || (len(idx) > 1 && idx[1] != tt.want[1]) {
			t.Errorf("FindComments(%q, %q) = %v, want %v", tt.author, tt.contains, idx, tt.want)
		}
	}
	if found, err := db.SearchComments(ctx, `"fake" -IP* addresses(`, 10); err != nil || len(found) != 1 || found[0].Index != 1 {
		t.Errorf("SearchComments with FTS syntax = %+v, %v", found, err)
	}
}

// TestAnotherCommentIsNotAnEdit: a different comment by the same person,
// posted around the same time, is a new comment, not an edit of the first.
func TestAnotherCommentIsNotAnEdit(t *testing.T) { forEachEngine(t, testAnotherCommentIsNotAnEdit) }

func testAnotherCommentIsNotAnEdit(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	id := mustSave(t, db, article("Bridge to close", "The council voted."), SaveOptions{}).Story.ID
	day := 24 * time.Hour
	if _, err := db.SaveComments(ctx, id, []news.Comment{
		{Author: "bob", Body: "The bridge has been closed to trucks since 2019.", PostedAt: t0.Add(-2138 * day)},
	}, t0, 0); err != nil {
		t.Fatal(err)
	}
	ch, err := db.SaveComments(ctx, id, []news.Comment{
		{Author: "bob", Body: "Who voted against it, and why does the article not say?", PostedAt: t0.Add(-2078 * day)},
	}, t0, 0)
	if err != nil || ch.Added != 1 || ch.Edited != 0 {
		t.Errorf("merge = %+v, %v; want the second comment added, the first untouched", ch, err)
	}
}
