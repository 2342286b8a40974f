package emulator

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// EventStream reads GET /_emulator/events: a STATE event (its data is a
// Snapshot), then each gateway dispatch by name with its payload.
type EventStream struct {
	body io.ReadCloser
	r    *bufio.Reader
}

// OpenEvents connects to the event stream of the emulator at baseURL. The
// stream lasts until ctx ends, Close is called or the emulator ends it
// (on Reset, or when the reader fell too far behind): then Next returns
// an error and a client opens a new stream, which starts from a new STATE.
func OpenEvents(ctx context.Context, client *http.Client, baseURL string) (*EventStream, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", strings.TrimSuffix(baseURL, "/")+"/_emulator/events", nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("emulator event stream: %w", err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || ct != "text/event-stream" {
		resp.Body.Close()
		return nil, fmt.Errorf("emulator event stream at %s: %s (Content-Type %q)", baseURL, resp.Status, ct)
	}
	return ReadEvents(resp.Body), nil
}

// ReadEvents reads server-sent events from body, which Close closes.
func ReadEvents(body io.ReadCloser) *EventStream {
	return &EventStream{body: body, r: bufio.NewReaderSize(body, 64<<10)}
}

// Next returns the next event's name and data; comments are skipped.
func (s *EventStream) Next() (name string, data []byte, err error) {
	var buf strings.Builder
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return "", nil, err
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch {
		case line == "":
			if buf.Len() > 0 || name != "" {
				return name, []byte(buf.String()), nil
			}
		case field == "event":
			name = value
		case field == "data":
			if buf.Len() > 0 {
				buf.WriteByte('\n')
			}
			buf.WriteString(value)
		}
	}
}

// Close ends the stream.
func (s *EventStream) Close() error { return s.body.Close() }
