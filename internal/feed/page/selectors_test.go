package page

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// selectorCases are the golden cases: a fixture in testdata/comments and
// the selectors a feed would configure for it.
var selectorCases = []struct {
	name, file string
	sel        Selectors
}{
	{"wordpress", "wordpress.html", Selectors{Container: "li.comment", Author: ".comment-author .fn",
		Time: ".comment-metadata time", Body: ".comment-content"}},
	{"wordpress-own-text", "wordpress.html", Selectors{Container: "li.comment", Author: ".comment-author",
		Time: ".comment-metadata"}},
	{"disqus", "disqus.html", Selectors{Container: "li.post", Author: ".author", Time: ".time-ago",
		Body: ".post-message", Parent: "data-parent"}},
	{"hostile", "hostile.html", Selectors{Container: ".c", Author: ".who", Time: ".when", Body: ".text",
		Parent: "data-parent"}},
	{"flat", "flat.html", Selectors{Container: ".letter", Author: ".name"}},
	{"replylinks", "replylinks.html", Selectors{Container: "article.comment", Author: "header .name",
		Time: "header time", Body: ".content", Parent: ".reply-to"}},
}

// goldenThread is the JSON shape of a CommentList in the golden files.
type goldenThread struct {
	Found    int                   `json:"found"`
	Skipped  int                   `json:"skipped"`
	Dropped  int                   `json:"dropped"`
	Comments []goldenThreadComment `json:"comments"`
}

type goldenThreadComment struct {
	Index      int        `json:"index"`
	ExternalID string     `json:"external_id,omitempty"`
	ParentID   string     `json:"parent_id,omitempty"`
	ReplyTo    int        `json:"reply_to"`
	Depth      int        `json:"depth"`
	Author     string     `json:"author"`
	PostedAt   *time.Time `json:"posted_at"`
	Deleted    bool       `json:"deleted,omitempty"`
	Body       string     `json:"body"`
}

func toGoldenThread(l CommentList) goldenThread {
	g := goldenThread{Found: l.Found, Skipped: l.Skipped, Dropped: l.Dropped, Comments: []goldenThreadComment{}}
	for _, c := range l.Comments {
		g.Comments = append(g.Comments, goldenThreadComment{Index: c.Index, ExternalID: c.ExternalID,
			ParentID: c.ParentID, ReplyTo: c.ReplyTo, Depth: c.Depth, Author: c.Author,
			PostedAt: timePtr(c.PostedAt), Deleted: c.Deleted, Body: c.Body})
	}
	return g
}

func parseCommentsFile(t *testing.T, file string, sel Selectors) CommentList {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "comments", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l, err := ParseCommentsHTML(f, sel, Options{Now: testNow, URL: "https://gazette.example/" + file})
	if err != nil {
		t.Fatalf("ParseCommentsHTML(%s): %v", file, err)
	}
	checkComments(t, l.Comments)
	return l
}

// TestCommentsHTMLGolden reads every case and compares the whole result with
// testdata/comments/<case>.golden.json; run with -update to accept a change.
func TestCommentsHTMLGolden(t *testing.T) {
	used := map[string]bool{}
	for _, tc := range selectorCases {
		used[tc.file] = true
		t.Run(tc.name, func(t *testing.T) {
			l := parseCommentsFile(t, tc.file, tc.sel)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			if err := enc.Encode(toGoldenThread(l)); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "comments", tc.name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("comments of %s differ from %s (run go test -update after checking):\n%s", tc.file, golden, buf.Bytes())
			}
		})
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "comments", "*.html"))
	for _, f := range files {
		if !used[filepath.Base(f)] {
			t.Errorf("fixture %s has no case in selectorCases", f)
		}
	}
}

// byAuthor finds the first comment by author, failing the test without one.
func byAuthor(t *testing.T, cs []news.Comment, author string) news.Comment {
	t.Helper()
	for _, c := range cs {
		if c.Author == author {
			return c
		}
	}
	t.Fatalf("no comment by %q among %d", author, len(cs))
	return news.Comment{}
}

