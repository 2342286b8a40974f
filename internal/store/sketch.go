package store

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"

	"github.com/newsbot-dev/newsbot/internal/revision"
)

// The content index finds the stories an article may be a copy of by what
// its text shares with theirs: every revision's sketch (its smallest
// winnowed fingerprints, revision.Doc.Sketch) is stored with it, and the
// sketches of the newest sketchWindow revisions are kept in memory, keyed
// by fingerprint. An article's fingerprints are looked up there: a few map
// reads, the same at 100 stories as at 100,000, where an SQL table of keys
// cost an insert per key per story and a query per key per article, more
// than parsing the article. The index catches up with what other
// processes wrote at the start of every save (revisions only ever get
// higher rowids, and SQLite has one writer at a time). PostgreSQL, with
// writers in several processes, keeps the same fingerprints in a table
// and looks them up in SQL (postgres.go), with the same window and the
// same bound on a fingerprint's stories: a B-tree lookup per fingerprint
// in the server costs far less than it did through SQLite's statements.

// sketchWindow is how many of the newest revisions the index holds (a
// variable so tests can narrow it). Copies of a story arrive within days;
// 100,000 revisions of eight keys take about 20 MB.
var sketchWindow int64 = 100_000

// maxPosting bounds the stories kept for one fingerprint: a passage that
// thousands of stories share (a newsletter footer) tells nothing apart, and
// only the newest holders of it are worth weighing.
const maxPosting = 32

// maxContentCandidates bounds the stories an article is compared with.
const maxContentCandidates = 8

// sketchIndex maps fingerprints to the stories whose revisions have them.
type sketchIndex struct {
	mu      sync.Mutex
	loaded  bool
	last    int64              // highest revision rowid read
	one     map[uint64]int64   // fingerprint → the story holding it, when one does
	many    map[uint64][]int64 // fingerprint → the stories holding it, oldest first
	entries int
}

func newSketchIndex() *sketchIndex {
	return &sketchIndex{one: map[uint64]int64{}, many: map[uint64][]int64{}}
}

// add files a revision's sketch under its story.
func (x *sketchIndex) add(storyID int64, keys []uint64) {
	for _, k := range keys {
		if first, ok := x.one[k]; ok {
			if first == storyID {
				continue
			}
			delete(x.one, k)
			x.many[k] = []int64{first, storyID}
			x.entries++
			continue
		}
		if ids, ok := x.many[k]; ok {
			if slices.Contains(ids, storyID) {
				continue
			}
			if len(ids) >= maxPosting {
				ids = ids[1:]
				x.entries--
			}
			x.many[k] = append(ids, storyID)
			x.entries++
			continue
		}
		x.one[k] = storyID
		x.entries++
	}
}

// catchUp reads the sketches of revisions stored since the index last
// looked, all of the window the first time, and starts over when the
// index has grown to twice the window.
func (x *sketchIndex) catchUp(ctx context.Context, q querier) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.loaded && int64(x.entries) > 2*sketchWindow*8 {
		x.one, x.many, x.entries, x.loaded = map[uint64]int64{}, map[uint64][]int64{}, 0, false
	}
	from := x.last
	if !x.loaded {
		var top int64
		if err := q.QueryRowContext(ctx, "SELECT COALESCE(MAX(rowid), 0) FROM revisions").Scan(&top); err != nil {
			return err
		}
		from = max(0, top-sketchWindow)
	}
	rows, err := q.QueryContext(ctx, "SELECT rowid, story_id, sketch FROM revisions WHERE rowid > ? ORDER BY rowid", from)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rowid, story int64
		var blob []byte
		if err := rows.Scan(&rowid, &story, &blob); err != nil {
			return err
		}
		x.add(story, decodeSketch(blob))
		x.last = rowid
	}
	if err := rows.Err(); err != nil {
		return err
	}
	x.loaded = true
	return nil
}

// lookup counts, for each story, how many of fps its sketches hold.
func (x *sketchIndex) lookup(fps []uint64, hits map[int64]int) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, f := range fps {
		if id, ok := x.one[f]; ok {
			hits[id]++
			continue
		}
		for _, id := range x.many[f] {
			hits[id]++
		}
	}
}

