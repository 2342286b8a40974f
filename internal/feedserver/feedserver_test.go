package feedserver

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func get(t *testing.T, url, etag string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestServesFeedsWithConditionalGET(t *testing.T) {
	s := New()
	srv := httptest.NewServer(s)
	defer srv.Close()
	s.Set("/world.xml", Item{GUID: "1", Title: "Bridge & tunnel", Link: "https://example.com/1",
		Paragraphs: []string{"First <b>paragraph</b>."}, Published: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC),
		Comments: "https://example.com/1#comments", CommentsRSS: "https://example.com/1/feed"})
	resp, body := get(t, srv.URL+"/world.xml", "")
	etag := resp.Header.Get("ETag")
	for _, want := range []string{"<title>Bridge &amp; tunnel</title>", "<comments>https://example.com/1#comments</comments>",
		"<wfw:commentRss>https://example.com/1/feed</wfw:commentRss>", "&lt;p&gt;First &amp;lt;b&amp;gt;paragraph"} {
		if !strings.Contains(body, want) {
			t.Errorf("feed lacks %q:\n%s", want, body)
		}
	}
	if resp, _ := get(t, srv.URL+"/world.xml", etag); resp.StatusCode != http.StatusNotModified {
		t.Errorf("same ETag: status %d, want 304", resp.StatusCode)
	}
	s.Set("/world.xml", Item{GUID: "2", Title: "Next"})
	if resp, _ := get(t, srv.URL+"/world.xml", etag); resp.StatusCode != http.StatusOK {
		t.Errorf("changed feed with the old ETag: status %d, want 200", resp.StatusCode)
	}
	s.SetPage("/story/1", "text/plain", []byte("A page"))
	if resp, body := get(t, srv.URL+"/story/1", ""); body != "A page" || resp.Header.Get("Content-Type") != "text/plain" {
		t.Errorf("page: %q %q", body, resp.Header.Get("Content-Type"))
	}
	s.Fail("/world.xml", 503)
	if resp, _ := get(t, srv.URL+"/world.xml", ""); resp.StatusCode != 503 {
		t.Errorf("failing feed: %d", resp.StatusCode)
	}
	if resp, _ := get(t, srv.URL+"/nope", ""); resp.StatusCode != 404 {
		t.Errorf("unknown path: %d", resp.StatusCode)
	}
	if n := len(s.Requests()); n != 6 {
		t.Errorf("%d requests logged, want 6", n)
	}
}

func TestHNThread(t *testing.T) {
	s := New()
	srv := httptest.NewServer(s)
	defer srv.Close()
	at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	s.SetHNThread("/hn", HNItem{ID: 1, By: "pg", Time: at, Title: "A story", URL: "https://example.com/a", Kids: []HNItem{
		{ID: 2, By: "alice", Time: at.Add(time.Minute), Text: "First.", Kids: []HNItem{{ID: 3, By: "bob", Time: at.Add(2 * time.Minute), Text: "Reply."}}},
	}})
	get := func(path string) map[string]any {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return m
	}
	if m := get("/hn/v0/item/1.json"); m["type"] != "story" || m["title"] != "A story" || fmt.Sprint(m["kids"]) != "[2]" || m["descendants"] != 2.0 {
		t.Errorf("story item: %v", m)
	}
	if m := get("/hn/v0/item/3.json"); m["parent"] != 2.0 || m["by"] != "bob" || m["text"] != "Reply." {
		t.Errorf("reply item: %v", m)
	}
	tree := get("/hn/api/v1/items/1")
	kids := tree["children"].([]any)
	grandkids := kids[0].(map[string]any)["children"].([]any)
	if tree["title"] != "A story" || len(kids) != 1 || grandkids[0].(map[string]any)["author"] != "bob" {
		t.Errorf("algolia tree: %v", tree)
	}
}
