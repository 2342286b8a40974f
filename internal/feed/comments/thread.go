package comments

import (
	"slices"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// number assigns Index 1..n in list order and links each comment to the
// Index of its parent when the parent appears earlier in the list. Only an
// earlier parent counts, which is what makes loops and forward references
// harmless: such a comment is simply top-level.
func number(cs []news.Comment) {
	at := make(map[string]int, len(cs))
	for i := range cs {
		c := &cs[i]
		c.Index, c.ReplyTo, c.Depth = i+1, 0, 0
		if p, ok := at[c.ParentID]; ok && c.ParentID != "" {
			c.ReplyTo = p
			c.Depth = cs[p-1].Depth + 1
		}
		if _, dup := at[c.ExternalID]; c.ExternalID != "" && !dup {
			at[c.ExternalID] = i + 1
		}
	}
}

// arrange puts comments from a flat source (feeds, exports) into page order:
// each top-level comment followed by its replies, depth first, siblings
// oldest first when every comment has a time and in document order
// otherwise. A comment whose parent is unknown is top-level; comments caught
// in a parent loop (A→B→A) are reached from the first of them, which becomes
// top-level.
func arrange(cs []news.Comment) []news.Comment {
	if allTimed(cs) {
		cs = slices.Clone(cs)
		slices.SortStableFunc(cs, func(a, b news.Comment) int { return a.PostedAt.Compare(b.PostedAt) })
	}
	first := make(map[string]int, len(cs))
	for i, c := range cs {
		if _, dup := first[c.ExternalID]; c.ExternalID != "" && !dup {
			first[c.ExternalID] = i
		}
	}
	kids := make([][]int, len(cs))
	root := make([]bool, len(cs))
	for i, c := range cs {
		p, ok := first[c.ParentID]
		if c.ParentID == "" || !ok || p == i {
			root[i] = true
			continue
		}
		kids[p] = append(kids[p], i)
	}
	// A parent loop (A→B→A) hangs off no top-level comment: make the
	// comment where the climb repeats top-level, in its own place.
	seen := make([]bool, len(cs))
	for i := range cs {
		if root[i] {
			preorder(i, kids, seen, nil)
		}
	}
	for i := range cs {
		if !seen[i] {
			r := onLoop(i, cs, first)
			root[r] = true
			preorder(r, kids, seen, nil)
		}
	}
	clear(seen)
	out := make([]news.Comment, 0, len(cs))
	for i := range cs {
		if root[i] {
			preorder(i, kids, seen, func(j int) { out = append(out, cs[j]) })
		}
	}
	return out
}

// preorder visits the tree under start depth first, each comment once,
// with an explicit stack so a long reply chain cannot exhaust the stack.
func preorder(start int, kids [][]int, seen []bool, visit func(int)) {
	stack := []int{start}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[i] {
			continue
		}
		seen[i] = true
		if visit != nil {
			visit(i)
		}
		for k := len(kids[i]) - 1; k >= 0; k-- {
			stack = append(stack, kids[i][k])
		}
	}
}

// onLoop follows parent links from i until a comment repeats and returns
// that comment, which lies on the loop.
func onLoop(i int, cs []news.Comment, first map[string]int) int {
	met := map[int]bool{}
	for !met[i] {
		met[i] = true
		p, ok := first[cs[i].ParentID]
		if !ok || cs[i].ParentID == "" {
			return i // unreachable for comments left over, but never loop forever
		}
		i = p
	}
	return i
}

func allTimed(cs []news.Comment) bool {
	for _, c := range cs {
		if c.PostedAt.IsZero() {
			return false
		}
	}
	return true
}

// finish orders, caps and numbers a flat source's comments.
func finish(cs []news.Comment, maxComments int, st *Stats) []news.Comment {
	cs = capList(arrange(cs), maxComments, st)
	number(cs)
	return cs
}
