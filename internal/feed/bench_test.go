package feed

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
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

// newsFeed is an RSS 2.0 document shaped like the feed internal/bench's
// ingest benchmark imports: per item a headline, link, guid, pubDate,
// dc:creator, two categories, a plain excerpt and content:encoded HTML of
// two to five paragraphs (one in three with a link), about 1 KB an item.
func newsFeed(n int) []byte {
	words := strings.Fields(`the council said on Monday that a new bridge over the river would
		open in spring after residents asked for safer crossing and the mayor told reporters
		that police investigation into storm damage at hospital was expected to cost million
		while school league team won final against rivals in weather`)
	rng := rand.New(rand.NewPCG(2026, 11))
	sentence := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = words[rng.IntN(len(words))]
		}
		s := strings.Join(ws, " ")
		return strings.ToUpper(s[:1]) + s[1:] + "."
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>The Riverside Courier</title>
<link>https://courier.example/</link>
<description>News from Riverside and the valley</description>
<language>en-gb</language>
`)
	for i := range n {
		paras := make([]string, 2+rng.IntN(4))
		for j := range paras {
			paras[j] = sentence(8+rng.IntN(14)) + " " + sentence(8+rng.IntN(14))
		}
		fmt.Fprintf(&b, `<item>
<title>%s &amp; %d</title>
<link>https://courier.example/2026/11/story-%d</link>
<guid isPermaLink="false">courier-%d</guid>
<pubDate>Fri, 20 Nov 2026 18:%02d:00 +0000</pubDate>
<dc:creator>Ann Lee</dc:creator>
<category>%s</category><category>Riverside</category>
<description>%s […]</description>
<content:encoded><![CDATA[`, strings.TrimSuffix(sentence(6+rng.IntN(6)), "."), i, i, i, i%60,
			words[i%len(words)], strings.Join(strings.Fields(paras[0])[:8], " "))
		for j, p := range paras {
			if j == 1 && i%3 == 0 {
				fmt.Fprintf(&b, "<p>%s <a href=\"https://courier.example/tag/%d?utm_source=rss\">Riverside</a>.</p>\n", p, i)
				continue
			}
			fmt.Fprintf(&b, "<p>%s</p>\n", p)
		}
		b.WriteString("]]></content:encoded>\n</item>\n")
	}
	b.WriteString("</channel>\n</rss>\n")
	return b.Bytes()
}

// BenchmarkParseFeedNews parses a 5,000-item feed of the shape `newsbot
// import` is benchmarked with, which the fast path reads.
func BenchmarkParseFeedNews(b *testing.B) {
	benchmarkParseFeed(b, newsFeed(5000), 5000)
}

// BenchmarkParseFeedFile parses the feed file $NEWSBOT_BENCH_FEED, such as
// the one internal/bench's ingest benchmark writes to /tmp/ingest-feed.xml.
func BenchmarkParseFeedFile(b *testing.B) {
	path := os.Getenv("NEWSBOT_BENCH_FEED")
	if path == "" {
		b.Skip("NEWSBOT_BENCH_FEED names no feed file")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	benchmarkParseFeed(b, data, -1)
}

// benchmarkParseFeed parses data, which must hold n articles (any number
// if n < 0).
func benchmarkParseFeed(b *testing.B, data []byte, n int) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, articles, err := ParseFeed(data, ""); err != nil || n >= 0 && len(articles) != n {
			b.Fatal(err, len(articles))
		}
	}
}
