package store

import (
	"context"
	"database/sql"
	"sort"
	"strings"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/revision"
)

// maxCandidates bounds how many same-URL or same-title stories are weighed.
const maxCandidates = 20

// rewordWindow is how many of the newest stories are searched for a copy
// under a reworded headline (a variable so tests can narrow it).
var rewordWindow = 5000

// candidate is a stored story an article might belong to.
type candidate struct {
	id           int64
	feedID, guid string
	url, title   string
	body         string
}

// findStory looks for the story an article is a copy of: by GUID, by
// canonical URL, then by title key confirmed by similar text.
func findStory(ctx context.Context, tx *sql.Tx, a news.Article, feedID string) (int64, bool, error) {
	if guid := strings.TrimSpace(a.GUID); guid != "" {
		cs, err := candidates(ctx, tx, "s.guid = ?", guid)
		if err != nil {
			return 0, false, err
		}
		for _, c := range cs {
			if sameGUIDScope(c, a, feedID) {
				return c.id, true, nil
			}
		}
	}
	if canon := revision.CanonicalURL(a.URL); canon != "" {
		cs, err := candidates(ctx, tx, "s.url = ?", canon)
		if err != nil {
			return 0, false, err
		}
		for _, c := range cs {
			if !guidConflict(c, a, feedID) {
				return c.id, true, nil
			}
		}
	}
	key := revision.TitleKey(a.Title)
	if key == "" {
		return 0, false, nil
	}
	cs, err := candidates(ctx, tx, "s.title_key = ?", key)
	if err != nil {
		return 0, false, err
	}
	// Headlines get reworded between sites ("after debate" → "after long
	// debate"): stories sharing the title's longest words are weighed too,
	// and SameStory decides on title and text together. Copies of a story
	// arrive within days, so only the newest stories are searched: on a
	// store of years, three common words match thousands of old titles.
	if q := titleQuery(key); q != "" {
		more, err := candidates(ctx, tx, `s.id IN (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?
			AND rowid > (SELECT COALESCE(MAX(id), 0) FROM stories) - ? ORDER BY rowid DESC LIMIT 50) AND s.title_key <> ?`,
			q, rewordWindow, key)
		if err != nil {
			return 0, false, err
		}
		cs = append(cs, more...)
	}
	mine := revision.Fingerprint{TitleKey: key, Paras: a.Paragraphs}
	for _, c := range cs {
		if guidConflict(c, a, feedID) {
			continue
		}
		paras, err := parseList(c.body)
		if err != nil {
			return 0, false, err
		}
		theirs := revision.Fingerprint{TitleKey: revision.TitleKey(c.title), Paras: paras}
		if revision.SameStory(mine, theirs) {
			return c.id, true, nil
		}
	}
	return 0, false, nil
}

// titleQuery is an FTS query for stories whose title has all of the
// title key's three longest words - the words a rewording keeps. Short
// titles give no query: their exact key is all there is to go on.
func titleQuery(key string) string {
	words := strings.Fields(key)
	if len(words) < 4 {
		return ""
	}
	sort.SliceStable(words, func(i, j int) bool { return len(words[i]) > len(words[j]) })
	var terms []string
	for _, w := range words[:3] {
		terms = append(terms, `title : "`+strings.ReplaceAll(w, `"`, `""`)+`"`)
	}
	return strings.Join(terms, " AND ")
}

func candidates(ctx context.Context, tx *sql.Tx, where string, args ...any) ([]candidate, error) {
	rows, err := tx.QueryContext(ctx, `SELECT s.id, s.feed_id, s.guid, s.url, s.title,
		COALESCE((SELECT r.body FROM revisions r WHERE r.story_id = s.id AND r.number = s.revision), '[]')
		FROM stories s WHERE `+where+` ORDER BY s.id DESC LIMIT ?`, append(args, maxCandidates)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.id, &c.feedID, &c.guid, &c.url, &c.title, &c.body); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// sameGUIDScope reports whether a candidate with the article's GUID is the
// same story: GUIDs are unique within a feed, not across the web ("42" is
// somebody's GUID on every blog), so a GUID identifies a story only within
// its feed - or, for an import, which has no feed, on the same site.
func sameGUIDScope(c candidate, a news.Article, feedID string) bool {
	if feedID != "" || c.feedID != "" {
		return c.feedID == feedID
	}
	mine, theirs := revision.Host(a.URL), revision.Host(c.url)
	return mine == theirs
}

// guidConflict reports a candidate that the feed itself says is another
// story: same feed, both with GUIDs, different GUIDs. Sites reuse titles
// ("Morning briefing") and sometimes URLs, but not GUIDs.
func guidConflict(c candidate, a news.Article, feedID string) bool {
	guid := strings.TrimSpace(a.GUID)
	return c.feedID == feedID && c.guid != "" && guid != "" && c.guid != guid
}
