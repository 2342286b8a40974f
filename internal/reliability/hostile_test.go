//go:build linux

package reliability

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
)

// rss wraps items (raw XML) in an RSS 2.0 document.
func rss(items ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link>` +
		strings.Join(items, "") + `</channel></rss>`
}

func rssItem(guid, title, link, text string) string {
	return fmt.Sprintf(`<item><guid isPermaLink="false">%s</guid><title>%s</title><link>%s</link><description>%s</description></item>`,
		guid, title, link, text)
}

// hostileFeed is one feed that attacks the bot, with what the bot must
// make of it: refused is a fragment of the "feed poll failed" line; posts
// checks the cards it posted to #news instead.
type hostileFeed struct {
	id      string
	serve   http.HandlerFunc
	refused string
	// cards are the titles (or parts of them) of the stories the feed
	// must post; the checks wait for them, since posts to one channel go
	// out one at a time and a loaded machine can be behind.
	cards []string
	posts func(t *testing.T, ms []emulator.Message)
}

func body(contentType, s string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		fmt.Fprint(w, s)
	}
}

// endless writes chunks until the client goes away or limit bytes are out.
func endless(w http.ResponseWriter, chunk []byte, limit int64, pause time.Duration) {
	for n := int64(0); n < limit; n += int64(len(chunk)) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
		if pause > 0 {
			w.(http.Flusher).Flush()
			time.Sleep(pause) // the trickle itself: the attack, not synchronisation
		}
	}
}

func gzipBomb(t *testing.T, size int) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for n := 0; n < size; n += len(zeros) {
		zw.Write(zeros)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// card finds the card in ms whose title holds key.
func card(ms []emulator.Message, key string) (emulator.Embed, int) {
	var found emulator.Embed
	n := 0
	for _, m := range ms {
		if len(m.Embeds) > 0 && strings.Contains(m.Embeds[0].Title, key) {
			found = m.Embeds[0]
			n++
		}
	}
	return found, n
}

func hostileFeeds(t *testing.T) []hostileFeed {
	bomb := gzipBomb(t, 200<<20)
	laughs := `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">` +
		`<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">` +
		`<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">` +
		`<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>` +
		strings.TrimPrefix(rss(rssItem("laughs", "Laughs &lol9;", "https://hostile.example/laughs", "&lol9;")), `<?xml version="1.0" encoding="UTF-8"?>`)
	xxe := `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` +
		strings.TrimPrefix(rss(rssItem("xxe", "XXE &xxe;", "https://hostile.example/xxe", "&xxe;")), `<?xml version="1.0" encoding="UTF-8"?>`)
	const login = `<!DOCTYPE html><html><head><title>Sign in</title></head><body><form action="/login"><input name="user"></form></body></html>`
	return []hostileFeed{
		{id: "huge", refused: "body too large (limit 10 MiB)", serve: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			endless(w, bytes.Repeat([]byte("<item>"), 10<<10), 1<<30, 0)
		}},
		{id: "huge-declared", refused: "body too large (limit 10 MiB)", serve: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(1<<30))
			endless(w, bytes.Repeat([]byte("a"), 64<<10), 1<<30, 0)
		}},
		{id: "gzip-bomb", refused: "body too large (limit 10 MiB)", serve: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb)
		}},
		{id: "trickle", refused: "timed out after 3s", serve: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			endless(w, []byte("<"), 1<<20, 200*time.Millisecond)
		}},
		{id: "silent", refused: "timed out after 3s", serve: func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done() // headers never come
		}},
		{id: "redirect-loop", refused: "stopped after 5 redirects", serve: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path+"?again", http.StatusFound)
		}},
		{id: "deep", refused: "elements nested more than 64 deep", serve: body("application/rss+xml",
			`<rss><channel>`+strings.Repeat("<x>", 100_000)+strings.Repeat("</x>", 100_000)+`</channel></rss>`)},
		{id: "html-as-rss", refused: `not a feed: got an HTML page titled \"Sign in\" (served as application/rss+xml)`,
			serve: body("application/rss+xml; charset=utf-8", login)},
		{id: "json-not-feed", refused: "not a feed: got JSON without a jsonfeed.org version (served as application/json)",
			serve: body("application/json", `{"error": "unauthorized"}`)},
		{id: "empty", refused: "not a feed: got an empty document", serve: body("application/rss+xml", "")},
		{id: "laughs", serve: body("application/rss+xml", laughs), posts: func(t *testing.T, ms []emulator.Message) {
			e, n := card(ms, "Laughs")
			t.Logf("posted %d time(s) as %q / %q", n, e.Title, e.Description)
			raw, _ := json.Marshal(ms)
			if bytes.Contains(raw, []byte("lollol")) {
				t.Error("an entity was expanded into a post")
			}
		}},
		{id: "xxe", serve: body("application/rss+xml", xxe), posts: func(t *testing.T, ms []emulator.Message) {
			e, n := card(ms, "XXE")
			t.Logf("posted %d time(s) as %q / %q", n, e.Title, e.Description)
			if raw, _ := json.Marshal(ms); bytes.Contains(raw, []byte("root:")) {
				t.Error("an external entity read a local file into a post")
			}
		}},
		{id: "bad-utf8", cards: []string{"Bad \ufffd byte story", "Good byte story"}, serve: body("application/rss+xml", rss(
			rssItem("u1", "Bad \xff byte story", "https://hostile.example/u1", "Text."),
			rssItem("u2", "Good byte story", "https://hostile.example/u2", "Text."))),
			posts: func(t *testing.T, ms []emulator.Message) {
				for _, key := range []string{"Bad \ufffd byte story", "Good byte story"} {
					if _, n := card(ms, key); n != 1 {
						t.Errorf("%q posted %d times, want once (one bad byte must not cost the feed)", key, n)
					}
				}
			}},
		{id: "links", cards: []string{"FTP link story", "Colon link story", "Script link story"}, serve: body("application/rss+xml", rss(
			rssItem("ftp", "FTP link story", "ftp://files.example/report.pdf", "The report."),
			rssItem("colon", "Colon link story", "A://::", "Fuzzed."),
			rssItem("js", "Script link story", "javascript:alert(1)", "Click."))),
			posts: func(t *testing.T, ms []emulator.Message) {
				for _, key := range []string{"FTP link story", "Colon link story", "Script link story"} {
					e, n := card(ms, key)
					if n != 1 || e.URL != "" {
						t.Errorf("%q posted %d times with link %q; want once, without the link", key, n, e.URL)
					}
				}
			}},
		{id: "bidi", cards: []string{"Holiday photos"}, serve: body("application/rss+xml", rss(
			rssItem("rlo", "Holiday photos \u202egnp.exe", "https://hostile.example/rlo", "Open \u2067this\u2069 \u202aplease\u202c."))),
			posts: func(t *testing.T, ms []emulator.Message) {
				e, n := card(ms, "Holiday photos")
				if n != 1 || e.Title != "Holiday photos gnp.exe" || strings.ContainsAny(e.Description, "\u202a\u202c\u2067\u2069") {
					t.Errorf("bidi story posted %d times as %q / %q", n, e.Title, e.Description)
				}
			}},
		{id: "mentions", cards: []string{"look"}, serve: body("application/rss+xml", rss(
			rssItem("ping", "@everyone look &lt;@100000000000000010&gt; **now**", "https://hostile.example/ping", "@here [click](https://evil.example) &lt;@&amp;100000000000000000&gt;"))),
			posts: func(t *testing.T, ms []emulator.Message) {
				e, n := card(ms, "look")
				if n != 1 || strings.Contains(e.Title, "@everyone") || !strings.Contains(e.Title, `\*\*now\*\*`) {
					t.Errorf("mention story posted %d times as %q", n, e.Title)
				}
				for _, m := range ms {
					if m.MentionEveryone || len(m.Mentions) > 0 || len(m.MentionRoles) > 0 {
						t.Errorf("message %s pings: everyone=%v users=%v roles=%v", m.ID, m.MentionEveryone, m.Mentions, m.MentionRoles)
					}
				}
			}},
	}
}

