package config

import (
	"strings"
	"testing"
)

func TestCommentAPI(t *testing.T) {
	tests := []struct {
		name         string
		yaml         string
		id           string
		wantURL      string
		wantAPI      CommentAPI
		wantInSummar string
	}{
		{"hackernews defaults to firebase", oneFeed("    comments: {source: hackernews}\n"), "example", "", APIFirebase, "hackernews, keep up to 2000"},
		{"algolia at a mirror", oneFeed("    comments: {source: hackernews, api: algolia, api_url: \"http://127.0.0.1:9/hn/\"}\n"),
			"example", "http://127.0.0.1:9/hn", APIAlgolia, "(Algolia API), API at http://127.0.0.1:9/hn"},
		{"reddit mirror", oneFeed("    comments: {source: reddit, api_url: https://old.example.org}\n"), "example", "https://old.example.org", "", "API at https://old.example.org"},
		{"inherited for the same source", "defaults:\n  comments: {source: reddit, api_url: https://mirror.example}\n" + oneFeed(""),
			"example", "https://mirror.example", "", "reddit"},
		{"not inherited by another source", "defaults:\n  comments: {source: reddit, api_url: https://mirror.example}\n" + oneFeed("    comments: {source: hackernews}\n"),
			"example", "", APIFirebase, "hackernews"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.yaml), "config.yaml", nil)
			if err != nil {
				t.Fatal(err)
			}
			f, _ := cfg.Feed(tt.id)
			if f.Comments.APIURL != tt.wantURL || f.Comments.API != tt.wantAPI {
				t.Errorf("api_url %q api %q, want %q %q", f.Comments.APIURL, f.Comments.API, tt.wantURL, tt.wantAPI)
			}
			if s := cfg.Summary(); !strings.Contains(s, tt.wantInSummar) {
				t.Errorf("summary lacks %q:\n%s", tt.wantInSummar, s)
			}
		})
	}
}

func TestCommentAPIErrors(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"api_url on rss", oneFeed("    comments: {source: rss, api_url: http://x.example}\n"),
			`config.yaml:5: feeds[0].comments.api_url: only used with source: hackernews or reddit, not "rss"`},
		{"api on reddit", oneFeed("    comments: {source: reddit, api: algolia}\n"),
			`config.yaml:5: feeds[0].comments.api: only used with source: hackernews, not "reddit"`},
		{"unknown api", oneFeed("    comments: {source: hackernews, api: algolio}\n"),
			`config.yaml:5: feeds[0].comments.api: unknown Hacker News API "algolio" (did you mean "algolia"?)`},
		{"api_url not http", oneFeed("    comments: {source: hackernews, api_url: ftp://x}\n"),
			`config.yaml:5: feeds[0].comments.api_url: "ftp://x" is not an http(s) URL such as http://127.0.0.1:7777`},
		{"api_url over an inherited page source", "defaults:\n  comments: {source: page}\n" + oneFeed("    comments: {api_url: http://x.example}\n"),
			`config.yaml:7: feeds[0].comments.api_url: only used with source: hackernews or reddit, and this feed's comments come from "page"`},
		{"metrics listen without port", "metrics:\n  listen: localhost\n",
			`config.yaml:2: metrics.listen: "localhost" is not a host:port address such as 127.0.0.1:9090`},
		{"metrics unknown key", "metrics:\n  listne: :9090\n",
			`config.yaml:2: metrics: unknown key "listne" (did you mean "listen"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), "config.yaml", nil)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error:\n%v\nwant:\n%s", err, tt.want)
			}
		})
	}
}

func TestMetricsListen(t *testing.T) {
	cfg, err := Parse([]byte("metrics: {listen: \"127.0.0.1:9090\"}\n"), "config.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Metrics.Listen != "127.0.0.1:9090" {
		t.Errorf("listen = %q", cfg.Metrics.Listen)
	}
	if !strings.Contains(cfg.Summary(), "metrics   http://127.0.0.1:9090/metrics and /healthz") {
		t.Errorf("summary:\n%s", cfg.Summary())
	}
	cfg, _ = Parse([]byte("database: x.db\n"), "config.yaml", nil)
	if cfg.Metrics.Listen != "" {
		t.Errorf("metrics on by default: %q", cfg.Metrics.Listen)
	}
}
