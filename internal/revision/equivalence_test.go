package revision

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The speed work of issue 10 must not change one result: these compare
// the functions rewritten for it with the code they replaced
// (reference_test.go), on tricky strings, on the identity stories, and
// under the fuzzer.

var equivalenceSeeds = []string{
	"", " ", "UPDATE 2: x (updated) [Update] - Updated", "U.S. 17.1 don't", "(((((", "é\u0301",
	"North Korea denies attacking Sony (Updated 3:45 p.m. ET), offers to help investigate",
	"BREAKING NEWS — Minister resigns", "Minister resigns – VIDEO", "Photos: the flood | Exclusive",
	"Café owner’s crème brûlée wins", "ÉLECTIONS À PARIS", "\u212a\u0130 Breaking: \u017fo", "Excluſive: x",
	"1,000,000 people; iOS 17.1, 17.2 and .5 and 5.", "a.b.c x'y'z \xff\xfe bad", "tab\there  two  spaces ",
	"`quoted` and “curly” text\u00ad\u200b", "Ⱥ ⱥ ẞ ß", strings.Repeat("longword", 20) + " 2026",
	"Read more »", "12 comments", "Share Tweet Email", "see https://x.example/a?utm_source=rss&id=2.",
}

func TestRewritesMatchReference(t *testing.T) {
	inputs := slices.Clone(equivalenceSeeds)
	files, _ := filepath.Glob(filepath.Join("testdata", "identity", "*.txt"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, string(data))
		inputs = append(inputs, strings.Split(string(data), "\n")...)
	}
	for _, s := range inputs {
		checkTitleMatchesReference(t, s)
		checkTextMatchesReference(t, s, strings.Split(s, "\n"))
	}
	// A text too long for one hashing buffer or one rune buffer.
	long := strings.Repeat(strings.Join(inputs, " "), 40)
	checkTextMatchesReference(t, "long", []string{long, long[:len(long)/3]})
}

func FuzzTitleKeyMatchesReference(f *testing.F) {
	for _, s := range equivalenceSeeds {
		f.Add(s)
	}
	f.Fuzz(checkTitleMatchesReference)
}

func FuzzTextMatchesReference(f *testing.F) {
	for _, s := range equivalenceSeeds {
		f.Add(s, s+"\n"+s)
	}
	f.Fuzz(func(t *testing.T, title, text string) {
		checkTextMatchesReference(t, title, strings.Split(text, "\n"))
	})
}

func checkTitleMatchesReference(t *testing.T, s string) {
	t.Helper()
	if got, want := TitleKey(s), refTitleKey(s); got != want {
		t.Fatalf("TitleKey(%q) = %q, reference %q", s, got, want)
	}
	if got, want := words(s), refWords(s); !slices.Equal(got, want) {
		t.Fatalf("words(%q) = %q, reference %q", s, got, want)
	}
	if got, want := isClean(s), refIsClean(s); got != want {
		t.Fatalf("isClean(%q) = %v, reference %v", s, got, want)
	}
}

func checkTextMatchesReference(t *testing.T, title string, paras []string) {
	t.Helper()
	norm := Normalize(paras)
	if want := refNormalize(paras); !slices.Equal(norm, want) || (norm == nil) != (want == nil) {
		t.Fatalf("Normalize(%q) = %q, reference %q", paras, norm, want)
	}
	if got, want := HashNormalized(title, norm), refHashNormalized(title, norm); got != want {
		t.Fatalf("HashNormalized(%q, %q) = %s, reference %s", title, norm, got, want)
	}
	d := NewDoc("k", norm)
	hashes, nums := refDocWords(norm)
	if !slices.Equal(d.words, hashes) {
		t.Fatalf("NewDoc(%q) words = %x, reference %x", norm, d.words, hashes)
	}
	if want := slices.Sorted(maps.Keys(nums)); !slices.Equal(d.textNums, want) {
		t.Fatalf("NewDoc(%q) numbers = %q, reference %q", norm, d.textNums, want)
	}
	shingles := shingleHashes(hashes, min(shingleSize, len(hashes)))
	if want := refWinnow(slices.Clone(shingles)); !slices.Equal(d.Fingerprints(), want) {
		t.Fatalf("Fingerprints(%q) = %x, reference %x", norm, d.Fingerprints(), want)
	}
}
