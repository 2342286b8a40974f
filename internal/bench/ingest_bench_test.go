package bench

// The ingest benchmark: `newsbot import` of a 5,000-item RSS feed against
// gofeed parsing the same file, side by side in one run.
//
//	go test -run '^$' -bench Ingest ./internal/bench
//
// Each figure is measured in a child process (this test binary re-run), so
// peak memory is the peak of a process doing exactly that work: gofeed's
// parse alone, or the import path (feed.ParseFeed, then store.SaveArticles
// in one transaction, as cmd/newsbot/importcmd.go does), which also
// measures its store part, to say how the cost divides between the parser
// and the store. CPU is user+system
// time around the work, the median of three runs, parse and import runs
// interleaved so load from elsewhere falls on both. Set
// NEWSBOT_INGEST_PROFILE=DIR to write a CPU and an allocation profile of
// each import run.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/newsbot-dev/newsbot/internal/feed"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

const (
	ingestItems   = 5000
	ingestRounds  = 3
	ingestEnv     = "NEWSBOT_INGEST_CHILD" // set for the child runs only
	ingestProfEnv = "NEWSBOT_INGEST_PROFILE"
	ingestMarker  = "INGEST-RESULT "
)

// The acceptance ceilings of issue 10, as multiples of gofeed's parse.
const (
	ceilingNew       = 2.0
	ceilingUnchanged = 1.5
	ceilingPeak      = 2.0
)

// ingestRun is what one child process measured.
type ingestRun struct {
	CPU      time.Duration    `json:"cpu_ns"`
	Store    time.Duration    `json:"store_cpu_ns"` // of CPU, opening the store and saving
	Alloc    uint64           `json:"alloc_bytes"`
	Statuses map[string]int   `json:"statuses"`
	PeakRSS  int64            `json:"-"` // bytes, from the parent's view of the child
	Items    int              `json:"items"`
	Extra    map[string]int64 `json:"extra,omitempty"`
}

// ingestScenario is one import measured against the parse of its file.
type ingestScenario struct {
	name, file string
	from       string  // the database the import starts from; "" for a fresh one
	want       string  // the statuses the import must report
	ceiling    float64 // CPU ceiling as a multiple of the parse; 0: reported only
}

func BenchmarkIngest(b *testing.B) {
	dir := b.TempDir()
	original := filepath.Join(dir, "feed.xml")
	changed := filepath.Join(dir, "feed-changed.xml")
	data := rssFeed(ingestItems, 0)
	if err := os.WriteFile(original, data, 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(changed, rssFeed(ingestItems, 10), 0o644); err != nil {
		b.Fatal(err)
	}
	b.Logf("feed: %d items, %.1f MB", ingestItems, float64(len(data))/1e6)

	// The stored state the re-imports start from: the original feed
	// imported once. Each re-import works on a copy of it.
	base := filepath.Join(dir, "base.db")
	if _, err := runIngestChild("import", original, base, "new=5000"); err != nil {
		b.Fatal(err)
	}
	var table []string
	for _, sc := range []ingestScenario{
		{"new", original, "", "new=5000", ceilingNew},
		{"unchanged", original, base, "unchanged=5000", ceilingUnchanged},
		{"changed10pct", changed, base, "updated=500,unchanged=4500", 0},
	} {
		b.Run(sc.name, func(b *testing.B) {
			table = append(table, measureIngest(b, dir, sc)...)
		})
	}
	// Printed, not logged: a parent benchmark's log is not shown once its
	// sub-benchmarks have reported.
	fmt.Printf("ingest of %d items, CPU median of %d, side by side:\n%s\n", ingestItems, ingestRounds, strings.Join(table, "\n"))
}

// measureIngest runs a scenario's parse and import side by side, reports
// the ratios, and returns its lines of the table.
func measureIngest(b *testing.B, dir string, sc ingestScenario) []string {
	var parse, imp []ingestRun
	for round := range ingestRounds {
		p, err := runIngestChild("parse", sc.file, "", "")
		if err != nil {
			b.Fatal(err)
		}
		db := filepath.Join(dir, fmt.Sprintf("%s-%d.db", sc.name, round))
		if sc.from != "" {
			if err := copyFile(sc.from, db); err != nil {
				b.Fatal(err)
			}
		}
		r, err := runIngestChild("import", sc.file, db, sc.want)
		if err != nil {
			b.Fatal(err)
		}
		os.Remove(db)
		parse, imp = append(parse, p), append(imp, r)
	}
	pc, ic, sto := medianCPU(parse), medianCPU(imp), medianStore(imp)
	pm, im := medianPeak(parse), medianPeak(imp)
	ratio, peak := ic.Seconds()/pc.Seconds(), float64(im)/float64(pm)
	b.ReportMetric(ratio, "x-parse-cpu")
	b.ReportMetric(peak, "x-parse-peak")
	b.ReportMetric(float64(ingestItems)/ic.Seconds(), "items/s")
	b.ReportMetric(float64(imp[0].Alloc)/1e6, "MB-alloc")
	ceil := "no ceiling (about 1x parse wanted)"
	if sc.ceiling > 0 {
		ceil = fmt.Sprintf("ceiling %.1fx %s", sc.ceiling, verdict(ratio <= sc.ceiling))
	}
	return []string{
		fmt.Sprintf("%-13s CPU  gofeed %6.3f s  import %6.3f s  = %5.2fx parse  (%s)",
			sc.name, pc.Seconds(), ic.Seconds(), ratio, ceil),
		fmt.Sprintf("%-13s      of which feed.ParseFeed %6.3f s = %5.2fx parse, the store %6.3f s = %5.2fx parse",
			"", (ic - sto).Seconds(), (ic-sto).Seconds()/pc.Seconds(), sto.Seconds(), sto.Seconds()/pc.Seconds()),
		fmt.Sprintf("%-13s peak gofeed %5.0f MB   import %5.0f MB   = %5.2fx parse  (ceiling %.1fx %s); import allocated %.0f MB, gofeed %.0f MB",
			"", float64(pm)/1e6, float64(im)/1e6, peak, ceilingPeak, verdict(peak <= ceilingPeak),
			float64(imp[0].Alloc)/1e6, float64(parse[0].Alloc)/1e6),
	}
}

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "OVER"
}

