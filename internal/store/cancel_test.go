package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// A save whose context is cancelled part way stores nothing, although its
// statements run without the context's cancellation (statementContext).
func TestCancelledSaveStoresNothing(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testEngine) {
		db := e.openMem(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		article := func(i int) news.Article {
			return news.Article{GUID: fmt.Sprintf("g%d", i), URL: fmt.Sprintf("https://courier.example/%d", i),
				Title: fmt.Sprintf("Story %d", i), Paragraphs: []string{fmt.Sprintf("Text of story %d.", i)}}
		}
		err := db.writeTxn(ctx, func(tx *txn) error {
			if _, err := saveAll(ctx, tx, []news.Article{article(1)}, SaveOptions{Now: t0}, true); err != nil {
				return err
			}
			cancel()
			// A statement may still run before database/sql has rolled
			// the transaction back; nothing of it may be kept.
			_, err := saveAll(context.WithoutCancel(ctx), tx, []news.Article{article(2)}, SaveOptions{Now: t0}, true)
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Logf("second save after the cancel: %v", err)
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) && !errors.Is(err, sql.ErrTxDone) {
			t.Fatalf("writeTxn after a cancel = %v, want context.Canceled", err)
		}
		stories, err := db.LatestStories(context.Background(), "", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(stories) != 0 {
			t.Errorf("%d stories stored by a cancelled save, want none: %+v", len(stories), stories)
		}

		// Cancelled between articles, SaveArticles says so.
		_, err = db.SaveArticles(ctx, []news.Article{article(3), article(4)}, SaveOptions{Now: t0})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("SaveArticles with a cancelled context = %v, want context.Canceled", err)
		}
	})
}
