//go:build linux

package bench

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The polling benchmark's news sites run in a child process, so that the
// CPU time and memory measured are the bot's alone. The child is this
// test binary running TestFeedSiteChild with feedSiteEnv set.
const feedSiteEnv = "NEWSBOT_BENCH_FEEDSITE"

// TestFeedSiteChild is the child process of the polling benchmark; run
// any other way it does nothing.
func TestFeedSiteChild(t *testing.T) {
	spec := os.Getenv(feedSiteEnv)
	if spec == "" {
		t.Skip("only the polling benchmark runs this, as its feed sites' process")
	}
	serveFeedSites(spec)
}

// siteSpec says how many sites (each its own port, a host of its own to
// the bot's per-host cap) serve how many feeds.
type siteSpec struct{ hosts, feeds int }

// Every hundredth feed in a row of 100 behaves alike: 0–2 are slow, 3–4
// fail, the rest answer fast. Each host serves 100 consecutive feeds.
const feedsPerHost = 100

type feedKind int

const (
	fastFeed feedKind = iota
	slowFeed
	failingFeed
)

func kindOf(i int) feedKind {
	switch i % 100 {
	case 0, 1, 2:
		return slowFeed
	case 3, 4:
		return failingFeed
	}
	return fastFeed
}

// slowDelay is how long a slow feed takes to answer.
const slowDelay = 3 * time.Second

const feedETag = `"v1"`

// serveFeedSites is the child process: it listens on one port per host,
// prints them on one line, and serves until its stdin closes (the parent
// ended).
func serveFeedSites(spec string) {
	var s siteSpec
	if _, err := fmt.Sscanf(spec, "%d/%d", &s.hosts, &s.feeds); err != nil {
		fmt.Fprintln(os.Stderr, "bad", feedSiteEnv, spec)
		os.Exit(2)
	}
	var ports []string
	for h := 0; h < s.hosts; h++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		ports = append(ports, strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
		srv := &http.Server{Handler: http.HandlerFunc(serveFeed), ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
	}
	fmt.Println("ports", strings.Join(ports, ","))
	bufio.NewReader(os.Stdin).ReadString('\n') // EOF when the parent goes
}

// serveFeed answers /f/N.xml as feed N's kind says: a 304 for the stored
// ETag, a small feed without it, a 500 for a failing feed.
func serveFeed(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/f/"), ".xml"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	switch kindOf(n) {
	case failingFeed:
		http.Error(w, "the site is down", http.StatusInternalServerError)
		return
	case slowFeed:
		select {
		case <-time.After(slowDelay):
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("ETag", feedETag)
	if r.Header.Get("If-None-Match") == feedETag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml")
	fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %d</title>
<item><guid>feed-%d-1</guid><title>Story one of feed %d</title><link>https://example.com/%d/1</link>
<description>Something happened at feed %d, and people have views about it.</description></item>
</channel></rss>`, n, n, n, n, n)
}

// startFeedSites runs the sites for feeds and returns each host's base
// URL; they stop when the benchmark ends.
func startFeedSites(tb testing.TB, feeds int) []string {
	tb.Helper()
	hosts := (feeds + feedsPerHost - 1) / feedsPerHost
	cmd := exec.Command(os.Args[0], "-test.run=^TestFeedSiteChild$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d/%d", feedSiteEnv, hosts, feeds))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		stdin.Close()
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		tb.Fatalf("feed sites: %v", err)
	}
	ports, ok := strings.CutPrefix(strings.TrimSpace(line), "ports ")
	if !ok {
		tb.Fatalf("feed sites said %q", line)
	}
	var urls []string
	for _, p := range strings.Split(ports, ",") {
		urls = append(urls, "http://127.0.0.1:"+p)
	}
	return urls
}
