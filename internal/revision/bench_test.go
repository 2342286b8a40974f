package revision

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The benchmarks run what the store runs for every new article of an
// import (internal/store/incoming.go, articles.go): CanonicalURL and
// TitleKey on prepare, Normalize, NewDoc, Fingerprints and Sketch to find
// and index the copy, HashNormalized to file its revision. Each op is one
// article of a generated feed shaped like internal/bench's 5,000-item RSS
// file: 50-150 words in paragraphs of 15-39, headlines of 6-11 words.

// benchArticle is one generated article.
type benchArticle struct {
	url, title string
	paras      []string
}

// benchCorpus is 500 articles (enough that the CPU caches do not hold
// them all) of words drawn, with news text's skewed frequencies, from the
// stories of testdata/identity.
func benchCorpus(b *testing.B) []benchArticle {
	b.Helper()
	vocab := benchVocabulary(b)
	rng := rand.New(rand.NewPCG(2026, 10))
	zipf := rand.NewZipf(rng, 1.05, 4, uint64(len(vocab)-1))
	sentence := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = vocab[zipf.Uint64()]
		}
		s := strings.Join(ws, " ")
		if rng.IntN(4) == 0 {
			s += fmt.Sprintf(", %d", 2+rng.IntN(2000))
		}
		return strings.ToUpper(s[:1]) + s[1:] + "."
	}
	// Editors' markers on a few headlines, as real feeds carry them.
	markers := []string{"%s (updated)", "UPDATE: %s", "%s [Update 2]", "Exclusive: %s", "%s - Video"}
	out := make([]benchArticle, 500)
	for i := range out {
		a := &out[i]
		a.title = strings.TrimSuffix(sentence(6+rng.IntN(6)), ".")
		if rng.IntN(20) == 0 {
			a.title = fmt.Sprintf(markers[rng.IntN(len(markers))], a.title)
		}
		a.url = fmt.Sprintf("https://courier.example/2026/11/story-%d?utm_source=rss&id=%d", i, i)
		for words := 50 + rng.IntN(101); words > 0; {
			var sents []string
			for pw := min(words, 15+rng.IntN(25)); pw > 0; {
				sw := min(pw, 8+rng.IntN(14))
				sents = append(sents, sentence(sw))
				pw -= sw
				words -= sw
			}
			a.paras = append(a.paras, strings.Join(sents, " "))
		}
	}
	return out
}

// benchVocabulary is the words of the identity stories, most frequent
// first, as written (case and punctuation kept).
func benchVocabulary(b *testing.B) []string {
	files, err := filepath.Glob(filepath.Join("testdata", "identity", "*.txt"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no identity stories for the benchmark vocabulary: %v", err)
	}
	count := map[string]int{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		for _, w := range strings.Fields(string(data)) {
			count[w]++
		}
	}
	vocab := make([]string, 0, len(count))
	for w := range count {
		vocab = append(vocab, w)
	}
	slices.SortFunc(vocab, func(x, y string) int {
		if c := count[y] - count[x]; c != 0 {
			return c
		}
		return strings.Compare(x, y)
	})
	return vocab
}

var benchSink any

// BenchmarkArticle is revision's whole share of saving one new article.
func BenchmarkArticle(b *testing.B) {
	corpus := benchCorpus(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		a := &corpus[i%len(corpus)]
		canon := CanonicalURL(a.url)
		key := TitleKey(a.title)
		norm := Normalize(a.paras)
		d := NewDoc(key, norm)
		d.Fingerprints()
		benchSink = [...]any{canon, d.Sketch(SketchSize), HashNormalized(a.title, norm)}
	}
}

func BenchmarkTitleKey(b *testing.B) {
	corpus := benchCorpus(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		benchSink = TitleKey(corpus[i%len(corpus)].title)
	}
}

func BenchmarkNormalize(b *testing.B) {
	corpus := benchCorpus(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		benchSink = Normalize(corpus[i%len(corpus)].paras)
	}
}

// BenchmarkDoc is NewDoc and its fingerprints over normalised text.
func BenchmarkDoc(b *testing.B) {
	corpus := benchCorpus(b)
	norms := normalizedCorpus(corpus)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		d := NewDoc("key", norms[i%len(norms)])
		benchSink = d.Sketch(SketchSize)
	}
}

func BenchmarkHashNormalized(b *testing.B) {
	corpus := benchCorpus(b)
	norms := normalizedCorpus(corpus)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		benchSink = HashNormalized(corpus[i%len(corpus)].title, norms[i%len(norms)])
	}
}

// normalizedCorpus is each article's text as Normalize returns it, made
// before a benchmark's timer starts.
func normalizedCorpus(corpus []benchArticle) [][]string {
	norms := make([][]string, len(corpus))
	for i, a := range corpus {
		norms[i] = Normalize(a.paras)
	}
	return norms
}

func BenchmarkCanonicalURL(b *testing.B) {
	corpus := benchCorpus(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		benchSink = CanonicalURL(corpus[i%len(corpus)].url)
	}
}
