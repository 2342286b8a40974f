package feed

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const rssBody = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>`

// fetchLocal fetches from a test server on 127.0.0.1, which the guard
// refuses unless the request allows private addresses.
func fetchLocal(t *testing.T, f *Fetcher, r Request) (*Response, error) {
	t.Helper()
	r.AllowPrivate = true
	return f.Fetch(context.Background(), r)
}

func TestFetchConditionalGET(t *testing.T) {
	var sawETag, sawSince atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawETag.Store(r.Header.Get("If-None-Match"))
		sawSince.Store(r.Header.Get("If-Modified-Since"))
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Tue, 07 May 2024 14:00:00 GMT")
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, rssBody)
	}))
	defer srv.Close()
	f := &Fetcher{}

	first, err := fetchLocal(t, f, Request{URL: srv.URL + "/feed.xml"})
	if err != nil {
		t.Fatal(err)
	}
	if string(first.Body) != rssBody || first.NotModified || first.Status != 200 {
		t.Fatalf("first fetch = %+v", first)
	}
	if first.ETag != `"v1"` || first.LastModified != "Tue, 07 May 2024 14:00:00 GMT" || first.ContentType != "application/rss+xml" {
		t.Errorf("validators = %q, %q, %q", first.ETag, first.LastModified, first.ContentType)
	}
	if sawETag.Load() != "" {
		t.Errorf("first request sent If-None-Match %q", sawETag.Load())
	}

	second, err := fetchLocal(t, f, Request{URL: srv.URL + "/feed.xml", ETag: first.ETag, LastModified: first.LastModified})
	if err != nil {
		t.Fatal(err)
	}
	if sawETag.Load() != `"v1"` || sawSince.Load() != first.LastModified {
		t.Errorf("second request sent If-None-Match %q, If-Modified-Since %q", sawETag.Load(), sawSince.Load())
	}
	if !second.NotModified || len(second.Body) != 0 || second.Status != http.StatusNotModified {
		t.Errorf("second fetch = %+v, want NotModified", second)
	}
	// The 304 repeated no validators; the ones that matched are kept.
	if second.ETag != `"v1"` || second.LastModified != first.LastModified {
		t.Errorf("304 lost the validators: %q, %q", second.ETag, second.LastModified)
	}
}

func TestFetchGzip(t *testing.T) {
	big := bytes.Repeat([]byte("<item>same</item>"), 200_000) // 3.4 MB, compresses to a few KB
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			http.Error(w, "gzip expected", http.StatusBadRequest)
			return
		}
		body := []byte(rssBody)
		if r.URL.Path == "/bomb" {
			body = big
		}
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write(body)
		zw.Close()
	}))
	defer srv.Close()

	resp, err := fetchLocal(t, &Fetcher{}, Request{URL: srv.URL + "/feed"})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != rssBody {
		t.Errorf("body = %q, want the decompressed feed", resp.Body)
	}

	// The cap applies to the decompressed size: a small gzip bomb is refused.
	_, err = fetchLocal(t, &Fetcher{MaxBody: 1 << 20}, Request{URL: srv.URL + "/bomb"})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("gzip bomb: err = %v, want ErrTooLarge", err)
	}
}

func TestFetchRedirects(t *testing.T) {
	var lastUA atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lastUA.Store(r.UserAgent())
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/r/"))
		if r.URL.Path == "/ftp" {
			http.Redirect(w, r, "ftp://example.com/feed", http.StatusFound)
			return
		}
		if n > 0 {
			http.Redirect(w, r, fmt.Sprintf("/r/%d", n-1), http.StatusFound)
			return
		}
		fmt.Fprint(w, rssBody)
	}))
	defer srv.Close()

	tests := []struct {
		name      string
		max, hops int
		wantErr   string
	}{
		{"five hops within the default cap", 0, 5, ""},
		{"six hops over the default cap", 0, 6, "stopped after 5 redirects"},
		{"custom cap", 2, 3, "stopped after 2 redirects"},
		{"negative follows none", -1, 1, "stopped after 0 redirects"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := fmt.Sprintf("%s/r/%d", srv.URL, tt.hops)
			resp, err := fetchLocal(t, &Fetcher{MaxRedirects: tt.max, UserAgent: "probe/1"}, Request{URL: u})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if resp.FinalURL != srv.URL+"/r/0" {
					t.Errorf("FinalURL = %q", resp.FinalURL)
				}
				if lastUA.Load() != "probe/1" {
					t.Errorf("User-Agent after redirects = %q", lastUA.Load())
				}
				return
			}
			if !errors.Is(err, ErrTooManyRedirects) || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), u) {
				t.Errorf("err = %v, want ErrTooManyRedirects naming %s and %q", err, u, tt.wantErr)
			}
			// The hop it stopped at is named in full, though its Location was relative.
			if !strings.HasPrefix(err.Error(), "fetch "+srv.URL+"/r/") {
				t.Errorf("err = %v, want it to start with the absolute URL of the last hop", err)
			}
		})
	}
	t.Run("redirect to another scheme", func(t *testing.T) {
		_, err := fetchLocal(t, &Fetcher{}, Request{URL: srv.URL + "/ftp"})
		if err == nil || !strings.Contains(err.Error(), `unsupported scheme "ftp"`) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestFetchBodyCap(t *testing.T) {
	const total = 50 << 20
	written := make(chan int64, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/declared" {
			w.Header().Set("Content-Length", strconv.Itoa(total))
		}
		chunk := bytes.Repeat([]byte("x"), 32<<10)
		var n int64
		for n < total {
			m, err := w.Write(chunk)
			n += int64(m)
			if err != nil {
				break
			}
		}
		written <- n
	}))
	defer srv.Close()

	f := &Fetcher{MaxBody: 1 << 20}
	for _, path := range []string{"/endless", "/declared"} {
		t.Run(path, func(t *testing.T) {
			_, err := fetchLocal(t, f, Request{URL: srv.URL + path})
			want := fmt.Sprintf("fetch %s%s: body too large (limit 1 MiB)", srv.URL, path)
			if !errors.Is(err, ErrTooLarge) || err.Error() != want {
				t.Fatalf("err = %v, want %q", err, want)
			}
			select {
			case n := <-written:
				// Socket buffers absorb some bytes beyond the cap; never the whole body.
				if n >= total/2 {
					t.Errorf("server wrote %d bytes before the client gave up", n)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("server handler still writing: the client did not close the connection")
			}
		})
	}
}

func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-body" {
			w.WriteHeader(http.StatusOK)
			fmt.Fprint(w, "<rss>")
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)

	f := &Fetcher{Timeout: 100 * time.Millisecond}
	for _, tt := range []struct{ path, want string }{
		{"/slow-headers", ": timed out after 100ms"},
		{"/slow-body", ": read body: timed out after 100ms"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			_, err := fetchLocal(t, f, Request{URL: srv.URL + tt.path})
			if !errors.Is(err, context.DeadlineExceeded) || !strings.HasSuffix(err.Error(), tt.want+": context deadline exceeded") {
				t.Errorf("err = %v, want deadline error ending %q", err, tt.want)
			}
		})
	}

	t.Run("caller's deadline is not called our timeout", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := (&Fetcher{}).Fetch(ctx, Request{URL: srv.URL + "/slow-headers", AllowPrivate: true})
		if !errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "timed out after") {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("caller cancels", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := f.Fetch(ctx, Request{URL: srv.URL + "/slow-headers", AllowPrivate: true})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

func TestFetchHTTPErrors(t *testing.T) {
	retryDate := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(strings.Trim(r.URL.Path, "/"))
		if v := r.URL.Query().Get("retry"); v != "" {
			w.Header().Set("Retry-After", v)
		}
		w.WriteHeader(code)
	}))
	defer srv.Close()

	tests := []struct {
		name, path string
		status     int
		min, max   time.Duration
		msg        string
	}{
		{"not found", "/404", 404, 0, 0, "404 Not Found"},
		{"rate limited, seconds", "/429?retry=120", 429, 2 * time.Minute, 2 * time.Minute, "429 Too Many Requests (retry after 2m0s)"},
		{"unavailable, HTTP date", "/503?retry=" + strings.ReplaceAll(retryDate, " ", "+"), 503, 85 * time.Second, 91 * time.Second, "503 Service Unavailable (retry after 1m"},
		{"unavailable, garbage", "/503?retry=soon", 503, 0, 0, "503 Service Unavailable"},
		{"server error ignores Retry-After", "/500?retry=60", 500, 0, 0, "500 Internal Server Error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fetchLocal(t, &Fetcher{}, Request{URL: srv.URL + tt.path})
			var he *HTTPError
			if !errors.As(err, &he) {
				t.Fatalf("err = %v, want *HTTPError", err)
			}
			if he.Status != tt.status || he.RetryAfter < tt.min || he.RetryAfter > tt.max {
				t.Errorf("HTTPError = %+v, want status %d, retry in [%s, %s]", he, tt.status, tt.min, tt.max)
			}
			if want := "fetch " + srv.URL + tt.path + ": " + tt.msg; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("message %q, want prefix %q", err, want)
			}
		})
	}
}

func TestFetchUserAgent(t *testing.T) {
	var ua, accept atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua.Store(r.UserAgent())
		accept.Store(r.Header.Get("Accept"))
	}))
	defer srv.Close()
	for _, tt := range []struct{ set, want string }{{"", DefaultUserAgent}, {"custom/2.0", "custom/2.0"}} {
		if _, err := fetchLocal(t, &Fetcher{UserAgent: tt.set}, Request{URL: srv.URL}); err != nil {
			t.Fatal(err)
		}
		if ua.Load() != tt.want {
			t.Errorf("User-Agent = %q, want %q", ua.Load(), tt.want)
		}
	}
	if !strings.Contains(accept.Load().(string), "application/rss+xml") {
		t.Errorf("Accept = %q", accept.Load())
	}
}

func TestFetchBadURL(t *testing.T) {
	tests := []struct{ url, want string }{
		{"ftp://example.com/feed.xml", `fetch ftp://example.com/feed.xml: unsupported URL scheme "ftp" (want http, https or a file path)`},
		{"http:///feed.xml", "fetch http:///feed.xml: no host in URL"},
		{"", "fetch : empty URL"},
		{"file://otherhost/feed.xml", `fetch file://otherhost/feed.xml: file URL names host "otherhost"; only local files can be read`},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := (&Fetcher{}).Fetch(context.Background(), Request{URL: tt.url})
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 5, 7, 14, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"120", 2 * time.Minute},
		{" 5 ", 5 * time.Second},
		{"0", 0},
		{"-3", 0},
		{"Tue, 07 May 2024 14:02:00 GMT", 2 * time.Minute},
		{"Tue, 07 May 2024 13:00:00 GMT", 0},
		{"99999999999999999999", 0},
		{"9999999999", maxRetryAfter},
		{"later", 0},
		{"", 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
