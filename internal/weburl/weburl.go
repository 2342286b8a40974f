// Package weburl answers the questions newsbot asks of web addresses in
// many places: which site a link is on, which server a fetch goes to, and
// what a relative link points at.
package weburl

import (
	"net/url"
	"strings"
)

// Host is the site a URL is on, for display and grouping: the host name
// in lower case, without a "www." prefix, a trailing dot or the port. It is
// "" when raw has no host (a file path, a relative link, junk).
func Host(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	return strings.TrimPrefix(h, "www.")
}

// Server is the server a fetch of raw connects to, as "host" or
// "host:port" (the port only when it is not the scheme's default), in
// lower case. Local paths and junk share the key "".
func Server(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	switch p := u.Port(); {
	case p == "", p == "80" && u.Scheme == "http", p == "443" && u.Scheme == "https":
		return h
	default:
		return h + ":" + p
	}
}

// Absolute parses s when it is an absolute http(s) URL, else returns nil:
// a file path or a relative link is no base for other links.
func Absolute(s string) *url.URL {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil
	}
	return u
}

// Resolve makes ref absolute against base when it can. A nil base, or a
// reference that does not parse, gives ref as it was written (trimmed).
func Resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || base == nil {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return base.ResolveReference(u).String()
}