func medianCPU(rs []ingestRun) time.Duration {
	return median(rs, func(r ingestRun) time.Duration { return r.CPU })
}

func medianStore(rs []ingestRun) time.Duration {
	return median(rs, func(r ingestRun) time.Duration { return r.Store })
}

func medianPeak(rs []ingestRun) int64 {
	return median(rs, func(r ingestRun) int64 { return r.PeakRSS })
}

func median[T int64 | time.Duration](rs []ingestRun, of func(ingestRun) T) T {
	vs := make([]T, len(rs))
	for i, r := range rs {
		vs[i] = of(r)
	}
	slices.Sort(vs)
	return vs[len(vs)/2]
}

// runIngestChild runs TestIngestChild in a new process and returns what it
// measured, with the process's peak resident memory.
func runIngestChild(mode, file, db, want string) (ingestRun, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestIngestChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), ingestEnv+"="+strings.Join([]string{mode, file, db, want}, "|"))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return ingestRun{}, fmt.Errorf("ingest child %s %s: %w\n%s%s", mode, filepath.Base(file), err, out.String(), errb.String())
	}
	var r ingestRun
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<20)
	found := false
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), ingestMarker); ok {
			if err := json.Unmarshal([]byte(rest), &r); err != nil {
				return r, fmt.Errorf("ingest child %s: result %q: %w", mode, rest, err)
			}
			found = true
		}
	}
	if !found {
		return r, fmt.Errorf("ingest child %s %s printed no result:\n%s%s", mode, filepath.Base(file), out.String(), errb.String())
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.PeakRSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return r, nil
}