// TestHostileFeeds: every hostile feed is refused with a line naming it
// and what was wrong (or, where there is a story to save, posted safely),
// the bot's memory stays bounded, and a well-behaved feed on the same
// host keeps posting throughout.
func TestHostileFeeds(t *testing.T) {
	t.Parallel()
	d := startDiscord(t, "127.0.0.1:0")
	s := newSite(t)
	feeds := hostileFeeds(t)
	var yaml strings.Builder
	for _, f := range feeds {
		s.mux.HandleFunc("/h/"+f.id, f.serve)
		fmt.Fprintf(&yaml, "  - id: %s\n    url: %s/h/%s\n    channels: [%q]\n    schedule: \"@every 2s\"\n    backfill: 5\n", f.id, s.url, f.id, newsChannel)
	}
	s.feeds.Set("/good.xml", story("g01"))
	fmt.Fprintf(&yaml, "  - id: good\n    url: %s/good.xml\n    channels: [%q]\n    schedule: \"@every 1s\"\n    backfill: 5\n", s.url, techChannel)
	bot := startBot(t, writeConfig(t, t.TempDir(), d.url, yaml.String()))

	refusal := func(f hostileFeed) (logLine, bool) {
		return bot.stderr.find(func(l logLine) bool {
			return l.str("msg") == "feed poll failed" && l.str("feed") == f.id
		})
	}
	waitUntil(t, "every hostile feed to be read or refused once", 60*time.Second, func() bool {
		for _, f := range feeds {
			if f.refused != "" {
				if _, ok := refusal(f); !ok {
					return false
				}
			} else if s := bot.stderr.String(); !strings.Contains(s, `"feed":"`+f.id+`"`) {
				return false
			}
		}
		return cards(d.messages(techChannel))["https://news.example/g01"] == 1
	}, bot.stderr)
	for _, f := range feeds {
		for _, key := range f.cards {
			waitUntil(t, fmt.Sprintf("feed %s's story %q to be posted", f.id, key), 30*time.Second, func() bool {
				_, n := card(d.messages(newsChannel), key)
				return n > 0
			}, bot.stderr)
		}
	}
	// The good feed keeps posting after the attack.
	s.feeds.Set("/good.xml", story("g02"), story("g01"))
	waitUntil(t, "the good feed's next story", 30*time.Second, func() bool {
		return cards(d.messages(techChannel))["https://news.example/g02"] == 1
	}, bot.stderr)

	news := d.messages(newsChannel)
	for _, f := range feeds {
		t.Run(f.id, func(t *testing.T) {
			if line, ok := refusal(f); ok {
				t.Logf("refused: %s", line.str("err"))
			}
			if f.refused != "" {
				line, _ := refusal(f)
				if raw, _ := json.Marshal(line); !strings.Contains(string(raw), f.refused) {
					t.Errorf("refusal line %s\nwant it to say %q", raw, f.refused)
				}
			}
			if f.posts != nil {
				f.posts(t, news)
			}
			if f.id == "bad-utf8" {
				if _, ok := bot.stderr.find(func(l logLine) bool {
					return l.str("msg") == "feed read with repairs" && l.str("feed") == f.id &&
						strings.Contains(l.str("repair"), "1 invalid UTF-8 byte replaced")
				}); !ok {
					t.Error("no log line says the feed was repaired")
				}
			}
		})
		figures.add("hostile inputs tried", 1)
	}
	// /story show answers about each story whose link was left off.
	for _, key := range []string{"FTP link story", "Colon link story", "Script link story"} {
		e, _ := card(news, key)
		var id int
		if e.Footer == nil || func() bool { _, err := fmt.Sscanf(e.Footer.Text, "story %d", &id); return err != nil }() {
			t.Errorf("%q: no story id in the card's footer %+v", key, e.Footer)
			continue
		}
		res, status, msg := d.interact(fmt.Sprintf("/story show story:%d", id))
		var cb struct {
			Data struct{ Embeds []emulator.Embed }
		}
		json.Unmarshal(res.Callback, &cb)
		if status != 200 || len(cb.Data.Embeds) == 0 || !strings.Contains(cb.Data.Embeds[0].Title, key) || cb.Data.Embeds[0].URL != "" {
			t.Errorf("/story show story:%d (%s): %d %s %s", id, key, status, msg, res.Callback)
		}
	}
	for _, r := range d.requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/messages") && !bytes.Contains(r.Body, []byte(`"allowed_mentions":{"parse":[]`)) {
			t.Errorf("a post without allowed_mentions {\"parse\": []}: %s", r.Body)
		}
	}
	kb := bot.peakRSS()
	t.Logf("%d hostile feeds; the bot peaked at %d KiB", len(feeds), kb)
	if kb > 200<<10 {
		t.Errorf("the bot peaked at %d KiB under hostile feeds; want under 200 MiB", kb)
	}
	figures.max("bot under hostile feeds: peak RSS KiB", kb)
	bot.stop()
}
