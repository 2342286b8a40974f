package feed

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFetchFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "feed.xml")
	if err := os.WriteFile(path, []byte(rssBody), 0o644); err != nil {
		t.Fatal(err)
	}
	f := &Fetcher{}
	ctx := context.Background()

	for _, u := range []string{path, "file://" + filepath.ToSlash(path)} {
		resp, err := f.Fetch(ctx, Request{URL: u})
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		if string(resp.Body) != rssBody || resp.ETag == "" || resp.LastModified == "" || resp.FinalURL != u {
			t.Errorf("%s: %+v", u, resp)
		}
	}

	first, _ := f.Fetch(ctx, Request{URL: path})
	tests := []struct {
		name string
		req  Request
		want bool
	}{
		{"same ETag", Request{ETag: first.ETag}, true},
		{"same Last-Modified", Request{LastModified: first.LastModified}, true},
		{"other ETag wins over Last-Modified", Request{ETag: `"old"`, LastModified: first.LastModified}, false},
		{"older Last-Modified", Request{LastModified: "Mon, 01 Jan 2001 00:00:00 GMT"}, false},
		{"no validators", Request{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.URL = path
			resp, err := f.Fetch(ctx, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.NotModified != tt.want || (resp.NotModified && len(resp.Body) != 0) {
				t.Errorf("NotModified = %v with %d bytes, want %v", resp.NotModified, len(resp.Body), tt.want)
			}
		})
	}

	t.Run("changed file gets new validators", func(t *testing.T) {
		later := time.Now().Add(time.Hour)
		if err := os.WriteFile(path, []byte(rssBody+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(path, later, later)
		resp, err := f.Fetch(ctx, Request{URL: path, ETag: first.ETag})
		if err != nil || resp.NotModified || resp.ETag == first.ETag {
			t.Errorf("err = %v, resp = %+v", err, resp)
		}
	})
}

func TestFetchFileErrors(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.xml")
	os.WriteFile(big, make([]byte, 2048), 0o644)
	missing := filepath.Join(dir, "missing.xml")
	tests := []struct {
		name string
		f    *Fetcher
		req  Request
		is   error
		want string
	}{
		{"over the cap", &Fetcher{MaxBody: 1024}, Request{URL: big}, ErrTooLarge, "fetch " + big + ": body too large (limit 1 KiB)"},
		{"missing", &Fetcher{}, Request{URL: missing}, fs.ErrNotExist, "fetch " + missing + ": no such file or directory"},
		{"directory", &Fetcher{}, Request{URL: dir}, nil, "fetch " + dir + ": is a directory, not a feed file"},
		{"remote only", &Fetcher{}, Request{URL: big, RemoteOnly: true}, nil, "fetch " + big + ": local files are not allowed here"},
		{"file URL remote only", &Fetcher{}, Request{URL: "file:///etc/passwd", RemoteOnly: true}, nil, "fetch file:///etc/passwd: local files are not allowed here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.f.Fetch(context.Background(), tt.req)
			if err == nil || err.Error() != tt.want || (tt.is != nil && !errors.Is(err, tt.is)) {
				t.Errorf("err = %v, want %q (is %v)", err, tt.want, tt.is)
			}
		})
	}
}

func TestLocalPath(t *testing.T) {
	tests := []struct {
		in, path string
		local    bool
		err      string
	}{
		{"feeds/a.xml", "feeds/a.xml", true, ""},
		{"/srv/feed 1.xml", "/srv/feed 1.xml", true, ""},
		{"100%.xml", "100%.xml", true, ""},
		{`C:\feeds\a.xml`, `C:\feeds\a.xml`, true, ""},
		{"file:///srv/a.xml", filepath.FromSlash("/srv/a.xml"), true, ""},
		{"file://localhost/srv/a.xml", filepath.FromSlash("/srv/a.xml"), true, ""},
		{"https://example.com/a.xml", "", false, ""},
		{"HTTP://example.com/a.xml", "", false, ""},
		{"gopher://example.com/", "", false, "unsupported URL scheme"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			path, local, err := localPath(tt.in)
			if path != tt.path || local != tt.local || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("localPath(%q) = %q, %v, %v", tt.in, path, local, err)
			}
		})
	}
}

// Status mirrors HTTP so callers can log one shape for both.
func TestFetchFileStatus(t *testing.T) {
	path := filepath.Join(t.TempDir(), "feed.json")
	os.WriteFile(path, []byte(`{"version":"https://jsonfeed.org/version/1.1"}`), 0o644)
	f := &Fetcher{}
	resp, err := f.Fetch(context.Background(), Request{URL: path})
	if err != nil || resp.Status != http.StatusOK {
		t.Fatalf("resp = %+v, err = %v", resp, err)
	}
	resp, err = f.Fetch(context.Background(), Request{URL: path, ETag: resp.ETag})
	if err != nil || resp.Status != http.StatusNotModified {
		t.Errorf("resp = %+v, err = %v", resp, err)
	}
}
