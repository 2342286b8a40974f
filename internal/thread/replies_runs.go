package thread

import (
	"hash/fnv"
)

// Shared runs: a comment that repeats five or more consecutive words of an
// earlier one is usually answering it ("China is getting more and more fed
// up" → "China says they are getting more and more fed up..."), unless the
// words are only filler ("I don't think they did it").
const (
	minRun         = 5 // words in a shared run
	minRunContents = 2 // words in the run that are not stop words
	// maxHolders: a run of words that many comments share is a catch
	// phrase or boilerplate, not a sign of one comment answering another.
	maxHolders = 16
)

// runIndex maps each run of minRun words to the comments containing it.
type runIndex struct {
	shingles [][]uint64       // per comment, the hash of the run starting at each word
	holders  map[uint64][]int // run hash → comments holding it, ascending
}

func newRunIndex(all [][]string) *runIndex {
	ix := &runIndex{shingles: make([][]uint64, len(all)), holders: map[uint64][]int{}}
	for i, ws := range all {
		ix.shingles[i] = shingles(ws)
		seen := map[uint64]bool{}
		for _, h := range ix.shingles[i] {
			if !seen[h] {
				seen[h] = true
				ix.holders[h] = append(ix.holders[h], i)
			}
		}
	}
	return ix
}

func shingles(ws []string) []uint64 {
	if len(ws) < minRun {
		return nil
	}
	out := make([]uint64, len(ws)-minRun+1)
	for p := range out {
		h := fnv.New64a()
		for _, w := range ws[p : p+minRun] {
			h.Write([]byte(w))
			h.Write([]byte{0})
		}
		out[p] = h.Sum64()
	}
	return out
}

// runEvidence finds the earlier comments sharing a run of words with
// comment j; the evidence for each is its longest qualifying run.
func (th *prepared) runEvidence(j int) []evidence {
	best := map[int]int{}   // comment → longest qualifying run, in words
	streak := map[int]int{} // comment → consecutive shingles matched so far
	ws := th.words[j]
	// contents[k] counts the content words of ws[:k], so a run's count is
	// a subtraction however long the run grows.
	contents := make([]int, len(ws)+1)
	for k, w := range ws {
		contents[k+1] = contents[k]
		if !stopWords[w] {
			contents[k+1]++
		}
	}
	for p, h := range th.runs.shingles[j] {
		next := map[int]int{}
		holders := th.runs.holders[h]
		if len(holders) > maxHolders {
			streak = next
			continue
		}
		for _, i := range holders {
			if i >= j {
				break
			}
			if !th.eligible(j, i) {
				continue
			}
			next[i] = streak[i] + 1
			n := next[i] + minRun - 1
			start := p - next[i] + 1
			if n > best[i] && contents[start+n]-contents[start] >= minRunContents {
				best[i] = n
			}
		}
		streak = next
	}
	out := make([]evidence, 0, len(best))
	for i, n := range best {
		out = append(out, evidence{target: i, tier: tierRun, strength: n})
	}
	return out
}
