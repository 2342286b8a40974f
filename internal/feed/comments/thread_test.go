package comments

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// flat builds comments from "id>parent" pairs; ids double as authors.
func flat(spec string) []news.Comment {
	var cs []news.Comment
	for _, f := range strings.Fields(spec) {
		id, parent, _ := strings.Cut(f, ">")
		cs = append(cs, news.Comment{ExternalID: id, ParentID: parent, Author: id})
	}
	return cs
}

// shape writes comments as "author:reply_to/depth" in page order.
func shape(cs []news.Comment) string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s:%d/%d", c.Author, c.ReplyTo, c.Depth))
	}
	return strings.Join(out, " ")
}

func TestArrange(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"tree in document order", "a b>a c>b d e>a", "a:0/0 b:1/1 c:2/2 e:1/1 d:0/0"},
		{"reply listed before its parent", "b>a a", "a:0/0 b:1/1"},
		{"missing parent is top-level", "a b>zz c>b", "a:0/0 b:0/0 c:2/1"},
		{"self parent is top-level", "a>a b>a", "a:0/0 b:1/1"},
		{"two-comment loop", "a>b b>a", "a:0/0 b:1/1"},
		{"three-comment loop with a reply", "x a>c b>a c>b d>b", "x:0/0 a:0/0 b:2/1 c:3/2 d:3/2"},
		{"duplicate ids attach to the first", "a a>zz b>a", "a:0/0 b:1/1 a:0/0"},
		{"story id as parent", "a>t3_post b>a", "a:0/0 b:1/1"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var st Stats
			cs := finish(flat(tt.in), 0, &st)
			checkThread(t, cs)
			if got := shape(cs); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestArrangeSortsByTimeWhenAllHaveOne(t *testing.T) {
	base := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	cs := flat("late early reply>early")
	for i, min := range []int{30, 10, 20} {
		cs[i].PostedAt = base.Add(time.Duration(min) * time.Minute)
	}
	var st Stats
	if got, want := shape(finish(cs, 0, &st)), "early:0/0 reply:1/1 late:0/0"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	cs[2].PostedAt = time.Time{} // one undated comment: keep document order
	if got, want := shape(finish(cs, 0, &st)), "late:0/0 early:0/0 reply:2/1"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestArrangeLongChain(t *testing.T) {
	const n = 200000
	cs := make([]news.Comment, n)
	for i := range cs {
		cs[i] = news.Comment{ExternalID: strconv.Itoa(i), ParentID: strconv.Itoa(i - 1)}
	}
	cs[0].ParentID = strconv.Itoa(n - 1) // and close it into one big loop
	var st Stats
	got := finish(cs, 1000, &st)
	checkThread(t, got)
	if len(got) != 1000 || st.Dropped != n-1000 || got[999].Depth != 999 {
		t.Errorf("got %d comments, %d dropped, last depth %d", len(got), st.Dropped, got[len(got)-1].Depth)
	}
}
