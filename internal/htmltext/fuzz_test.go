package htmltext

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// options picks a combination of options from the bits of b.
func options(b uint8) Options {
	o := Options{
		Links: b&1 != 0, Pre: b&2 != 0, Quotes: b&4 != 0, Cells: b&8 != 0,
		TextBreaks: b&16 != 0, HTMLSpace: b&32 != 0, OneLine: b&16 != 0 && b&1 == 0,
	}
	if b&64 != 0 {
		o.Skip = func(n *html.Node) bool { return n.Data == "b" }
	}
	if b&128 != 0 {
		o.DropLine = func(l string) bool { return l == "Reply" }
	}
	return o
}

func FuzzText(f *testing.F) {
	for _, s := range []string{
		"a<p>b", `<a href="x">x...</a>`, "<pre>a\n\n\n\nb </pre>", "</a><a>", "&amp;&#0;&#13;", " plain\ttext \n",
		"<blockquote>q<br><br><pre>\n\n</pre></blockquote>", "a<br><br><br>b", "<table><tr><td>a<td>b</table>",
		"one\n\n<b>two</b>\n \nthree", "<a href=\"a\n\n\nb\">x</a>", "<svg><p>x</p></svg>", "caf\xe9&nbsp;",
		"<pre><a href=' \n\n '></a></pre>", "Reply<br>Reply",
	} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(0xff))
	}
	f.Fuzz(func(t *testing.T, s string, b uint8) {
		o := options(b)
		got := Text(s, o)
		if !utf8.ValidString(got) {
			t.Fatalf("Text(%q) = %q: not UTF-8", s, got)
		}
		if strings.Contains(got, "\n\n\n") {
			t.Fatalf("Text(%q) = %q: two blank lines in a row", s, got)
		}
		for _, p := range Paragraphs([]*html.Node{Parse(s)}, o) {
			if strings.TrimSpace(p) == "" || strings.HasPrefix(p, "\n") || strings.HasSuffix(p, "\n") {
				t.Fatalf("paragraph %q of %q is blank or starts or ends a line early", p, s)
			}
			if !o.Pre && strings.Contains(p, "\n\n") {
				t.Fatalf("paragraph %q of %q has a blank line outside <pre>", p, s)
			}
			if o.OneLine && !o.Pre && strings.Contains(p, "\n") {
				t.Fatalf("paragraph %q of %q is more than one line", p, s)
			}
		}
	})
}

// FuzzFragmentParagraphs holds the token reading to the tree's: whatever
// it reads, it reads as Paragraphs of the parsed fragment does.
func FuzzFragmentParagraphs(f *testing.F) {
	for _, s := range []string{
		"<p>One <b>two</b> <a href='x'>three</a>.</p>\n<p>Four</p>", "a<br>b<br/><br>c</br>d", "<ul><li>a</li><li>b<ul><li>c</li></ul></li></ul>",
		"<h2>H</h2><div>x<img src=y>z</div><hr>tail", "<p>unclosed <i>x", "x\n\n<span>y</span>\n \nz", "<script>a</p>b</script>c<style>d",
		"<o:p>word</o:p>\x00<!-- c -->\n\nd", "<p>a<div>b</div></p>", "<li>a<li>b", "<h1>a<h2>b</h2></h1>", "<a>x<a>y</a></a>",
		"<b>a<p>b</b>c</p>", "<table><tr><td>a</td></tr></table>", "&amp;&#0;&nbsp;<wbr>&lt;p&gt;", "<title>t</title><noscript><p>n</noscript>",
		`<p class="a>b" data-x='1' hidden =v w= "q">x</p >`, "<P>x</P><IMG SRC=a/><br/ >", "a <3 b</p", "<!---->x<!-->y<!--a--!>z<!-- -- -->w",
		"<SCRIPT>x</scripT >y</p>", "<script><!--</script>-->x", "<style/>x</style>", "<a\xffb>x</a\xfeb>", "<span>x</span\n>y",
	} {
		f.Add(s, uint8(16))
		f.Add(s, uint8(0))
		f.Add(s, uint8(16|32|128))
	}
	f.Fuzz(func(t *testing.T, s string, b uint8) {
		o := options(b)
		got, ok := tokenParagraphs(s, o)
		if !ok {
			return
		}
		want := Paragraphs([]*html.Node{Parse(s)}, o)
		if !slices.Equal(got, want) {
			t.Fatalf("tokens of %q read %q, the tree %q", s, got, want)
		}
	})
}

// FuzzWords holds writer.words, which copies runs of plain ASCII words
// whole, to its definition read a rune at a time.
func FuzzWords(f *testing.F) {
	for _, s := range []string{"a b  c", " lead", "tab\there", "x \u00a0 y", "caf\xe9 ", "a\vb\fc", "  ", "\n a b \n"} {
		f.Add("", s, false)
		f.Add("x", s, true)
		f.Add("x\n", s, false)
	}
	f.Fuzz(func(t *testing.T, before, s string, htmlSpace bool) {
		w := &writer{o: &Options{HTMLSpace: htmlSpace}, buf: []byte(before)}
		w.words(s)
		want := []byte(before)
		for _, r := range s { // invalid UTF-8 reads as utf8.RuneError, written as U+FFFD
			switch {
			case !w.isSpace(r):
				want = utf8.AppendRune(want, r)
			case len(want) > 0 && !endsInSpace(want):
				want = append(want, ' ')
			}
		}
		if string(w.buf) != string(want) {
			t.Fatalf("words(%q) after %q = %q, want %q", s, before, w.buf, want)
		}
	})
}
