package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/news"
)

func TestCommentHealth(t *testing.T) { forEachEngine(t, testCommentHealth) }

func testCommentHealth(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openFile(t)
	h, err := db.CommentHealth(ctx, "hn")
	if err != nil || h.FeedID != "hn" || h.Failing() {
		t.Fatalf("a source never tried: %+v, %v", h, err)
	}
	want := news.SourceHealth{FeedID: "hn", Failures: 3, FailingSince: t0, LastError: "HTTP 500", LastAttempt: t0.Add(2e9), NoticeSent: true}
	if err := db.PutCommentHealth(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.CommentHealth(ctx, "hn"); got != want {
		t.Errorf("read back %+v, want %+v", got, want)
	}
	if all, err := db.CommentHealths(ctx); err != nil || len(all) != 1 || all["hn"] != want {
		t.Errorf("all records: %v, %v", all, err)
	}
	// The feed's own state is a separate record.
	if st, _ := db.FeedState(ctx, "hn"); st.Failures != 0 || st.LastError != "" {
		t.Errorf("feed state touched: %+v", st)
	}
	if err := db.PutCommentHealth(ctx, news.SourceHealth{}); err == nil {
		t.Error("saved a record without a feed id")
	}
}

func TestWritableAndBacklog(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testEngine) { testBacklog(t, e.openFile(t)) })
	// A SQLite file made read-only under the store is reported.
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, filepath.Join(dir, "news.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	testBacklog(t, db)
	if os.Geteuid() == 0 {
		return // root writes through any file mode
	}
	for _, f := range []string{"news.db", "news.db-wal", "news.db-shm"} {
		os.Chmod(filepath.Join(dir, f), 0o444)
	}
	db.Close()
	ro, err := Open(ctx, filepath.Join(dir, "news.db"))
	if err != nil {
		return // refused at open: also an answer
	}
	defer ro.Close()
	if err := ro.Writable(ctx); err == nil {
		t.Error("a read-only store reports itself writable")
	}
}

// testBacklog checks a fresh store takes writes and counts what the
// outbox owes.
func testBacklog(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	if err := db.Writable(ctx); err != nil {
		t.Fatalf("a fresh store: %v", err)
	}
	if n, oldest, err := db.OutboxBacklog(ctx); err != nil || n != 0 || !oldest.IsZero() {
		t.Errorf("empty outbox: %d, %v, %v", n, oldest, err)
	}
	if _, err := db.EnqueueNotice(ctx, "f", "100000000000000001", news.Notice{Kind: news.NoticeFailing}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.EnqueueNotice(ctx, "f", "100000000000000001", news.Notice{Kind: news.NoticeRecovered}, t0.Add(6e10)); err != nil {
		t.Fatal(err)
	}
	if n, oldest, err := db.OutboxBacklog(ctx); err != nil || n != 2 || !oldest.Equal(t0) {
		t.Errorf("backlog: %d, oldest %v, %v; want 2 since %v", n, oldest, err, t0)
	}
}