func TestCommentsHTMLWordPress(t *testing.T) {
	l := parseCommentsFile(t, "wordpress.html", selectorCases[0].sel)
	cs := l.Comments
	if len(cs) != 4 || l.Found != 4 {
		t.Fatalf("got %d comments of %d found, want the 4 comments without the pingback", len(cs), l.Found)
	}
	bob := byAuthor(t, cs, "bob77")
	if bob.ReplyTo != 1 || bob.Depth != 1 || bob.ParentID != "comment-12" || bob.ExternalID != "comment-13" {
		t.Errorf("bob77 answers %d (parent %q) at depth %d, id %q; want comment 1, comment-12, depth 1, comment-13",
			bob.ReplyTo, bob.ParentID, bob.Depth, bob.ExternalID)
	}
	wantBody := "> Does anyone know when construction starts?\n\nThe city’s site says March.\nPhase one is Main Street, phase two the bridge."
	if bob.Body != wantBody {
		t.Errorf("bob77's body = %q, want %q", bob.Body, wantBody)
	}
	if want := time.Date(2020, 10, 19, 9, 30, 0, 0, time.UTC); !bob.PostedAt.Equal(want) {
		t.Errorf("bob77 posted at %v, want %v from the datetime attribute", bob.PostedAt, want)
	}
	if cs[2].Author != "Marta K" || cs[2].ReplyTo != 2 || cs[2].Depth != 2 {
		t.Errorf("third comment %q answers %d at depth %d, want Marta K answering 2 at depth 2", cs[2].Author, cs[2].ReplyTo, cs[2].Depth)
	}
	if jo := byAuthor(t, cs, "Jo Rivera"); jo.ReplyTo != 0 || jo.Body != "Bikes are fine, but where do the delivery vans stop now?\n\nNobody asked the shops on Main Street." {
		t.Errorf("Jo Rivera: reply to %d, body %q; want top-level, two paragraphs split at <br><br>", jo.ReplyTo, jo.Body)
	}
}

func TestCommentsHTMLOwnTextMatchesBodySelector(t *testing.T) {
	withBody := parseCommentsFile(t, "wordpress.html", selectorCases[0].sel).Comments
	own := parseCommentsFile(t, "wordpress.html", selectorCases[1].sel).Comments
	if len(own) != len(withBody) {
		t.Fatalf("own text gave %d comments, the body selector %d", len(own), len(withBody))
	}
	for i := range own {
		if own[i].Body != withBody[i].Body || own[i].Author != withBody[i].Author || !own[i].PostedAt.Equal(withBody[i].PostedAt) {
			t.Errorf("comment %d without a body selector = %q by %q at %v; want %q by %q at %v (no author, time, Reply or replies in it)",
				i+1, own[i].Body, own[i].Author, own[i].PostedAt, withBody[i].Body, withBody[i].Author, withBody[i].PostedAt)
		}
	}
}

func TestCommentsHTMLDataParent(t *testing.T) {
	cs := parseCommentsFile(t, "disqus.html", selectorCases[2].sel).Comments
	tests := []struct {
		author          string
		replyTo, depth  int
		parentID        string
		postedHoursAgo  float64
		externalID, why string
	}{
		{"Jrmy84", 0, 0, "", 48, "501", "empty data-parent is top-level; title date wins over the text"},
		{"ChrisW", 1, 1, "501", 3, "502", "3 hours ago"},
		{"sonic989", 0, 0, "", 0.75, "503", `data-parent="0" is top-level; 45m ago`},
		{"dee", 3, 1, "503", 1, "505", `"#comment-503" finds data-id 503 by its digits; an hour ago`},
		{"eve", 0, 0, "312", 48, "506", "a parent not on the page keeps its id; 2d ago"},
	}
	for _, tt := range tests {
		t.Run(tt.author, func(t *testing.T) {
			c := byAuthor(t, cs, tt.author)
			age := testNow.Sub(c.PostedAt).Hours()
			if c.ReplyTo != tt.replyTo || c.Depth != tt.depth || c.ParentID != tt.parentID || c.ExternalID != tt.externalID || age != tt.postedHoursAgo {
				t.Errorf("%s: reply_to %d depth %d parent %q id %q posted %vh ago; want %d %d %q %q %vh (%s)",
					tt.author, c.ReplyTo, c.Depth, c.ParentID, c.ExternalID, age, tt.replyTo, tt.depth, tt.parentID, tt.externalID, tt.postedHoursAgo, tt.why)
			}
		})
	}
	if last := byAuthor(t, cs[3:], "Jrmy84"); last.ReplyTo != 2 || last.Depth != 2 {
		t.Errorf("Jrmy84's second comment answers %d at depth %d, want 2 at depth 2", last.ReplyTo, last.Depth)
	}
}