// pendingSketches are the sketches a transaction stored: seen by its own
// later lookups, and added to the index once it commits.
type pendingSketches struct {
	idx      *sketchIndex
	last     int64
	adds     []sketchAdd
	caughtUp bool // the shared index has read what others wrote
}

type sketchAdd struct {
	story int64
	keys  []uint64
}

func (p *pendingSketches) add(rowid, story int64, keys []uint64) {
	p.last = max(p.last, rowid)
	p.adds = append(p.adds, sketchAdd{story, keys})
	if p.idx == nil {
		p.idx = newSketchIndex()
	}
	p.idx.add(story, keys)
}

// commit files the transaction's sketches in the shared index, when the
// index is current: otherwise its next catch-up reads them back.
func (p *pendingSketches) commit(x *sketchIndex) {
	if len(p.adds) == 0 {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if !x.loaded || !p.caughtUp {
		return
	}
	for _, a := range p.adds {
		x.add(a.story, a.keys)
	}
	x.last = max(x.last, p.last)
}

// contentIndex finds the stories whose revisions' sketches hold an
// article's fingerprints: in memory on SQLite (memoryContent), in a table
// on PostgreSQL (postgres.go), where other processes write revisions too
// and no process could keep a copy current.
type contentIndex interface {
	// hits counts, for each story, how many of fps its sketches hold.
	hits(ctx context.Context, t *txn, fps []uint64, hits map[int64]int) error
	// column is a sketch as the revisions table stores it.
	column(keys []uint64) any
	// stored and committed follow a transaction's new revisions.
	stored(ctx context.Context, t *txn, rowid, story int64, keys []uint64) error
	committed(t *txn)
}

// memoryContent is the content index in memory, for SQLite.
type memoryContent struct{ x *sketchIndex }

// hits catches the index up with the database first, once per
// transaction: only an article that no GUID or URL identifies pays for it.
func (m memoryContent) hits(ctx context.Context, t *txn, fps []uint64, hits map[int64]int) error {
	if !t.sketches.caughtUp {
		if err := m.x.catchUp(ctx, t); err != nil {
			return err
		}
		t.sketches.caughtUp = true
	}
	m.x.lookup(fps, hits)
	if t.sketches.idx != nil {
		t.sketches.idx.lookup(fps, hits)
	}
	return nil
}

func (memoryContent) column(keys []uint64) any { return encodeSketch(keys) }

func (memoryContent) stored(_ context.Context, t *txn, rowid, story int64, keys []uint64) error {
	t.sketches.add(rowid, story, keys)
	return nil
}

func (m memoryContent) committed(t *txn) { t.sketches.commit(m.x) }

// contentCandidates returns the stories whose sketches meet fps, the most
// fingerprints shared first, then the newest.
func contentCandidates(ctx context.Context, t *txn, fps []uint64) ([]int64, error) {
	if len(fps) == 0 {
		return nil, nil
	}
	hits := map[int64]int{}
	if err := t.db.e.content().hits(ctx, t, fps, hits); err != nil {
		return nil, fmt.Errorf("read content index: %w", err)
	}
	ids := make([]int64, 0, len(hits))
	for id := range hits {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int64) int {
		if c := cmp.Compare(hits[b], hits[a]); c != 0 {
			return c
		}
		return cmp.Compare(b, a)
	})
	return ids[:min(len(ids), maxContentCandidates)], nil
}

func encodeSketch(keys []uint64) []byte {
	b := make([]byte, 8*len(keys))
	for i, k := range keys {
		binary.LittleEndian.PutUint64(b[8*i:], k)
	}
	return b
}

func decodeSketch(b []byte) []uint64 {
	keys := make([]uint64, len(b)/8)
	for i := range keys {
		keys[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return keys
}

// fillSketches stores the sketch of every revision that has none, from
// its stored text: the Go step of the migration that adds the column.
func fillSketches(ctx context.Context, t boundTx) error {
	return rewriteRows(ctx, t, "SELECT rowid, text FROM revisions WHERE sketch IS NULL ORDER BY rowid",
		"UPDATE revisions SET sketch = ? WHERE rowid = ?", func(rowid int64, text string) []any {
			return []any{encodeSketch(revision.NewDoc("", splitText(text)).Sketch(revision.SketchSize)), rowid}
		})
}
