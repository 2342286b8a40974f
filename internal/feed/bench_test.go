package feed

import (
	"fmt"
	"strings"
	"testing"
)

// bigFeed is an RSS 2.0 document with n items, each with a few paragraphs
// of content:encoded, about 1 KB per item.
func bigFeed(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench</title><link>https://bench.example/</link>`)
	for i := range n {
		fmt.Fprintf(&b, `<item><title>Story %d &amp; more</title><link>/s/%d</link><guid>s-%d</guid>
<pubDate>Tue, 07 May 2024 14:00:00 GMT</pubDate><description>Summary %d</description>
<content:encoded><![CDATA[<p>First paragraph of story %d, with <b>bold</b> and <a href="/x">a link</a>.</p>
<p>Second paragraph, somewhat longer, so that the text is realistic: the council met on Monday and voted.</p>
<div>Third<br><br>Fourth, after a double break.</div><img src="/img/%d.jpg">]]></content:encoded></item>`, i, i, i, i, i, i)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

func BenchmarkParseFeed(b *testing.B) {
	data := bigFeed(1000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, articles, err := ParseFeed(data, ""); err != nil || len(articles) != 1000 {
			b.Fatal(err, len(articles))
		}
	}
}

// BenchmarkParseFeedGofeed is BenchmarkParseFeed with the fast path for
// plain RSS 2.0 turned off: what gofeed's parser costs on the same feed.
func BenchmarkParseFeedGofeed(b *testing.B) {
	data := bigFeed(1000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, articles, fast, err := parseFeed(data, "", false); err != nil || fast || len(articles) != 1000 {
			b.Fatal(err, fast, len(articles))
		}
	}
}

func BenchmarkParagraphs(b *testing.B) {
	html := strings.Repeat("<p>A paragraph with <b>markup</b> &amp; entities.</p><div>x<br><br>y</div>", 100)
	b.SetBytes(int64(len(html)))
	for b.Loop() {
		Paragraphs(html)
	}
}
