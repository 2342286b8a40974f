package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// A save compares each article with the stored stories it may be a copy
// of. Reading them one article at a time cost a query per article, and
// the columns of a wide row cost more than the query; a batch reads them
// all at once instead (loadView): the 20 newest stories under each GUID,
// URL and headline of its articles, in one statement, lean — the story
// row and its latest revision's short columns. Text is read only for the
// stories an article must be compared with. The view is kept current as
// the batch writes (put), so each article sees the ones saved before it,
// as it would if each were saved alone.

// storyState is a stored story as a save needs it.
type storyState struct {
	storyRow
	digest   []byte         // of the last copy written whose text is the latest revision's
	latest   storedRevision // the latest revision; Paragraphs and text once loaded
	lists    [2]string      // its added and removed paragraphs as stored, until parsed
	parsed   bool           // lists parsed into latest
	hasParas bool           // latest.Paragraphs known
	hasText  bool           // latest.Paragraphs and latest.text loaded
	comments int
}

// stateColumns select a storyState from stories s joined to its latest
// revision r, text left out.
const stateColumns = storyRowColumns + `, s.copy_digest, r.title, r.hash, r.source_url, r.seen_at, r.added,
	r.removed, r.old_title, (SELECT COUNT(*) FROM comments c WHERE c.story_id = s.id)
	FROM stories s JOIN revisions r ON r.story_id = s.id AND r.number = s.revision`

func scanState(row scanner) (*storyState, error) {
	s := &storyState{}
	var seen int64
	err := row.Scan(&s.id, &s.feedID, &s.guid, &s.url, &s.title, &s.titleKey, &s.author, &s.source,
		&s.imageURL, &s.commentsURL, &s.externalID, &s.published, &s.updated, &s.firstSeen, &s.revision,
		&s.deleted, &s.digest, &s.latest.Title, &s.latest.Hash, &s.latest.SourceURL, &seen,
		&s.lists[0], &s.lists[1], &s.latest.OldTitle, &s.comments)
	s.latest.StoryID, s.latest.Number, s.latest.SeenAt = s.id, s.revision, fromMS(seen)
	return s, err
}

// loadText reads the latest revision's paragraphs and normalised text.
func (s *storyState) loadText(ctx context.Context, q querier) error {
	if s.hasText {
		return nil
	}
	var body string
	err := q.QueryRowContext(ctx, "SELECT body FROM revisions WHERE story_id = ? AND number = ?", s.id, s.revision).
		Scan(&body)
	if err == nil {
		s.latest.Paragraphs, err = parseList(body)
	}
	if err != nil {
		return fmt.Errorf("text of story %d: %w", s.id, err)
	}
	s.latest.norm, s.latest.text = normText(s.latest.Paragraphs)
	s.hasText, s.hasParas = true, true
	return nil
}

// rev is the latest revision; its paragraphs must be loaded, or
// given when the caller knows them (a copy seen as it is has the stored
// paragraphs).
func (s *storyState) rev() (news.Revision, error) {
	if !s.parsed {
		var err error
		for i, dst := range []*[]string{&s.latest.Added, &s.latest.Removed} {
			if *dst, err = parseList(s.lists[i]); err != nil {
				return news.Revision{}, fmt.Errorf("revision %d of story %d: %w", s.revision, s.id, err)
			}
		}
		s.parsed = true
	}
	return s.latest.Revision, nil
}

// seenAsIs reports a copy identical to the last one written, whose text
// is the latest revision's: filing it again would change nothing.
func (s *storyState) seenAsIs(in *incoming) bool {
	return len(s.digest) > 0 && bytes.Equal(s.digest, in.digest)
}

// batchView is what a batch knows of the stored stories its articles may
// match, kept current as it writes.
type batchView struct {
	byID map[int64]*storyState
	keys [3]map[string][]int64 // by GUID, URL and title key
}

const (
	byGUID = iota
	byURL
	byTitle
)

// viewColumns are the columns a batch looks stories up by, by index.
var viewColumns = [3]string{"guid", "url", "title_key"}