func TestCommentsHTMLHostile(t *testing.T) {
	l := parseCommentsFile(t, "hostile.html", selectorCases[3].sel)
	all := fmt.Sprint(l.Comments)
	for _, bad := range []string{"alert", "injected", "color: red", "hidden attribute", "hidden style",
		"iframe fallback", "typed", "Post", "draft", "enable javascript", "not a comment"} {
		if strings.Contains(all, bad) {
			t.Errorf("comments contain %q, which the page never shows", bad)
		}
	}
	if l.Found != 12 || l.Skipped != 1 || len(l.Comments) != 11 {
		t.Errorf("found %d, skipped %d, kept %d; want 12 found, Ghost's empty comment skipped, 11 kept", l.Found, l.Skipped, len(l.Comments))
	}
	cs := l.Comments
	tests := []struct {
		author  string
		check   func(news.Comment) bool
		problem string
	}{
		{"Ann", func(c news.Comment) bool { return c.Body == "Visible text." }, "only the visible text"},
		{"", func(c news.Comment) bool { return c.ReplyTo == 1 && c.PostedAt.IsZero() }, "no author or time: kept, answering Ann"},
		{"Removed", func(c news.Comment) bool { return c.Deleted && c.Body == "" }, "empty with a reply: a Deleted placeholder"},
		{"Replier", func(c news.Comment) bool { return c.ReplyTo == 3 && c.Depth == 1 }, "answers the placeholder"},
		{"Loop A", func(c news.Comment) bool { return c.ReplyTo == 0 && c.ParentID == "" }, "a forward parent is dropped"},
		{"Loop B", func(c news.Comment) bool { return c.ReplyTo == 5 && c.ParentID == "c6" }, "the loop is broken after A"},
		{"Narcissus", func(c news.Comment) bool { return c.ReplyTo == 0 && c.ParentID == "" }, "answering itself is no answer"},
		{"Copycat", func(c news.Comment) bool { return c.ExternalID == "" }, "a repeated id identifies only the first comment"},
		{"Zed", func(c news.Comment) bool { return c.PostedAt.IsZero() }, `"by Zed:" is Zed; an unreadable time is zero`},
		{"Nina 😀", func(c news.Comment) bool {
			return c.PostedAt.Equal(time.Unix(1603180800, 0)) && strings.Count(c.Body, "read once") == 1 &&
				strings.Contains(c.Body, "  if x {\n      y()\n  }") && strings.Contains(c.Body, "> outer\n\n> > inner")
		}, "title unix time; nested body once; pre kept; nested quotes"},
		{"Kid", func(c news.Comment) bool { return c.ReplyTo == 10 && c.Depth == 1 && c.ParentID == "c11" }, "no data-parent: DOM nesting"},
	}
	for _, tt := range tests {
		if c := byAuthor(t, cs, tt.author); !tt.check(c) {
			t.Errorf("%q: %+v; want %s", tt.author, c, tt.problem)
		}
	}
}

