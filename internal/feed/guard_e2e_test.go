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

// ssrfForms are the ways of writing an address the guard must refuse,
// each with what the refusal must say after naming it. The IPv4 inside the wrapped
// forms is the loopback the victim listens on, or a private address.
var ssrfForms = []struct{ addr, want string }{
	{"127.0.0.1", "is a loopback address"},
	{"::1", "is a loopback address"},
	{"::ffff:127.0.0.1", "is a loopback address"},
	{"::127.0.0.1", "is a loopback address, IPv4-compatible IPv6 for 127.0.0.1"},
	{"::ffff:0:127.0.0.1", "is a loopback address, IPv4-translated IPv6 for 127.0.0.1"},
	{"64:ff9b::7f00:1", "is a loopback address, NAT64 for 127.0.0.1"},
	{"64:ff9b:1::7f00:1", "is a loopback address, local-use NAT64 for 127.0.0.1"},
	{"64:ff9b:1::808:808", "is a private address, local-use NAT64 for 8.8.8.8"},
	{"2002:7f00:1::", "is a loopback address, 6to4 for 127.0.0.1"},
	{"2002:c0a8:101::1", "is a private address, 6to4 for 192.168.1.1"},
	{"2001:0:4136:e378:8000:63bf:80ff:fffe", "is a loopback address, Teredo for 127.0.0.1"},
	{"10.0.0.1", "is a private address"},
	{"fd00::1", "is a private address"},
	{"169.254.169.254", "is a link-local (cloud metadata) address"},
	{"fe80::1", "is a link-local address"},
	{"100.64.0.1", "is a shared (CGNAT) address"},
	{"0.0.0.0", "is an unspecified address"},
	{"192.0.0.8", "is a reserved (IETF protocol assignments) address"},
	{"198.18.0.1", "is a reserved (benchmarking) address"},
	{"240.0.0.1", "is a reserved (future use) address"},
}

// TestGuardNothingReachesLoopback fetches every SSRF form three ways - as
// a literal, as a name that resolves to it, and as a redirect from a
// public site - with the real dialer, and checks each is refused naming
// the address, that nothing but the public site was ever dialled, and
// that the listener on loopback accepted no connection.
func TestGuardNothingReachesLoopback(t *testing.T) {
	victim, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer victim.Close()
	var reached atomic.Int32
	go func() {
		for {
			c, err := victim.Accept()
			if err != nil {
				return
			}
			reached.Add(1)
			c.Close()
		}
	}()
	port := victim.Addr().(*net.TCPAddr).Port

	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	}))
	defer site.Close()

	hosts := map[string][]netip.Addr{"public.test": addrs(publicIP)}
	for i, f := range ssrfForms {
		hosts[fmt.Sprintf("evil%d.test", i)] = addrs(f.addr)
	}
	var mu sync.Mutex
	var dialed []string
	real := &net.Dialer{}
	f := &Fetcher{
		lookup: func(_ context.Context, host string) ([]netip.Addr, error) {
			if a, ok := hosts[host]; ok {
				return a, nil
			}
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		},
		dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			mu.Lock()
			dialed = append(dialed, addr)
			mu.Unlock()
			if host, _, _ := net.SplitHostPort(addr); host == publicIP {
				addr = site.Listener.Addr().String()
			}
			return real.DialContext(ctx, network, addr)
		},
	}

	for i, form := range ssrfForms {
		literal := fmt.Sprintf("http://%s/feed.xml", net.JoinHostPort(form.addr, fmt.Sprint(port)))
		named := fmt.Sprintf("http://evil%d.test:%d/feed.xml", i, port)
		for _, u := range []string{literal, named, "http://public.test/go?to=" + literal, "http://public.test/go?to=" + named} {
			t.Run(u, func(t *testing.T) {
				_, err := f.Fetch(context.Background(), Request{URL: u})
				addr := netip.MustParseAddr(form.addr).Unmap().String()
				if !errors.Is(err, ErrPrivateAddress) || !strings.Contains(err.Error(), addr+" is ") && !strings.Contains(err.Error(), addr+") is ") ||
					!strings.Contains(err.Error(), form.want) {
					t.Errorf("err = %v\nwant ErrPrivateAddress naming %s: %q", err, addr, form.want)
				}
			})
		}
	}
	for _, a := range dialed {
		if host, _, _ := net.SplitHostPort(a); host != publicIP {
			t.Errorf("dialled %s: the guard let it through to a connection", a)
		}
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("the listener on loopback accepted %d connections", n)
	}
}
