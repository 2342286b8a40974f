package feed

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestAddressClass(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"127.0.0.1", "loopback"},
		{"127.8.9.10", "loopback"},
		{"::1", "loopback"},
		{"10.0.0.1", "private"},
		{"172.16.5.4", "private"},
		{"192.168.1.1", "private"},
		{"fd12:3456::1", "private"},
		{"169.254.169.254", "link-local (cloud metadata)"},
		{"169.254.1.1", "link-local"},
		{"fe80::1", "link-local"},
		{"0.0.0.0", "unspecified"},
		{"0.1.2.3", "unspecified"},
		{"::", "unspecified"},
		{"224.0.0.1", "multicast"},
		{"ff02::1", "multicast"},
		{"255.255.255.255", "multicast"},
		{"100.64.0.1", "shared (CGNAT)"},
		{"100.127.255.254", "shared (CGNAT)"},
		{"::ffff:10.0.0.1", "private"},
		{"::ffff:127.0.0.1", "loopback"},
		{"64:ff9b::a9fe:a9fe", "link-local (cloud metadata)"},
		{"192.0.0.8", "reserved (IETF protocol assignments)"},
		{"198.18.0.1", "reserved (benchmarking)"},
		{"198.19.255.254", "reserved (benchmarking)"},
		{"240.0.0.1", "reserved (future use)"},
		{"::127.0.0.1", "loopback"},
		{"::10.1.2.3", "private"},
		{"::8.8.8.8", "reserved"},
		{"::ffff:0:127.0.0.1", "loopback"},
		{"::ffff:0:8.8.8.8", "reserved"},
		{"64:ff9b:1::7f00:1", "loopback"},
		{"64:ff9b:1::808:808", "private"},
		{"2002:7f00:1::", "loopback"},
		{"2002:c0a8:101::1", "private"},
		{"2002:a9fe:a9fe::", "link-local (cloud metadata)"},
		{"2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"},
		{"2001:0:4136:e378:8000:63bf:f5ff:fffe", "private"},
		{"fe80::1%eth0", "link-local"},
		{"8.8.8.8", ""},
		{"64:ff9b::808:808", ""},
		{"2002:808:808::1", ""},
		{"2001:0:4136:e378:8000:63bf:f7f7:f7f7", ""},
		{"198.20.0.1", ""},
		{"100.128.0.1", ""},
		{"172.32.0.1", ""},
		{"2001:4860:4860::8888", ""},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if got := addressClass(netip.MustParseAddr(tt.addr)); got != tt.want {
				t.Errorf("addressClass(%s) = %q, want %q", tt.addr, got, tt.want)
			}
		})
	}
}

// fakeNet is a resolver and dialer for the guard: names resolve as the test
// says, and dials of the pretend public address reach the real test server
// on 127.0.0.1. Nothing leaves the machine.
type fakeNet struct {
	t       *testing.T
	target  string // host:port of the test server
	hosts   map[string][]netip.Addr
	mu      sync.Mutex
	lookups map[string]int
	dialed  []string
}

const publicIP = "203.0.113.7"

func (n *fakeNet) fetcher() *Fetcher {
	n.lookups = map[string]int{}
	return &Fetcher{lookup: n.lookup, dial: n.dial}
}

func (n *fakeNet) lookup(_ context.Context, host string) ([]netip.Addr, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.lookups[host]++
	if addrs, ok := n.hosts[host]; ok {
		return addrs, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func (n *fakeNet) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	n.mu.Lock()
	n.dialed = append(n.dialed, addr)
	n.mu.Unlock()
	host, _, _ := net.SplitHostPort(addr)
	if host != publicIP {
		n.t.Errorf("dialled %s, which the guard should have refused or never resolved", addr)
		return nil, errors.New("test network: unexpected address")
	}
	var d net.Dialer
	return d.DialContext(ctx, network, n.target)
}

func addrs(s ...string) []netip.Addr {
	var out []netip.Addr
	for _, a := range s {
		out = append(out, netip.MustParseAddr(a))
	}
	return out
}

func TestGuardRefusesLiteralAddresses(t *testing.T) {
	n := &fakeNet{t: t}
	f := n.fetcher()
	tests := []struct{ url, want string }{
		{"http://10.0.0.1/feed.xml", "refusing to fetch http://10.0.0.1/feed.xml: 10.0.0.1 is a private address (set fetch.allow_private to allow)"},
		{"http://169.254.169.254/latest/meta-data/", "refusing to fetch http://169.254.169.254/latest/meta-data/: 169.254.169.254 is a link-local (cloud metadata) address (set fetch.allow_private to allow)"},
		{"http://[::1]:8080/feed", "refusing to fetch http://[::1]:8080/feed: ::1 is a loopback address (set fetch.allow_private to allow)"},
		{"https://100.64.0.1/feed", "refusing to fetch https://100.64.0.1/feed: 100.64.0.1 is a shared (CGNAT) address (set fetch.allow_private to allow)"},
		{"http://[::ffff:192.168.0.1]/", "refusing to fetch http://[::ffff:192.168.0.1]/: ::ffff:192.168.0.1 (192.168.0.1) is a private address (set fetch.allow_private to allow)"},
		{"http://0.0.0.0:80/", "refusing to fetch http://0.0.0.0:80/: 0.0.0.0 is an unspecified address (set fetch.allow_private to allow)"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), Request{URL: tt.url})
			if !errors.Is(err, ErrPrivateAddress) || err.Error() != tt.want {
				t.Errorf("err = %v\nwant %q", err, tt.want)
			}
		})
	}
	if len(n.lookups) != 0 || len(n.dialed) != 0 {
		t.Errorf("literal addresses caused lookups %v and dials %v", n.lookups, n.dialed)
	}
}