func TestCommentsHTMLInfersRepliesOnlyWithoutStructure(t *testing.T) {
	cs := parseCommentsFile(t, "flat.html", selectorCases[4].sel).Comments
	got := []int{}
	for _, c := range cs {
		got = append(got, c.ReplyTo)
	}
	if fmt.Sprint(got) != "[0 1 1 0]" {
		t.Errorf("reply_to = %v, want [0 1 1 0]: bob addresses @alice, carol quotes her", got)
	}
	if cs[0].Body != "The new timetable drops the last train at 23:40, which strands everyone working late shifts." {
		t.Errorf("alice's body %q should be her letter without her name or the Report link", cs[0].Body)
	}
	// The same letters inside a structured page are taken as the page says.
	page := `<div class="letter" id="l1"><b>alice</b><p>We need the late train.</p></div>` +
		`<div class="letter" id="l2" data-parent="l1"><b>bob</b><p>Agreed.</p></div>` +
		`<div class="letter" id="l3"><b>carol</b><p>@alice "we need the late train" indeed</p></div>`
	cs, err := CommentsHTML(strings.NewReader(page), Selectors{Container: ".letter", Author: "b", Parent: "data-parent"}, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 3 || cs[2].ReplyTo != 0 {
		t.Errorf("carol's top-level comment on a structured page got reply_to %d, want 0 (nothing inferred)", cs[2].ReplyTo)
	}
}

func TestCommentsHTMLReplyLinks(t *testing.T) {
	cs := parseCommentsFile(t, "replylinks.html", selectorCases[5].sel).Comments
	want := []struct {
		replyTo int
		posted  time.Time
	}{
		{0, time.Date(2020, 10, 19, 15, 5, 0, 0, time.UTC)},
		{1, time.Date(2020, 10, 19, 16, 20, 0, 0, time.UTC)},
		{2, time.Unix(1603129200, 0).UTC()},
		{0, time.Date(2020, 10, 20, 9, 0, 0, 0, time.UTC)},
	}
	if len(cs) != len(want) {
		t.Fatalf("got %d comments, want %d", len(cs), len(want))
	}
	for i, w := range want {
		if cs[i].ReplyTo != w.replyTo || !cs[i].PostedAt.Equal(w.posted) {
			t.Errorf("comment %d: reply_to %d posted %v; want %d, %v", i+1, cs[i].ReplyTo, cs[i].PostedAt, w.replyTo, w.posted)
		}
	}
	if cs[3].ParentID != "" {
		t.Errorf(`"in reply to Bob" gave ParentID %q; a name is no id`, cs[3].ParentID)
	}
}

// nested builds n comments each inside the one before.
func nested(n int) string {
	var b strings.Builder
	b.WriteString("<html><body>")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `<div class="c" id="c%d"><p>reply %d</p>`, i, i)
	}
	b.WriteString(strings.Repeat("</div>", n) + "</body></html>")
	return b.String()
}

func TestCommentsHTMLDeepNesting(t *testing.T) {
	cs, err := CommentsHTML(strings.NewReader(nested(200)), Selectors{Container: ".c"}, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 200 {
		t.Fatalf("got %d comments, want 200", len(cs))
	}
	for _, c := range cs {
		if c.ReplyTo != c.Index-1 || c.Depth != c.Index-1 || c.Body != fmt.Sprintf("reply %d", c.Index) {
			t.Fatalf("comment %d: reply_to %d depth %d body %q; want each answering the one before, with only its own text",
				c.Index, c.ReplyTo, c.Depth, c.Body)
		}
	}
	_, err = CommentsHTML(strings.NewReader(nested(600)), Selectors{Container: ".c"}, Options{URL: "https://x.example/deep"})
	if !errors.Is(err, news.ErrInvalid) || !strings.Contains(err.Error(), "page https://x.example/deep: parse HTML") {
		t.Errorf("600-deep page: error %v, want news.ErrInvalid naming the page", err)
	}
}

func TestCommentsHTMLLimits(t *testing.T) {
	page := "<html><body>" + strings.Repeat(`<i class=c>x</i>`, MaxComments+7) + "</body></html>"
	l, err := ParseCommentsHTML(strings.NewReader(page), Selectors{Container: ".c"}, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Comments) != MaxComments || l.Dropped != 7 || l.Found != MaxComments+7 {
		t.Errorf("kept %d, dropped %d of %d; want %d kept and 7 dropped", len(l.Comments), l.Dropped, l.Found, MaxComments)
	}
	_, err = CommentsHTML(strings.NewReader(page), Selectors{Container: ".c"}, Options{MaxBytes: 1000, URL: "https://x.example/big"})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "page https://x.example/big: more than the 1000-byte limit") {
		t.Errorf("page over MaxBytes: error %v, want ErrTooLarge naming the page and the limit", err)
	}
	cs, err := CommentsHTML(strings.NewReader("<html><body><p>No comments yet.</p></body></html>"), Selectors{Container: ".c"}, Options{})
	if err != nil || cs != nil {
		t.Errorf("page without comments = %v, %v; want nil, nil", cs, err)
	}
}

