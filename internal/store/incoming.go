package store

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/revision"
)

// incoming is an article prepared once for everything a save compares:
// trimmed fields, canonical URL, title key, the digest of the copy, and,
// when the copy is not one seen before, its normalised text.
type incoming struct {
	a        news.Article
	title    string
	guid     string
	canon    string
	titleKey string
	digest   []byte
	norm     []string // revision.Normalize(a.Paragraphs), once normalized has run
	text     string   // norm as stored: joined by blank lines
	normDone bool
	d        *revision.Doc
}

func prepare(a news.Article, feedID string) *incoming {
	a = cleanArticle(a)
	in := &incoming{
		a:     a,
		title: strings.TrimSpace(a.Title),
		guid:  strings.TrimSpace(a.GUID),
		canon: revision.CanonicalURL(a.URL),
	}
	in.titleKey = revision.TitleKey(in.title)
	in.digest = copyDigest(a, feedID)
	return in
}

// normalized is the article's text as compared, computed on first use: a
// copy seen before as it is never needs it.
func (in *incoming) normalized() []string {
	if !in.normDone {
		in.norm, in.text = normText(in.a.Paragraphs)
		in.normDone = true
	}
	return in.norm
}

// doc is the article as revision.Same compares it, made on first use.
func (in *incoming) doc() *revision.Doc {
	if in.d == nil {
		in.d = revision.NewDoc(in.titleKey, in.normalized())
	}
	return in.d
}

// copyDigest identifies a copy exactly as it came, with every field a save
// reads and the feed it came by (which decides what a GUID means): a copy
// with the digest of the last one written would change nothing.
func copyDigest(a news.Article, feedID string) []byte {
	h := sha256.New()
	field := func(s string) {
		var n [binary.MaxVarintLen64]byte
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		h.Write([]byte(s))
	}
	for _, s := range []string{feedID, a.GUID, a.URL, a.Title, a.Author, a.Source, a.ImageURL, a.CommentsURL,
		a.ExternalID, strconv.FormatInt(ms(a.Published), 10), strconv.FormatInt(ms(a.Updated), 10)} {
		field(s)
	}
	field(strconv.Itoa(len(a.Paragraphs)))
	for _, p := range a.Paragraphs {
		field(p)
	}
	return h.Sum(nil)
}

// digestFor is the digest a save writes for a copy: the copy's, when the
// latest revision's paragraphs are the copy's own (so that a copy seen
// again as it is can be answered without reading them), else none.
func digestFor(in *incoming, latest []string) []byte {
	if equalStrings(latest, in.a.Paragraphs) {
		return in.digest
	}
	return nil
}

// normText is paragraphs normalised, and joined as the search index and
// the comparisons take them: by blank lines.
func normText(paras []string) ([]string, string) {
	norm := revision.Normalize(paras)
	return norm, strings.Join(norm, "\n\n")
}