func TestGuardRefusesLoopbackServer(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	f := &Fetcher{}
	_, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/feed.xml"})
	want := fmt.Sprintf("refusing to fetch %s/feed.xml: 127.0.0.1 is a loopback address (set fetch.allow_private to allow)", srv.URL)
	if !errors.Is(err, ErrPrivateAddress) || err.Error() != want {
		t.Errorf("err = %v\nwant %q", err, want)
	}
	if hits.Load() != 0 {
		t.Error("the refused request reached the server")
	}
	if _, err := f.Fetch(context.Background(), Request{URL: srv.URL, AllowPrivate: true}); err != nil || hits.Load() != 1 {
		t.Errorf("AllowPrivate: err = %v, hits = %d", err, hits.Load())
	}
	// The permissive request's pooled connection must not serve a strict one.
	if _, err := f.Fetch(context.Background(), Request{URL: srv.URL}); !errors.Is(err, ErrPrivateAddress) || hits.Load() != 1 {
		t.Errorf("strict request after a permissive one: err = %v, hits = %d", err, hits.Load())
	}
}

func TestGuardRefusesRedirectToPrivateHost(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-internal":
			http.Redirect(w, r, "http://internal.test/admin", http.StatusFound)
		case "/to-loopback":
			http.Redirect(w, r, "http://127.0.0.1:9/", http.StatusMovedPermanently)
		case "/to-metadata":
			http.Redirect(w, r, "http://metadata.test/latest/", http.StatusTemporaryRedirect)
		default:
			fmt.Fprint(w, rssBody)
		}
	}))
	defer srv.Close()
	n := &fakeNet{t: t, target: srv.Listener.Addr().String(), hosts: map[string][]netip.Addr{
		"public.test":   addrs(publicIP),
		"internal.test": addrs("10.0.0.1"),
		"metadata.test": addrs("169.254.169.254"),
	}}
	f := n.fetcher()

	if resp, err := f.Fetch(context.Background(), Request{URL: "http://public.test/feed.xml"}); err != nil || string(resp.Body) != rssBody {
		t.Fatalf("public host: %v", err)
	}
	tests := []struct{ path, want string }{
		{"/to-internal", "refusing to fetch http://internal.test/admin (redirected from http://public.test/to-internal): internal.test (10.0.0.1) is a private address"},
		{"/to-loopback", "refusing to fetch http://127.0.0.1:9/ (redirected from http://public.test/to-loopback): 127.0.0.1 is a loopback address"},
		{"/to-metadata", "refusing to fetch http://metadata.test/latest/ (redirected from http://public.test/to-metadata): metadata.test (169.254.169.254) is a link-local (cloud metadata) address"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), Request{URL: "http://public.test" + tt.path})
			if !errors.Is(err, ErrPrivateAddress) || !strings.HasPrefix(fmt.Sprint(err), tt.want) {
				t.Errorf("err = %v\nwant prefix %q", err, tt.want)
			}
		})
	}
}

// A name that answers with a public address first and a private one later
// (DNS rebinding) is checked again when the next connection is dialled.
func TestGuardChecksEveryDial(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, rssBody) }))
	defer srv.Close()
	n := &fakeNet{t: t, target: srv.Listener.Addr().String(), hosts: map[string][]netip.Addr{
		"rebind.test": addrs(publicIP),
		"mixed.test":  addrs("10.1.2.3", publicIP),
	}}
	f := n.fetcher()
	// A caller's own transport is cloned with the guard installed.
	f.Client = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

	if _, err := f.Fetch(context.Background(), Request{URL: "http://rebind.test/"}); err != nil {
		t.Fatal(err)
	}
	n.mu.Lock()
	n.hosts["rebind.test"] = addrs("127.0.0.1")
	n.mu.Unlock()
	if _, err := f.Fetch(context.Background(), Request{URL: "http://rebind.test/"}); !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("after rebinding to 127.0.0.1: err = %v, want ErrPrivateAddress", err)
	}

	// Of a mixed answer, only the public address is dialled.
	if _, err := f.Fetch(context.Background(), Request{URL: "http://mixed.test/"}); err != nil {
		t.Errorf("mixed answer: %v", err)
	}
	if last := n.dialed[len(n.dialed)-1]; last != publicIP+":80" {
		t.Errorf("dialled %s, want %s:80", last, publicIP)
	}
}

func TestLiteralAddress(t *testing.T) {
	tests := []struct{ url, want string }{
		{"http://192.168.1.20/feed.xml", "192.168.1.20 is a private address (set fetch.allow_private to allow)"},
		{"http://localhost:8080/x", "localhost (127.0.0.1) is a loopback address (set fetch.allow_private to allow)"},
		{"http://[::1]/x", "::1 is a loopback address (set fetch.allow_private to allow)"},
		{"http://169.254.169.254/latest", "169.254.169.254 is a link-local (cloud metadata) address (set fetch.allow_private to allow)"},
		{"https://93.184.215.14/", ""},
		{"https://feeds.bbci.co.uk/news/rss.xml", ""},
		{"/srv/feeds/local.xml", ""},
	}
	for _, tt := range tests {
		got := ""
		if e := LiteralAddress(tt.url); e != nil {
			got = e.Error()
		}
		if got != tt.want {
			t.Errorf("LiteralAddress(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}
