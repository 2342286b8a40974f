package store

import (
	"context"
	"strings"

	"github.com/newsbot-dev/newsbot/internal/revision"
)

// findStory looks for the story an article is a copy of: by GUID, by
// canonical URL, then by content — stories under the same headline, and
// stories whose text shares passages with the article's (sketch.go) —
// confirmed by revision.Same on title and text together. Each way weighs
// the 20 newest stories it finds.
func findStory(ctx context.Context, t *txn, v *batchView, in *incoming, feedID string) (*storyState, error) {
	for _, c := range v.under(byGUID, in.guid) {
		if sameGUIDScope(c.storyRow, in, feedID) {
			return c, nil
		}
	}
	for _, c := range v.under(byURL, in.canon) {
		if !guidConflict(c.storyRow, in, feedID) {
			return c, nil
		}
	}
	if in.titleKey == "" || len(in.normalized()) == 0 {
		// Same needs a headline and text: without them only a GUID or a
		// URL can tell.
		return nil, nil
	}
	// The same headline first: with the text agreeing, the surest sign.
	seen := map[int64]bool{}
	for _, c := range v.under(byTitle, in.titleKey) {
		seen[c.id] = true
		if ok, err := same(ctx, t, in, c, feedID); ok || err != nil {
			return c, err
		}
	}
	ids, err := contentCandidates(ctx, t, in.doc().Fingerprints())
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		c, err := v.story(ctx, t, id)
		if err != nil {
			return nil, err
		}
		if ok, err := same(ctx, t, in, c, feedID); ok || err != nil {
			return c, err
		}
	}
	return nil, nil
}

func same(ctx context.Context, q querier, in *incoming, c *storyState, feedID string) (bool, error) {
	if guidConflict(c.storyRow, in, feedID) {
		return false, nil
	}
	if err := c.loadText(ctx, q); err != nil {
		return false, err
	}
	return revision.Same(in.doc(), revision.NewDoc(c.titleKey, c.latest.norm)), nil
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
