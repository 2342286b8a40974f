package feed

import (
	"net/netip"
	"net/url"
	"strings"
)

// LiteralAddress judges a URL by its host alone, without resolving it: an
// address literal or localhost that the guard would refuse comes back as
// an *AddressError, anything else (a name only DNS can judge) as nil.
// `newsbot check` uses it to catch, with no network, a feed the bot could
// never fetch.
func LiteralAddress(rawURL string) *AddressError {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || u.Host == "" {
		return nil
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return &AddressError{Host: u.Hostname(), Addr: netip.AddrFrom4([4]byte{127, 0, 0, 1}), Class: "loopback"}
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return nil
	}
	if class := addressClass(a); class != "" {
		return &AddressError{Host: u.Hostname(), Addr: a.Unmap().WithZone(""), Class: class}
	}
	return nil
}
