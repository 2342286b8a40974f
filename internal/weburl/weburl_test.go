package weburl

import (
	"net/url"
	"testing"
)

func TestHost(t *testing.T) {
	for raw, want := range map[string]string{
		"https://www.Example.com/a":      "example.com",
		"http://news.example.com:8080/x": "news.example.com",
		"https://example.com./feed":      "example.com",
		"/etc/feeds/world.xml":           "",
		"not a url at all":               "",
		"https://[::1]:8443/feed":        "::1",
	} {
		if got := Host(raw); got != want {
			t.Errorf("Host(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestServer(t *testing.T) {
	for raw, want := range map[string]string{
		"https://Example.com/a":         "example.com",
		"https://example.com:443/a":     "example.com",
		"http://example.com:80/a":       "example.com",
		"http://127.0.0.1:41234/f.xml":  "127.0.0.1:41234",
		"https://www.example.com/a":     "www.example.com",
		"feeds/local.xml":               "",
		"http://example.com:8443/x.xml": "example.com:8443",
	} {
		if got := Server(raw); got != want {
			t.Errorf("Server(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestResolve(t *testing.T) {
	base, _ := url.Parse("https://example.com/news/feed.xml")
	for _, tc := range []struct {
		base *url.URL
		ref  string
		want string
	}{
		{base, "story/1", "https://example.com/news/story/1"},
		{base, " /img/a.png ", "https://example.com/img/a.png"},
		{base, "https://other.example/x", "https://other.example/x"},
		{nil, "story/1", "story/1"},
		{base, "", ""},
		{base, "%zz", "%zz"},
	} {
		if got := Resolve(tc.base, tc.ref); got != tc.want {
			t.Errorf("Resolve(%v, %q) = %q, want %q", tc.base, tc.ref, got, tc.want)
		}
	}
	if Absolute("/etc/feed.xml") != nil || Absolute("ftp://example.com/x") != nil || Absolute("https://example.com") == nil {
		t.Error("Absolute accepts only absolute http(s) URLs")
	}
}