// TestIngestChild is the work of one measured process; it does nothing in
// an ordinary test run.
func TestIngestChild(t *testing.T) {
	spec := os.Getenv(ingestEnv)
	if spec == "" {
		t.Skip("only runs as a child of BenchmarkIngest")
	}
	parts := strings.Split(spec, "|")
	if len(parts) != 4 {
		t.Fatalf("%s=%q: want mode|file|db|want", ingestEnv, spec)
	}
	mode, file, dbPath, want := parts[0], parts[1], parts[2], parts[3]
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv(ingestProfEnv); dir != "" && mode == "import" {
		defer profile(t, filepath.Join(dir, fmt.Sprintf("ingest-%s-%d", filepath.Base(dbPath), time.Now().UnixNano())))()
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := cpuTime()
	res := ingestRun{Statuses: map[string]int{}}
	switch mode {
	case "parse":
		f, err := gofeed.NewParser().Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		res.Items = len(f.Items)
	case "import":
		rs, store, err := importFeed(data, dbPath)
		res.Store = store
		if err != nil {
			t.Fatal(err)
		}
		res.Items = len(rs)
		for _, r := range rs {
			res.Statuses[string(r.Status)]++
		}
	default:
		t.Fatalf("unknown mode %q", mode)
	}
	res.CPU = cpuTime() - start
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	res.Alloc = after.TotalAlloc - before.TotalAlloc
	if want != "" {
		if got := statusList(res.Statuses); got != want {
			t.Fatalf("import statuses = %s, want %s", got, want)
		}
	}
	out, _ := json.Marshal(res)
	fmt.Printf("%s%s\n", ingestMarker, out)
}

// importFeed is `newsbot import`'s path for one feed document: parse, drop
// empty entries, save every entry in one transaction. It also returns the
// CPU the store took (opening it and saving).
func importFeed(data []byte, dbPath string) ([]news.SaveResult, time.Duration, error) {
	// A context that can be cancelled, as the command's is (a signal
	// cancels it): the SQLite driver does work for every statement under
	// such a context, which context.Background would leave unmeasured.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, articles, err := feed.ParseFeed(data, "")
	if err != nil {
		return nil, 0, err
	}
	keep := articles[:0]
	for _, a := range articles {
		if a.Title != "" || a.URL != "" || a.GUID != "" || len(a.Paragraphs) > 0 {
			keep = append(keep, a)
		}
	}
	start := cpuTime()
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		return nil, 0, err
	}
	defer db.Close()
	rs, err := db.SaveArticles(ctx, keep, store.SaveOptions{Now: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)})
	return rs, cpuTime() - start, err
}

