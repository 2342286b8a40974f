package store

import (
	"context"
	"strings"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// storyRow is a stories row as the save path reads and writes it.
type storyRow struct {
	id                            int64
	feedID, guid, url             string
	title, titleKey               string
	author, source, imageURL      string
	commentsURL, externalID       string
	published, updated, firstSeen int64
	revision                      int
	deleted                       bool
}

// storyRowColumns select a storyRow from stories aliased as s, in the
// order of its fields.
const storyRowColumns = `s.id, s.feed_id, s.guid, s.url, s.title, s.title_key, s.author, s.source,
	s.image_url, s.comments_url, s.external_id, s.published, s.updated, s.first_seen, s.revision, s.deleted`

// merge is the row after filing a copy of the story in: the title follows
// the latest copy unless it is stale (a copy of an older revision must not
// turn the title back), other fields fill in when newly known, the GUID
// only from the story's own feed, whose GUIDs it is matched by.
func (r storyRow) merge(in *incoming, feedID string, revision int, current bool) storyRow {
	a := in.a
	if current && in.title != "" {
		r.title, r.titleKey = in.title, in.titleKey
	}
	if r.url == "" {
		r.url = in.canon
	}
	for _, f := range []struct {
		dst *string
		src string
	}{{&r.author, a.Author}, {&r.source, a.Source}, {&r.imageURL, a.ImageURL}, {&r.commentsURL, a.CommentsURL}} {
		if v := strings.TrimSpace(f.src); v != "" {
			*f.dst = v
		}
	}
	if r.externalID == "" {
		r.externalID = strings.TrimSpace(a.ExternalID)
	}
	if r.guid == "" && r.feedID == feedID {
		r.guid = in.guid
	}
	if r.published == 0 {
		r.published = ms(a.Published)
	}
	r.updated = max(r.updated, ms(a.Updated))
	r.revision = revision
	return r
}

// updateStory writes the row and the digest of the copy that changed it.
func updateStory(ctx context.Context, q querier, r storyRow, digest []byte) error {
	_, err := q.ExecContext(ctx, `UPDATE stories SET title = ?, title_key = ?, url = ?, author = ?, source = ?,
		image_url = ?, comments_url = ?, external_id = ?, guid = ?, published = ?, updated = ?, revision = ?,
		copy_digest = ? WHERE id = ?`,
		r.title, r.titleKey, r.url, r.author, r.source, r.imageURL, r.commentsURL, r.externalID, r.guid,
		r.published, r.updated, r.revision, digest, r.id)
	return err
}

// story is the row as a news.Story, with the latest revision's text and
// the comment count: what loadStory would read.
func (r storyRow) story(latest news.Revision, comments int) news.Story {
	return news.Story{
		ID: r.id, FeedID: r.feedID, GUID: r.guid, URL: r.url, Title: r.title, Paragraphs: latest.Paragraphs,
		Author: r.author, Source: r.source, ImageURL: r.imageURL, CommentsURL: r.commentsURL,
		ExternalID: r.externalID, Published: fromMS(r.published), Updated: fromMS(r.updated),
		FirstSeen: fromMS(r.firstSeen), Revision: r.revision, CommentCount: comments, Deleted: r.deleted,
	}
}
