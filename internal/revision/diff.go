package revision

import "strings"

// maxLCSCells bounds the LCS table so a hostile page with tens of thousands
// of paragraphs cannot exhaust memory; beyond it Diff falls back to
// matching paragraphs as a multiset, which is exact except for moves.
const maxLCSCells = 4 << 20

// Diff compares two texts paragraph by paragraph, after Normalize, and
// returns the paragraphs of new that old lacks and those of old that new
// lacks, each in its text's order. A paragraph that was edited appears in
// both: its old wording in removed, its new one in added. Returned
// paragraphs are the callers' own text (trimmed), not the normalised form,
// so they can be shown as the site wrote them.
func Diff(old, new []string) (added, removed []string) {
	on, ofrom := normalizeIndexed(old)
	nn, nfrom := normalizeIndexed(new)
	keepOld, keepNew := matchParagraphs(on, nn)
	for i, kept := range keepOld {
		if !kept {
			removed = append(removed, strings.TrimSpace(old[ofrom[i]]))
		}
	}
	for j, kept := range keepNew {
		if !kept {
			added = append(added, strings.TrimSpace(new[nfrom[j]]))
		}
	}
	return added, removed
}

// matchParagraphs marks the paragraphs of a and b that belong to a longest
// common subsequence.
func matchParagraphs(a, b []string) (inA, inB []bool) {
	inA, inB = make([]bool, len(a)), make([]bool, len(b))
	lo := 0
	for lo < len(a) && lo < len(b) && a[lo] == b[lo] {
		inA[lo], inB[lo] = true, true
		lo++
	}
	ha, hb := len(a), len(b)
	for ha > lo && hb > lo && a[ha-1] == b[hb-1] {
		ha--
		hb--
		inA[ha], inB[hb] = true, true
	}
	ma, mb := a[lo:ha], b[lo:hb]
	if len(ma)*len(mb) > maxLCSCells {
		multisetMatch(ma, mb, inA[lo:ha], inB[lo:hb])
		return inA, inB
	}
	lcsMatch(ma, mb, inA[lo:ha], inB[lo:hb])
	return inA, inB
}

func lcsMatch(a, b []string, inA, inB []bool) {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return
	}
	// t[i][j] is the LCS length of a[i:] and b[j:].
	t := make([][]int32, n+1)
	for i := range t {
		t[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case a[i] == b[j]:
				t[i][j] = t[i+1][j+1] + 1
			case t[i+1][j] >= t[i][j+1]:
				t[i][j] = t[i+1][j]
			default:
				t[i][j] = t[i][j+1]
			}
		}
	}
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i] == b[j]:
			inA[i], inB[j] = true, true
			i++
			j++
		case t[i+1][j] >= t[i][j+1]:
			i++
		default:
			j++
		}
	}
}

func multisetMatch(a, b []string, inA, inB []bool) {
	avail := map[string][]int{}
	for i, p := range a {
		avail[p] = append(avail[p], i)
	}
	for j, p := range b {
		if idx := avail[p]; len(idx) > 0 {
			inA[idx[0]], inB[j] = true, true
			avail[p] = idx[1:]
		}
	}
}