func statusList(m map[string]int) string {
	var parts []string
	for _, k := range []string{"new", "updated", "unchanged"} {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
		}
	}
	return strings.Join(parts, ",")
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// rssFeed writes a realistic RSS 2.0 document of n items, the same for the
// same arguments: each item a headline, link, GUID, date, author,
// categories, a plain excerpt and the full text as content:encoded HTML,
// 50-150 words in two to five paragraphs, words drawn with news English's
// skewed frequencies and a cast of recurring names. When everyNth > 0,
// every nth item has an update paragraph appended (for 5,000 items and 10,
// 500 changed stories).
func rssFeed(n, everyNth int) []byte {
	w := newNewsWriter()
	var b bytes.Buffer
	b.Grow(n * 1100)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>The Riverside Courier</title>
<link>https://courier.example/</link>
<description>News from Riverside and the valley</description>
<language>en-gb</language>
`)
	for i := range n {
		paras := w.paragraphs(50 + w.rng.IntN(101))
		// Drawn for every item, so the changed feed differs from the
		// original in the update paragraphs only.
		update := "Update: " + w.sentence(12) + " " + w.sentence(10)
		if everyNth > 0 && i%everyNth == 0 {
			paras = append(paras, update)
		}
		w.item(&b, i, w.title(), paras)
	}
	b.WriteString("</channel>\n</rss>\n")
	return b.Bytes()
}

// newsWriter writes generated news: words of news English with their
// skewed frequencies, and a cast of names that recur across stories.
type newsWriter struct {
	rng   *rand.Rand
	zipf  *rand.Zipf
	names []string
}

func newNewsWriter() *newsWriter {
	rng := rand.New(rand.NewPCG(2026, 11))
	return &newsWriter{rng: rng, zipf: rand.NewZipf(rng, 1.05, 4, uint64(len(newsWords)-1)), names: castOfNames(rng, 400)}
}

func (w *newsWriter) word() string {
	if w.rng.IntN(9) == 0 {
		return w.names[w.rng.IntN(len(w.names))]
	}
	return newsWords[w.zipf.Uint64()]
}

func (w *newsWriter) sentence(words int) string {
	ws := make([]string, words)
	for i := range ws {
		ws[i] = w.word()
	}
	s := strings.Join(ws, " ")
	if w.rng.IntN(4) == 0 {
		s += fmt.Sprintf(", %d", 2+w.rng.IntN(2000))
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// paragraphs are words words in sentences of 8 to 21 words, paragraphs of
// 15 to 39.
func (w *newsWriter) paragraphs(words int) []string {
	var paras []string
	for words > 0 {
		pw := min(words, 15+w.rng.IntN(25))
		var sents []string
		for pw > 0 {
			sw := min(pw, 8+w.rng.IntN(14))
			sents = append(sents, w.sentence(sw))
			pw -= sw
			words -= sw
		}
		paras = append(paras, strings.Join(sents, " "))
	}
	return paras
}

// title is a headline of 6 to 11 words, a fifth of them with a possessive.
func (w *newsWriter) title() string {
	title := strings.TrimSuffix(w.sentence(6+w.rng.IntN(6)), ".")
	if w.rng.IntN(5) == 0 {
		title = w.names[w.rng.IntN(len(w.names))] + "'s " + strings.ToLower(title[:1]) + title[1:]
	}
	return title
}

// item writes the i-th item: its headline, link, GUID, date, author,
// categories, a plain excerpt, and the text as content:encoded HTML.
func (w *newsWriter) item(b *bytes.Buffer, i int, title string, paras []string) {
	names := w.names
	slug := strings.ToLower(strings.Join(strings.Fields(title)[:4], "-"))
	excerpt := strings.Fields(paras[0])
	excerpt = excerpt[:min(len(excerpt), 25)]
	published := time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC).Add(-time.Duration(i) * 7 * time.Minute)
	fmt.Fprintf(b, `<item>
<title>%s</title>
<link>https://courier.example/2026/11/%s-%d</link>
<guid isPermaLink="false">courier-%d</guid>
<pubDate>%s</pubDate>
<dc:creator>%s %s</dc:creator>
<category>%s</category><category>%s</category>
<description>%s […]</description>
<content:encoded><![CDATA[`,
		xmlEscape(title), slugify(slug), i, 100000+i, published.Format(time.RFC1123Z),
		names[i%37], names[(i*7)%41], newsWords[10+i%20], names[i%13],
		xmlEscape(strings.Join(excerpt, " ")))
	for j, p := range paras {
		if j == 1 && w.rng.IntN(3) == 0 {
			fmt.Fprintf(b, `<p>%s <a href="https://courier.example/tag/%s?utm_source=rss">%s</a>.</p>`+"\n", p, slugify(names[i%50]), names[i%50])
			continue
		}
		fmt.Fprintf(b, "<p>%s</p>\n", p)
	}
	b.WriteString("]]></content:encoded>\n</item>\n")
}

func xmlEscape(s string) string { return xmlEscaper.Replace(s) }

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func slugify(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	}, s)
}

// castOfNames makes n pronounceable proper names (people, places,
// companies) that recur across stories, as a paper's cast does.
func castOfNames(rng *rand.Rand, n int) []string {
	onsets := []string{"b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br", "ch", "cl", "dr", "gr", "st", "th", "tr"}
	vowels := []string{"a", "e", "i", "o", "u", "ai", "ea", "ou", "y"}
	codas := []string{"", "n", "r", "l", "s", "th", "ck", "nd", "ll", "m"}
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		var b strings.Builder
		for range 2 + rng.IntN(2) {
			b.WriteString(onsets[rng.IntN(len(onsets))])
			b.WriteString(vowels[rng.IntN(len(vowels))])
		}
		b.WriteString(codas[rng.IntN(len(codas))])
		s := b.String()
		s = strings.ToUpper(s[:1]) + s[1:]
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// newsWords are common words of news English, most frequent first; the
// generator draws them with a Zipf law, as real text has them.
var newsWords = strings.Fields(`the of to and a in that for on is said was with he it as at by from his
	be have has are an not they but this who were had been will their after more its one about would
	two new first also which year years over up when people out she there other her all we into some
	than last government could three time police can just most only told since city state before against
	percent president during because council minister million where while under many public officials
	between four what week now may home country report local news school former national may group back
	work court health family including plan including month days support says children early law area
	water business market second five service told spokesman added statement night season team game
	company companies money price prices bank rates budget tax vote election party members leader
	committee board residents community project bridge road river town village centre hospital staff
	workers union strike pay deal agreement talks plans proposal decision meeting hearing trial judge
	case charges arrested man woman police officers investigation fire crews flood storm weather
	rain winds warning emergency scene victims injured killed died death accident crash car train
	station airport flights passengers travel tourism hotel restaurant shop shops owners sales
	growth economy jobs unemployment inflation energy gas electricity power climate change carbon
	emissions environment park trees wildlife farm farmers food supply schools students teachers
	university research study scientists data results survey poll voters campaign candidate seat
	office mayor councillor chairman chief executive director manager spokeswoman source sources
	according confirmed announced expected likely set expected begin began started ended closed
	opened reopened delayed cancelled approved rejected announced launched released published
	reported warned denied claimed admitted insisted called urged asked promised agreed refused
	football club match league cup final player players coach fans stadium win won lost draw goal
	music festival concert film theatre show award prize artist museum library book history
	heritage building site development housing homes rent property council's new old big small
	high low long short major key local regional national international global north south east west`)
