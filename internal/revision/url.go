package revision

import (
	"net/url"
	"sort"
	"strings"
)

// trackingParams are query parameters that only tell the publisher where a
// click came from; two links that differ only in them are the same page.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gclsrc": true, "msclkid": true,
	"yclid": true, "twclid": true, "ttclid": true, "li_fat_id": true,
	"mc_cid": true, "mc_eid": true, "_ga": true, "_gl": true, "_hsenc": true,
	"_hsmi": true, "igshid": true, "igsh": true, "ocid": true, "cmpid": true,
	"ref": true, "ref_src": true, "ref_url": true, "referrer": true,
	"smid": true, "smtyp": true, "s_cid": true, "ncid": true, "soc_src": true,
	"soc_trk": true, "sr_share": true, "spm": true, "share": true,
	"wt.mc_id": true, "mkt_tok": true, "oly_anon_id": true, "oly_enc_id": true,
	"vero_id": true, "rb_clickid": true, "__twitter_impression": true,
	"at_medium": true, "at_campaign": true, "guccounter": true,
	"guce_referrer": true, "guce_referrer_sig": true,
}

// trackingPrefixes catch families of parameters (utm_source, utm_medium…).
var trackingPrefixes = []string{"utm_", "pk_", "mtm_", "hsa_", "itm_"}

// IsTrackingParam reports whether a query parameter name only tracks the click.
func IsTrackingParam(name string) bool {
	n := strings.ToLower(name)
	if trackingParams[n] {
		return true
	}
	for _, p := range trackingPrefixes {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return false
}

var defaultPorts = map[string]string{"http": "80", "https": "443"}

// CanonicalURL returns the form of an absolute URL under which the store
// files a story: scheme and host in lower case, no fragment, no default
// port, no trailing slash (except the root "/"), tracking parameters
// removed and the rest of the query sorted. It returns "" for anything
// that is not an absolute URL with a host, or whose canonical form would
// not parse again.
func CanonicalURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme == "" || u.Host == "" || u.Opaque != "" {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return ""
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	if port := u.Port(); port != "" && port != defaultPorts[scheme] {
		host += ":" + port
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if len(path) > 1 {
		path = strings.TrimRight(path, "/")
		if path == "" {
			path = "/"
		}
	}
	out := scheme + "://" + host + path
	if q := canonicalQuery(u.RawQuery); q != "" {
		out += "?" + q
	}
	// Lower-casing and re-bracketing can turn a host url.Parse tolerated
	// into one it refuses ("A://::" → "a://[:]/"); a key nothing can parse
	// back would reach every link shown to a reader.
	if _, err := url.Parse(out); err != nil {
		return ""
	}
	return out
}

// canonicalQuery drops tracking parameters and sorts the rest. It splits by
// hand rather than with url.ParseQuery, which rejects ";" and would lose the
// whole query for one odd pair.
func canonicalQuery(raw string) string {
	type pair struct{ k, v string }
	var pairs []pair
	for _, piece := range strings.Split(raw, "&") {
		if piece == "" {
			continue
		}
		k, v, _ := strings.Cut(piece, "=")
		k, v = unescapeQuery(k), unescapeQuery(v)
		if k == "" || IsTrackingParam(k) {
			continue
		}
		pairs = append(pairs, pair{k, v})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = url.QueryEscape(p.k) + "=" + url.QueryEscape(p.v)
	}
	return strings.Join(parts, "&")
}

func unescapeQuery(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// Host returns the lower-case host name of an absolute URL, without "www."
// and port, or "" when there is none. Sites that serve the same story under
// www and bare domains are one site.
func Host(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	return strings.TrimPrefix(h, "www.")
}