// viewQuery reads the 20 newest stories under each of the GUIDs, URLs or
// title keys given as a JSON array (values: the engine's subquery of its
// strings).
func viewQuery(column, values string) string {
	return "SELECT " + stateColumns + ` WHERE s.id IN (SELECT id FROM (SELECT id,
		row_number() OVER (PARTITION BY ` + column + ` ORDER BY id DESC) AS n FROM stories
		WHERE ` + column + ` IN (` + values + `)) AS newest WHERE n <= 20)`
}

// loadView reads the stories a batch of articles may match: by GUID, then
// by URL for the articles no GUID identifies, then by headline for the
// rest. (What identifies an article now still will when its turn comes:
// a story's GUID and URL, once set, never change.)
func loadView(ctx context.Context, q querier, ins []*incoming, feedID string) (*batchView, error) {
	// Every article of the batch ends in the view, read or saved: sized
	// for them at once, the maps are not rebuilt as they grow.
	v := &batchView{byID: make(map[int64]*storyState, len(ins))}
	for i := range v.keys {
		v.keys[i] = make(map[string][]int64, len(ins))
	}
	for kind := range v.keys {
		var set []string
		for _, in := range ins {
			if k := in.keys()[kind]; k != "" && (kind == byGUID || !v.identifies(in, feedID)) {
				set = append(set, k)
			}
		}
		if len(set) == 0 {
			continue
		}
		slices.Sort(set)
		arg, err := json.Marshal(slices.Compact(set))
		if err != nil {
			return nil, err
		}
		if err := v.load(ctx, q, viewQuery(viewColumns[kind], q.eng().jsonValues()), string(arg)); err != nil {
			return nil, err
		}
	}
	return v, nil
}

func (v *batchView) load(ctx context.Context, q querier, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		s, err := scanState(rows)
		if err != nil {
			return err
		}
		if _, ok := v.byID[s.id]; !ok {
			v.put(s)
		}
	}
	return rows.Err()
}

// identifies reports whether a story in the view is the article's by GUID
// or URL, as findStory decides.
func (v *batchView) identifies(in *incoming, feedID string) bool {
	for _, c := range v.under(byGUID, in.guid) {
		if sameGUIDScope(c.storyRow, in, feedID) {
			return true
		}
	}
	for _, c := range v.under(byURL, in.canon) {
		if !guidConflict(c.storyRow, in, feedID) {
			return true
		}
	}
	return false
}

func (in *incoming) keys() [3]string { return [3]string{in.guid, in.canon, in.titleKey} }

func (s *storyState) keys() [3]string { return [3]string{s.guid, s.url, s.titleKey} }

// put files a story's current state, replacing what the view had of it.
func (v *batchView) put(s *storyState) {
	if old, ok := v.byID[s.id]; ok {
		for i, k := range old.keys() {
			v.keys[i][k] = slices.DeleteFunc(v.keys[i][k], func(id int64) bool { return id == s.id })
		}
	}
	v.byID[s.id] = s
	for i, k := range s.keys() {
		if k != "" {
			v.keys[i][k] = append(v.keys[i][k], s.id)
		}
	}
}

// under returns the 20 newest stories under a key, newest first.
func (v *batchView) under(kind int, key string) []*storyState {
	if key == "" {
		return nil
	}
	ids := slices.Clone(v.keys[kind][key])
	slices.SortFunc(ids, func(a, b int64) int { return cmp.Compare(b, a) })
	out := make([]*storyState, 0, min(len(ids), 20))
	for _, id := range ids[:min(len(ids), 20)] {
		out = append(out, v.byID[id])
	}
	return out
}

// story returns a story by id, from the view or else from the database.
func (v *batchView) story(ctx context.Context, q querier, id int64) (*storyState, error) {
	if s, ok := v.byID[id]; ok {
		return s, nil
	}
	s, err := scanState(q.QueryRowContext(ctx, "SELECT "+stateColumns+" WHERE s.id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("story %d: %w", id, err)
	}
	v.put(s)
	return s, nil
}
