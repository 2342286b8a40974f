package render

import (
	"net/url"
	"strings"
)

// MaxURL is the longest link Discord accepts in an embed.
const MaxURL = 2048

// Link returns raw as a link Discord will take, or "" when there is none
// to give: only absolute http(s) URLs with a host are links. A story's
// link comes from a stranger's feed, and anything else (ftp://, a
// javascript: URL, a host no parser accepts) makes Discord refuse the
// whole message with 50035 - the story would never be posted, and a
// command showing it would never answer. Without its link the story
// still posts.
//
// The result is also safe as a markdown link target: user info (the
// "bank.example@evil.example" trick) is dropped, and characters that
// would end the link or hide in it - brackets, spaces, quotes, anything
// outside ASCII - are percent-encoded.
func Link(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return ""
	}
	u.User = nil
	s := encodeLink(u.String())
	if len(s) > MaxURL {
		return ""
	}
	if again, err := url.Parse(s); err != nil || again.Host == "" {
		return ""
	}
	return s
}

// encodeLink percent-encodes what url.URL.String leaves raw (the query
// keeps its bytes as given) and what markdown reads as the end of a link.
func encodeLink(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>\"`\\|^{}", c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