func TestSelectorErrors(t *testing.T) {
	tests := []struct {
		sel  Selectors
		want string
	}{
		{Selectors{}, "comments.selectors.container: missing"},
		{Selectors{Container: "  "}, "comments.selectors.container: missing"},
		{Selectors{Container: "div["}, `comments.selectors.container: bad CSS selector "div[": invalid input: `},
		{Selectors{Container: ".c", Author: ".a >"}, `comments.selectors.author: bad CSS selector ".a >": `},
		{Selectors{Container: ".c", Time: "time::before"}, `comments.selectors.time: bad CSS selector "time::before": `},
		{Selectors{Container: ".c", Body: "p,"}, `comments.selectors.body: bad CSS selector "p,": `},
		{Selectors{Container: ".c", Parent: "a[href"}, `comments.selectors.parent: bad CSS selector "a[href": `},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			err := tt.sel.Validate()
			if !errors.Is(err, news.ErrInvalid) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("Validate(%+v) = %v, want news.ErrInvalid starting %q", tt.sel, err, tt.want)
			}
			_, err2 := CommentsHTML(strings.NewReader("<p>x</p>"), tt.sel, Options{})
			if err2 == nil || err2.Error() != err.Error() {
				t.Errorf("CommentsHTML error %v, want the same as Validate", err2)
			}
		})
	}
	for _, ok := range []Selectors{
		{Container: ".c", Parent: "data-parent"},
		{Container: "li.comment, div.comment", Author: ".fn, .author", Parent: "xlink:parent"},
	} {
		if err := ok.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v, want nil", ok, err)
		}
	}
}

func TestCommentsHTMLBody(t *testing.T) {
	tests := []struct{ name, html, want string }{
		{"paragraphs", "<p>one\n  two</p><p>three</p>", "one two\n\nthree"},
		{"loose text then block", "hello <b>world</b><div>next</div>", "hello world\n\nnext"},
		{"single br is a line break", "a<br>b", "a\nb"},
		{"double br splits", "a<br><br>b<br>\n<br>c", "a\n\nb\n\nc"},
		{"quote", "<blockquote>said<br>twice</blockquote>ok", "> said\n> twice\n\nok"},
		{"list items", "<ul><li>x</li><li>y</li></ul>", "x\n\ny"},
		{"chrome lines", "<p>Real text</p><div><a>Reply</a></div>Report<br>", "Real text"},
		{"entities verbatim", "<p>&lt;3 &amp; “quotes” — ok</p>", "<3 & “quotes” — ok"},
		{"empty", "<p> </p><script>x</script>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := `<div class="c">` + tt.html + `</div>`
			cs, err := CommentsHTML(strings.NewReader(page), Selectors{Container: ".c"}, Options{Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if len(cs) == 1 {
				got = cs[0].Body
			}
			if got != tt.want {
				t.Errorf("body of %q = %q, want %q", tt.html, got, tt.want)
			}
		})
	}
}

func TestCommentsHTMLLooseParentSelector(t *testing.T) {
	// A parent selector that catches the "Reply" links names no parent, so
	// the page still counts as flat and replies are inferred.
	page := `<div class="c"><b>alice</b><p>Trains should run all night.</p><a>Reply</a></div>` +
		`<div class="c"><b>bob</b><p>@alice they cannot afford it.</p><a>Reply</a></div>`
	cs, err := CommentsHTML(strings.NewReader(page), Selectors{Container: ".c", Author: "b", Body: "p", Parent: "a"}, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[1].ParentID != "" || cs[1].ReplyTo != 1 {
		t.Errorf("got %+v; want bob's reply inferred from @alice, with no ParentID \"Reply\"", cs)
	}
}

func BenchmarkCommentsHTML(b *testing.B) {
	var page strings.Builder
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&page, `<li class="c" id="c%d" data-parent="c%d"><b class="a">user%d</b> <time datetime="2020-10-19T08:%02d:00Z">x</time>`+
			`<div class="b"><p>Comment %d says something about the story.</p><blockquote>quoted %d</blockquote></div></li>`, i, i/2, i%50, i%60, i, i/3)
	}
	data := page.String()
	sel := Selectors{Container: ".c", Author: ".a", Time: "time", Body: ".b", Parent: "data-parent"}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if cs, err := CommentsHTML(strings.NewReader(data), sel, Options{Now: testNow}); err != nil || len(cs) != 2000 {
			b.Fatalf("got %d comments, %v", len(cs), err)
		}
	}
}
