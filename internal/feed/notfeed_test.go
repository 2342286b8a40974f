package feed

import (
	"errors"
	"strings"
	"testing"
)

func TestKindOf(t *testing.T) {
	const login = "<!DOCTYPE html>\n<html><head><title>Sign in &ndash; Example\n News</title></head><body><form>…</form></body></html>"
	tests := []struct {
		name        string
		kind        Kind
		body, ctype string
		want        Kind
		err         string
	}{
		{"rss under auto", KindAuto, rssBody, "text/xml", KindRSS, ""},
		{"rss under no kind", "", rssBody, "", KindRSS, ""},
		{"atom told rss", KindRSS, `<feed xmlns="http://www.w3.org/2005/Atom"/>`, "", KindAtom, ""},
		{"login page labelled rss", KindAuto, login, "application/rss+xml; charset=utf-8", "",
			`not a feed: got an HTML page titled "Sign in – Example News" (served as application/rss+xml); nothing from it is posted (if this URL is one article page, set kind: page)`},
		{"challenge page without a title", KindAuto, "<html><body>Checking your browser</body></html>", "text/html", "",
			"not a feed: got an HTML page (served as text/html); nothing from it is posted (if this URL is one article page, set kind: page)"},
		{"html where rss is configured", KindRSS, login, "", "",
			`not a feed: got an HTML page titled "Sign in – Example News"; nothing from it is posted (if this URL is one article page, set kind: page)`},
		{"xml error document", KindAuto, `<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>`, "application/xml", "",
			"not a feed: got an XML document whose root is <Error> (served as application/xml); nothing from it is posted (if this URL is one article page, set kind: page)"},
		{"plain text", KindAuto, "Rate limit exceeded\nTry later", "text/plain", "",
			`not a feed: got plain text beginning "Rate limit exceeded" (served as text/plain); nothing from it is posted (if this URL is one article page, set kind: page)`},
		{"json api answer", KindJSON, `{"error": "unauthorized"}`, "application/json", "",
			"not a feed: got JSON without a jsonfeed.org version (served as application/json); nothing from it is posted (if this URL is one article page, set kind: page)"},
		{"empty", KindAuto, "", "", "", "not a feed: got an empty document; nothing from it is posted (if this URL is one article page, set kind: page)"},
		{"hostile title", KindAuto, "<html><title>\u202egnp.exe\x1b[31m</title></html>", "", "",
			`not a feed: got an HTML page titled "gnp.exe[31m"; nothing from it is posted (if this URL is one article page, set kind: page)`},
		{"invalid bytes before the title", KindAuto, "<html>" + strings.Repeat("\x80", 10) + "<title>Front page</title>", "", "",
			`not a feed: got an HTML page titled "Front page"; nothing from it is posted (if this URL is one article page, set kind: page)`},
		{"page configured", KindPage, login, "text/html", KindPage, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := KindOf(tt.kind, []byte(tt.body), tt.ctype)
			if tt.err == "" {
				if err != nil || got != tt.want {
					t.Errorf("KindOf = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			var nf *NotFeedError
			if !errors.As(err, &nf) || err.Error() != tt.err {
				t.Errorf("KindOf = %q, %v\nwant error %q", got, err, tt.err)
			}
		})
	}
}
