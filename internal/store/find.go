package store

import (
	"context"
	"strings"

	"github.com/newsbot-dev/newsbot/internal/revision"
)

// findStory looks for the story an article is a copy of: by GUID, by
// canonical URL, then by content — stories whose text shares passages
// with the article's (sketch.go), and stories under the same headline —
// confirmed by revision.Same on title and text together. Each lookup
// weighs at most the 20 newest stories with the GUID, URL or headline.
func findStory(ctx context.Context, t *txn, in *incoming, feedID string) (storyRow, bool, error) {
	if in.guid != "" {
		cs, err := storyRows(ctx, t, "SELECT "+storyRowColumns+" FROM stories s WHERE s.guid = ? ORDER BY s.id DESC LIMIT 20", in.guid)
		if err != nil {
			return storyRow{}, false, err
		}
		for _, c := range cs {
			if sameGUIDScope(c, in, feedID) {
				return c, true, nil
			}
		}
	}
	if in.canon != "" {
		cs, err := storyRows(ctx, t, "SELECT "+storyRowColumns+" FROM stories s WHERE s.url = ? ORDER BY s.id DESC LIMIT 20", in.canon)
		if err != nil {
			return storyRow{}, false, err
		}
		for _, c := range cs {
			if !guidConflict(c, in, feedID) {
				return c, true, nil
			}
		}
	}
	if in.titleKey == "" || len(in.norm) == 0 {
		// Same needs a headline and text: without them only a GUID or a
		// URL can tell.
		return storyRow{}, false, nil
	}
	// The same headline first: with the text agreeing, the surest sign.
	ids, err := storyIDs(ctx, t, "SELECT id FROM stories WHERE title_key = ? ORDER BY id DESC LIMIT 20", in.titleKey)
	if err != nil {
		return storyRow{}, false, err
	}
	seen := map[int64]bool{}
	for _, id := range append(ids, contentCandidates(t, in.doc().Fingerprints())...) {
		if seen[id] {
			continue
		}
		seen[id] = true
		c, text, err := candidate(ctx, t, id)
		if err != nil {
			return storyRow{}, false, err
		}
		if guidConflict(c, in, feedID) {
			continue
		}
		if revision.Same(in.doc(), revision.NewDoc(c.titleKey, splitText(text))) {
			return c, true, nil
		}
	}
	return storyRow{}, false, nil
}

// candidate reads a story the article may be a copy of, with its latest
// normalised text.
func candidate(ctx context.Context, q querier, id int64) (storyRow, string, error) {
	var c storyRow
	var text string
	err := q.QueryRowContext(ctx, "SELECT "+storyRowColumns+`,
		COALESCE((SELECT r.text FROM revisions r WHERE r.story_id = s.id AND r.number = s.revision), '')
		FROM stories s WHERE s.id = ?`, id).Scan(&c.id, &c.feedID, &c.guid, &c.url, &c.title, &c.titleKey,
		&c.author, &c.source, &c.imageURL, &c.commentsURL, &c.externalID, &c.published, &c.updated,
		&c.firstSeen, &c.revision, &c.deleted, &text)
	return c, text, err
}

func storyRows(ctx context.Context, q querier, query string, args ...any) ([]storyRow, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storyRow
	for rows.Next() {
		r, err := scanStoryRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func storyIDs(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// splitText is a revision's stored text as paragraphs again.
func splitText(text string) []string {
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n\n")
}

// sameGUIDScope reports whether a candidate with the article's GUID is the
// same story: GUIDs are unique within a feed, not across the web ("42" is
// somebody's GUID on every blog), so a GUID identifies a story only within
// its feed - or, for an import, which has no feed, on the same site.
func sameGUIDScope(c storyRow, in *incoming, feedID string) bool {
	if feedID != "" || c.feedID != "" {
		return c.feedID == feedID
	}
	mine, theirs := revision.Host(in.a.URL), revision.Host(c.url)
	return mine == theirs
}

// guidConflict reports a candidate that the feed itself says is another
// story: same feed, both with GUIDs, different GUIDs. Sites reuse titles
// ("Morning briefing") and sometimes URLs, but not GUIDs.
func guidConflict(c storyRow, in *incoming, feedID string) bool {
	return c.feedID == feedID && c.guid != "" && in.guid != "" && c.guid != in.guid
}
