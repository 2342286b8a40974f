package emulator

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// discordHosts are the hosts whose requests Transport sends to the emulator.
var discordHosts = map[string]bool{
	"discord.com": true, "www.discord.com": true, "canary.discord.com": true, "ptb.discord.com": true,
	"discordapp.com": true, "www.discordapp.com": true,
}

type rewriter struct {
	target *url.URL
	base   http.RoundTripper
}

// Transport returns a RoundTripper that sends requests for discord.com
// (and discordapp.com) to the emulator at baseURL instead, keeping the
// path. Requests already aimed at baseURL pass through; any other host is
// refused, so a test cannot reach the real network by accident. No global
// variable changes, so tests using it run in parallel.
func Transport(baseURL string) http.RoundTripper {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return errTransport{fmt.Errorf("emulator transport: bad base URL %q", baseURL)}
	}
	return &rewriter{target: u, base: http.DefaultTransport.(*http.Transport).Clone()}
}

// HTTPClient is an *http.Client using Transport(baseURL): set it as a
// discordgo Session's Client and every REST call, gateway discovery
// included, reaches the emulator.
func HTTPClient(baseURL string) *http.Client {
	return &http.Client{Transport: Transport(baseURL)}
}

func (t *rewriter) RoundTrip(r *http.Request) (*http.Response, error) {
	host := strings.ToLower(r.URL.Hostname())
	switch {
	case discordHosts[host]:
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host = t.target.Scheme, t.target.Host
		r.URL.Path = strings.TrimSuffix(t.target.Path, "/") + r.URL.Path
		r.Host = t.target.Host
	case r.URL.Host == t.target.Host:
	default:
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, fmt.Errorf("emulator transport: refusing request to %s: only Discord hosts are sent to the emulator", r.URL.Host)
	}
	return t.base.RoundTrip(r)
}

type errTransport struct{ err error }

func (e errTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r.Body.Close()
	}
	return nil, e.err
}
