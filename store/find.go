package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/newsbot-dev/newsbot/news"
	"github.com/newsbot-dev/newsbot/revision"
)

// maxCandidates bounds how many same-URL or same-title stories are weighed.
const maxCandidates = 20

// candidate is a stored story an article might belong to.
type candidate struct {
	id                 int64
	feedID, guid       string
	url, source, title string
	body               string
}

// findStory looks for the story an article is a copy of: by GUID, by
// canonical URL, then by title key confirmed by similar text.
func findStory(ctx context.Context, tx *sql.Tx, a news.Article, feedID string) (int64, bool, error) {
	if guid := strings.TrimSpace(a.GUID); guid != "" {
		q := "SELECT id FROM stories WHERE guid = ? ORDER BY id LIMIT 1"
		args := []any{guid}
		if feedID != "" {
			q = "SELECT id FROM stories WHERE guid = ? AND feed_id = ? ORDER BY id LIMIT 1"
			args = append(args, feedID)
		}
		var id int64
		err := tx.QueryRowContext(ctx, q, args...).Scan(&id)
		if err == nil {
			return id, true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, false, err
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
	mine := revision.Fingerprint{TitleKey: key, Paras: a.Paragraphs, URL: a.URL, Host: siteOf(a.URL, a.Source)}
	for _, c := range cs {
		if guidConflict(c, a, feedID) {
			continue
		}
		paras, err := parseList(c.body)
		if err != nil {
			return 0, false, err
		}
		theirs := revision.Fingerprint{TitleKey: revision.TitleKey(c.title), Paras: paras, URL: c.url, Host: siteOf(c.url, c.source)}
		if revision.SameStory(mine, theirs) {
			return c.id, true, nil
		}
	}
	return 0, false, nil
}

func candidates(ctx context.Context, tx *sql.Tx, where string, arg any) ([]candidate, error) {
	rows, err := tx.QueryContext(ctx, `SELECT s.id, s.feed_id, s.guid, s.url, s.source, s.title,
		COALESCE((SELECT r.body FROM revisions r WHERE r.story_id = s.id AND r.number = s.revision), '[]')
		FROM stories s WHERE `+where+` ORDER BY s.id DESC LIMIT ?`, arg, maxCandidates)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.id, &c.feedID, &c.guid, &c.url, &c.source, &c.title, &c.body); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// guidConflict reports a candidate that the feed itself says is another
// story: same feed, both with GUIDs, different GUIDs. Sites reuse titles
// ("Morning briefing") and sometimes URLs, but not GUIDs.
func guidConflict(c candidate, a news.Article, feedID string) bool {
	guid := strings.TrimSpace(a.GUID)
	return c.feedID == feedID && c.guid != "" && guid != "" && c.guid != guid
}

// siteOf names the site a copy came from: its URL's host, else the
// source name the parser gave.
func siteOf(url, source string) string {
	if h := revision.Host(url); h != "" {
		return h
	}
	return strings.ToLower(strings.TrimSpace(source))
}
