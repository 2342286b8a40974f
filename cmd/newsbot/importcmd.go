package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/newsbot-dev/newsbot/internal/feed"
	"github.com/newsbot-dev/newsbot/internal/feed/page"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

func init() {
	register(command{
		name:    "import",
		usage:   "[--db PATH] [--now RFC3339] [--create] FILE...",
		summary: "load page dumps, HTML pages, feeds, Reddit/HN threads and comment exports into the database",
		run:     runImport,
	})
}

// maxImport caps what import reads of one file: generous for a feed, and
// a 50 MB "page" is refused before it is read whole.
const maxImport = 10 << 20

// importResult is one line of import's output: the contract DESIGN.md
// documents for outside checks.
// The story fields describe the file's first story; a feed document lists
// every entry under stories as well.
type importResult struct {
	File string `json:"file"`
	importedStory
	Stories []importedStory  `json:"stories,omitempty"` // every entry, for feed documents
	Skipped int              `json:"skipped,omitempty"` // feed entries with nothing to store
	Threads []importedThread `json:"threads,omitempty"` // comment exports: each discussion and its story
}

// importedStory is what importing did to one story.
type importedStory struct {
	Story    int64       `json:"story"`
	Status   news.Status `json:"status"`
	Revision int         `json:"revision"`
	Title    string      `json:"title"`
	Comments int         `json:"comments"`
	Added    []string    `json:"added"`
	Removed  []string    `json:"removed"`
}

func runImport(ctx context.Context, env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "import")
	dbPath := fs.String("db", "newsbot.db", "SQLite database `path` or postgres:// URL")
	nowFlag := fs.String("now", "", "resolve relative ages such as \"2138d ago\" against this `RFC3339` time (default: now)")
	create := fs.Bool("create", false, "store each thread of a comment export whose story is not stored as a story of its own")
	if err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: no FILE to import", errUsage)
	}
	now := time.Now()
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return fmt.Errorf("%w: --now %q is not an RFC 3339 time like 2020-11-01T00:00:00Z", errUsage, *nowFlag)
		}
		now = t
	}
	db, err := store.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	enc := json.NewEncoder(env.stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	for _, file := range fs.Args() {
		res, err := importFile(ctx, db, file, now, *create, env.stderr)
		if err != nil {
			fmt.Fprintf(env.stderr, "newsbot import: %v\n", err)
			failed++
			continue
		}
		if err := enc.Encode(res); err != nil {
			return err
		}
	}
	if failed > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d of %d files not imported", failed, fs.NArg())}
	}
	return nil
}

// importFile loads one file; nothing is stored unless it parses.
func importFile(ctx context.Context, db *store.DB, file string, now time.Time, create bool, notes io.Writer) (importResult, error) {
	data, err := readCapped(file, maxImport)
	if err != nil {
		return importResult{}, err
	}
	if parse, kind := exportKind(data); parse != nil {
		return importExport(ctx, db, file, data, now, create, parse, kind)
	}
	var articles []news.Article
	switch kind := feed.Detect(data); {
	case kind == feed.KindRSS, kind == feed.KindAtom, kind == feed.KindJSON:
		_, articles, err = feed.ParseFeed(data, "")
		if err != nil {
			return importResult{}, fmt.Errorf("%s: %w", file, err)
		}
	case looksJSON(data):
		if articles, err = jsonArticles(file, data, notes); err != nil {
			return importResult{}, err
		}
	default:
		a, err := page.Parse(bytes.NewReader(data), page.Options{Now: now})
		if err != nil {
			return importResult{}, fmt.Errorf("%s: %w", file, err)
		}
		if a.Title == "" {
			return importResult{}, fmt.Errorf("%s: no title line found: a page dump starts with the story's title (the first line), then its paragraphs "+
				"(import also reads HTML pages, RSS, Atom and JSON feeds, comment exports, Reddit and Hacker News JSON and JSON lines of threads)", file)
		}
		articles = []news.Article{a}
	}
	out := newImportResult(file)
	var keep []news.Article
	for _, a := range articles {
		if a.Title == "" && a.URL == "" && a.GUID == "" && len(a.Paragraphs) == 0 {
			// A feed entry with no title, link, id or text is nothing a
			// reader could ever be shown; skipping it loses nothing.
			out.Skipped++
			continue
		}
		keep = append(keep, a)
	}
	// One transaction per file: a file is imported whole or not at all.
	rs, err := db.SaveArticles(ctx, keep, store.SaveOptions{Now: now})
	if err != nil {
		return importResult{}, fmt.Errorf("%s: %w", file, err)
	}
	for _, r := range rs {
		out.add(r, len(articles) > 1)
	}
	return out, nil
}

// add folds one saved story into the file's result: the first story gives
// the top-level fields, and a document of several lists each under stories.
func (out *importResult) add(r news.SaveResult, many bool) {
	s := importedStory{
		Story: r.Story.ID, Status: r.Status, Revision: r.Revision.Number, Title: r.Story.Title,
		Comments: r.Comments, Added: []string{}, Removed: []string{},
	}
	if r.Status == news.StatusUpdated {
		s.Added = append(s.Added, r.Revision.Added...)
		s.Removed = append(s.Removed, r.Revision.Removed...)
	}
	// A document is new if it brought any new story, else updated if it
	// changed any.
	status := out.Status
	if r.Status == news.StatusNew || (r.Status == news.StatusUpdated && status == news.StatusUnchanged) {
		status = r.Status
	}
	if out.Story == 0 {
		out.importedStory = s
	}
	out.Status = status
	if many {
		out.Stories = append(out.Stories, s)
	}
}

func newImportResult(file string) importResult {
	return importResult{File: file, importedStory: importedStory{Status: news.StatusUnchanged, Added: []string{}, Removed: []string{}}}
}

// readCapped reads a whole file unless it is larger than max, which it
// refuses without reading it all.
func readCapped(file string, max int64) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: larger than the %d MiB import limit: %w", file, max>>20, page.ErrTooLarge)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: %w", file, page.ErrEmpty)
	}
	return data, nil
}

// looksJSON reports a document that starts with a whole JSON object or
// array: a page dump whose title starts with "[" is still a page.
func looksJSON(data []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(bytes.TrimSpace(data), []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(t) == 0 || (t[0] != '{' && t[0] != '[') {
		return false
	}
	var first json.RawMessage
	return json.NewDecoder(bytes.NewReader(t)).Decode(&first) == nil
}
