package feed

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// AddressError says why the address a host resolved to was refused. It
// unwraps to ErrPrivateAddress.
type AddressError struct {
	Host  string     // host name or literal as the URL gave it
	Addr  netip.Addr // the address that was refused
	Class string     // "loopback", "private", "link-local", …
	Via   string     // how an IPv4 address hides in Addr, e.g. "6to4 for 10.0.0.1"; "" when it does not
}

func (e *AddressError) Error() string {
	what := e.Addr.String()
	if e.Host != "" && e.Host != what {
		what = fmt.Sprintf("%s (%s)", e.Host, e.Addr)
	}
	article := "a"
	if strings.ContainsRune("aeiou", rune(e.Class[0])) {
		article = "an"
	}
	via := ""
	if e.Via != "" {
		via = ", " + e.Via
	}
	return fmt.Sprintf("%s is %s %s address%s (set fetch.allow_private to allow)", what, article, e.Class, via)
}

func (e *AddressError) Unwrap() error { return ErrPrivateAddress }

var (
	cgnat     = netip.MustParsePrefix("100.64.0.0/10")
	thisNet   = netip.MustParsePrefix("0.0.0.0/8")
	ietf      = netip.MustParsePrefix("192.0.0.0/24")
	benchmark = netip.MustParsePrefix("198.18.0.0/15")
	future    = netip.MustParsePrefix("240.0.0.0/4")
	siteLocal = netip.MustParsePrefix("fec0::/10")
	broadcast = netip.AddrFrom4([4]byte{255, 255, 255, 255})
)

// wrapper is a block of IPv6 whose addresses carry an IPv4 address that a
// translator, tunnel or the kernel itself will connect to in the end.
type wrapper struct {
	prefix netip.Prefix
	name   string
	v4     func(b [16]byte) [4]byte
	// public is the class given when the IPv4 inside is an ordinary public
	// address: "" lets it through (a real NAT64 or 6to4 gateway reaches
	// the internet), anything else refuses the whole block.
	public string
}

func last4(b [16]byte) [4]byte { return [4]byte{b[12], b[13], b[14], b[15]} }

// wrappers are checked in order; ::/96 is matched after :: and ::1 are.
var wrappers = []wrapper{
	// ::a.b.c.d, deprecated since 2006 but still routed to a.b.c.d by
	// some stacks.
	{netip.MustParsePrefix("::/96"), "IPv4-compatible IPv6", last4, "reserved"},
	// ::ffff:0:a.b.c.d, SIIT's IPv4-translated form.
	{netip.MustParsePrefix("::ffff:0:0:0/96"), "IPv4-translated IPv6", last4, "reserved"},
	{netip.MustParsePrefix("64:ff9b::/96"), "NAT64", last4, ""},
	// The local-use NAT64 prefix only ever reaches the operator's network.
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local-use NAT64", last4, "private"},
	{netip.MustParsePrefix("2002::/16"), "6to4", func(b [16]byte) [4]byte { return [4]byte{b[2], b[3], b[4], b[5]} }, ""},
	// Teredo stores the client's IPv4 address inverted.
	{netip.MustParsePrefix("2001::/32"), "Teredo", func(b [16]byte) [4]byte { return [4]byte{^b[12], ^b[13], ^b[14], ^b[15]} }, ""},
}

// addressClass names the kind of non-public address a is, or returns ""
// when a is an ordinary public address.
func addressClass(a netip.Addr) string {
	class, _ := classify(a)
	return class
}

// classify is addressClass that also says, for an IPv4 address inside
// IPv6 (mapped, compatible, NAT64, 6to4, Teredo), which IPv4 address it
// reaches: it is judged by that address, since that is where a connection
// to it ends up.
func classify(a netip.Addr) (class, via string) {
	a = a.WithZone("").Unmap()
	if a.Is6() && !a.IsLoopback() && !a.IsUnspecified() {
		for _, w := range wrappers {
			if !w.prefix.Contains(a) {
				continue
			}
			inner := netip.AddrFrom4(w.v4(a.As16()))
			via = fmt.Sprintf("%s for %s", w.name, inner)
			if class := classify4(inner); class != "" {
				return class, via
			}
			if w.public != "" {
				return w.public, via
			}
			return "", ""
		}
	}
	return classify4(a), ""
}

// classify4 judges a plain address (IPv4, or IPv6 that wraps none).
func classify4(a netip.Addr) string {
	switch {
	case a.IsLoopback():
		return "loopback"
	case a.IsUnspecified(), thisNet.Contains(a):
		return "unspecified"
	case a.IsPrivate(), siteLocal.Contains(a):
		return "private"
	case a.IsLinkLocalUnicast():
		if a == netip.AddrFrom4([4]byte{169, 254, 169, 254}) {
			return "link-local (cloud metadata)"
		}
		return "link-local"
	case a.IsMulticast(), a == broadcast:
		return "multicast"
	case cgnat.Contains(a):
		return "shared (CGNAT)"
	case ietf.Contains(a):
		return "reserved (IETF protocol assignments)"
	case benchmark.Contains(a):
		return "reserved (benchmarking)"
	case future.Contains(a):
		return "reserved (future use)"
	}
	return ""
}

// dialer resolves host names itself and connects only to addresses the
// policy allows, dialling the checked IP rather than the name so that a
// second DNS answer (rebinding) can never slip in between check and connect.
type dialer struct {
	allowPrivate bool
	lookup       func(ctx context.Context, host string) ([]netip.Addr, error)
	dial         func(ctx context.Context, network, addr string) (net.Conn, error)
}

func (d *dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	addrs, err := d.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	var refused, dialErr error
	for _, a := range addrs {
		if class, via := classify(a); class != "" && !d.allowPrivate {
			if refused == nil {
				refused = &AddressError{Host: host, Addr: a.Unmap(), Class: class, Via: via}
			}
			continue
		}
		conn, err := d.dial(ctx, network, net.JoinHostPort(a.Unmap().String(), port))
		if err == nil {
			return conn, nil
		}
		dialErr = err
	}
	if dialErr != nil {
		return nil, dialErr
	}
	if refused != nil {
		return nil, refused
	}
	return nil, fmt.Errorf("lookup %s: no addresses", host)
}

func (d *dialer) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return []netip.Addr{a.WithZone("")}, nil
	}
	addrs, err := d.lookup(ctx, host)
	if err != nil {
		return nil, err
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("lookup %s: no addresses", host)
	}
	return addrs, nil
}

func defaultLookup(ctx context.Context, host string) ([]netip.Addr, error) {
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}
