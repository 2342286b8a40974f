package revision

import (
	"net/url"
	"testing"
	"unicode/utf8"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "https://example.com/a/b", "https://example.com/a/b"},
		{"case of scheme and host", "HTTPS://Example.COM/Path", "https://example.com/Path"},
		{"fragment dropped", "https://example.com/a#comments", "https://example.com/a"},
		{"default https port", "https://example.com:443/a", "https://example.com/a"},
		{"default http port", "http://example.com:80/a", "http://example.com/a"},
		{"other port kept", "http://example.com:8080/a", "http://example.com:8080/a"},
		{"trailing slash", "https://example.com/a/b/", "https://example.com/a/b"},
		{"root keeps its slash", "https://example.com", "https://example.com/"},
		{"root slash", "https://example.com/", "https://example.com/"},
		{"utm params", "https://example.com/a?utm_source=rss&utm_medium=feed&utm_campaign=x", "https://example.com/a"},
		{"click ids", "https://example.com/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&_ga=5&igshid=6&ocid=7&cmpid=8", "https://example.com/a"},
		{"ref params", "https://example.com/a?ref=hn&ref_src=twsrc", "https://example.com/a"},
		{"query sorted", "https://example.com/a?b=2&a=1&utm_source=x", "https://example.com/a?a=1&b=2"},
		{"same key sorted by value", "https://example.com/a?t=2&t=1", "https://example.com/a?t=1&t=2"},
		{"tracking key case", "https://example.com/a?UTM_Source=x&id=3", "https://example.com/a?id=3"},
		{"encoding normalised", "https://example.com/a?q=a%20b", "https://example.com/a?q=a+b"},
		{"semicolon query kept", "https://example.com/a?x=1;y=2", "https://example.com/a?x=1%3By%3D2"},
		{"trailing dot host", "https://example.com./a", "https://example.com/a"},
		{"ipv6", "http://[::1]:8000/a", "http://[::1]:8000/a"},
		{"spaces around", "  https://example.com/a  ", "https://example.com/a"},
		{"relative", "/a/b", ""},
		{"no scheme", "example.com/a", ""},
		{"mailto", "mailto:someone@example.com", ""},
		{"garbage", "http://%zz", ""},
		{"empty", "", ""},
		{"unparsable once bracketed (FuzzCanonicalURL)", "A://::", ""},
		{"other scheme kept for matching", "FTP://Example.com/a/", "ftp://example.com/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanonicalURL(tt.in); got != tt.want {
				t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHost(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.Engadget.com/2014/12/20/x": "engadget.com",
		"http://n4g.com:8080/news":              "n4g.com",
		"not a url":                             "",
	} {
		if got := Host(in); got != want {
			t.Errorf("Host(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{"https://Example.com:443/a/?utm_source=x&b=2&a=1#f", "http://[::1]/", "http://%zz", "/rel", "x://h/%2F?&&=&a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := CanonicalURL(raw)
		if got == "" {
			return
		}
		if !utf8.ValidString(raw) {
			return
		}
		if _, err := url.Parse(got); err != nil {
			t.Fatalf("CanonicalURL(%q) = %q, which does not parse: %v", raw, got, err)
		}
		if again := CanonicalURL(got); again != got {
			t.Fatalf("not idempotent: %q → %q → %q", raw, got, again)
		}
	})
}
