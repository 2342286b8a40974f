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
	return fmt.Sprintf("%s is %s %s address (set fetch.allow_private to allow)", what, article, e.Class)
}

func (e *AddressError) Unwrap() error { return ErrPrivateAddress }

var (
	cgnat     = netip.MustParsePrefix("100.64.0.0/10")
	thisNet   = netip.MustParsePrefix("0.0.0.0/8")
	siteLocal = netip.MustParsePrefix("fec0::/10")
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	broadcast = netip.AddrFrom4([4]byte{255, 255, 255, 255})
)

// addressClass names the kind of non-public address a is, or returns ""
// when a is an ordinary public address. IPv4 addresses hidden inside IPv6
// (mapped, NAT64) are judged by the IPv4 address they reach.
func addressClass(a netip.Addr) string {
	a = a.Unmap()
	if a.Is6() && nat64.Contains(a) {
		b := a.As16()
		a = netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	}
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
		if class := addressClass(a); class != "" && !d.allowPrivate {
			if refused == nil {
				refused = &AddressError{Host: host, Addr: a.Unmap(), Class: class}
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
