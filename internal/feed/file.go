package feed

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// localPath reports whether raw names a local file (a path without a scheme,
// or a file:// URL) and returns the path. Any scheme other than http, https
// and file is an error.
func localPath(raw string) (path string, local bool, err error) {
	if strings.TrimSpace(raw) == "" {
		return "", false, errors.New("empty URL")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || isDriveLetter(u.Scheme) {
		// Paths with spaces, percent signs or Windows drives need not parse
		// as URLs; they are still paths.
		return raw, true, nil
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return "", false, fmt.Errorf("no host in URL")
		}
		return "", false, nil
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return "", false, fmt.Errorf("file URL names host %q; only local files can be read", u.Host)
		}
		return filepath.FromSlash(u.Path), true, nil
	}
	return "", false, fmt.Errorf("unsupported URL scheme %q (want http, https or a file path)", u.Scheme)
}

func isDriveLetter(scheme string) bool {
	return len(scheme) == 1 && (scheme[0]|0x20) >= 'a' && (scheme[0]|0x20) <= 'z'
}

// fetchFile reads a local feed under the same size cap as HTTP. Validators
// come from the file's modification time and size, so an unchanged local
// feed costs one stat, like a 304.
func (f *Fetcher) fetchFile(ctx context.Context, r Request, path string) (*Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", r.URL, err)
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, fileError(r.URL, err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, fileError(r.URL, err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("fetch %s: is a directory, not a feed file", r.URL)
	}
	limit := f.maxBody()
	if st.Size() > limit {
		return nil, tooLarge(r.URL, limit)
	}
	out := &Response{
		ETag:         fmt.Sprintf(`"%x-%x"`, st.ModTime().UnixNano(), st.Size()),
		LastModified: st.ModTime().UTC().Format(http.TimeFormat),
		FinalURL:     r.URL,
		ContentType:  mime.TypeByExtension(filepath.Ext(path)),
		Status:       http.StatusOK,
	}
	if fileUnchanged(r, out, st.ModTime()) {
		out.NotModified, out.Status = true, http.StatusNotModified
		return out, nil
	}
	// The file may grow between Stat and read, so the cap applies again.
	body, err := readLimited(fh, limit)
	if errors.Is(err, ErrTooLarge) {
		return nil, tooLarge(r.URL, limit)
	}
	if err != nil {
		return nil, fileError(r.URL, err)
	}
	out.Body = body
	return out, nil
}

// fileUnchanged applies HTTP's rules: If-None-Match wins when given,
// otherwise If-Modified-Since at one-second precision.
func fileUnchanged(r Request, out *Response, mtime time.Time) bool {
	if r.ETag != "" {
		return r.ETag == out.ETag
	}
	if r.LastModified == "" {
		return false
	}
	since, err := http.ParseTime(r.LastModified)
	return err == nil && !mtime.Truncate(time.Second).After(since)
}

// fileError drops the path os adds, since the message already names it.
func fileError(name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("fetch %s: %w", name, err)
}
