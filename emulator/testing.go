package emulator

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// Emulator is a Server started for one test, with its base URL.
type Emulator struct {
	*Server
	URL string // e.g. "http://127.0.0.1:41234"
	t   testing.TB
}

// Start runs an emulator on 127.0.0.1:0 for the test and stops it in
// t.Cleanup. With Options.OpenAPIFile set, the test fails if the emulator
// sent anything Discord's OpenAPI description does not allow. Point a
// discordgo session at it with
//
//	s, _ := discordgo.New("Bot token")
//	s.Client = e.Client()
func Start(t testing.TB, opts Options) *Emulator {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatalf("emulator: %v", err)
	}
	if opts.OpenAPIFile != "" {
		// Registered first so it runs last, after the server has closed.
		t.Cleanup(func() {
			for _, v := range s.Violations() {
				t.Errorf("emulator: %s does not match Discord's OpenAPI description:\n\t%s\n\tbody: %s",
					v.Source, strings.Join(v.Errors, "\n\t"), v.Body)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	url, err := s.ListenAndServe(ctx, "127.0.0.1:0")
	if err != nil {
		cancel()
		t.Fatalf("emulator: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		s.Close()
	})
	return &Emulator{Server: s, URL: url, t: t}
}

// Client is HTTPClient(e.URL).
func (e *Emulator) Client() *http.Client { return HTTPClient(e.URL) }

// Inject adds a fault and fails the test if it is invalid.
func (e *Emulator) Inject(f Fault) {
	e.t.Helper()
	if err := e.Server.Inject(f); err != nil {
		e.t.Fatalf("emulator: %v", err)
	}
}
