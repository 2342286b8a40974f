package bot

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
)

// connectHTTP opens a bot with h whose interactions come to its HTTP
// endpoint: the emulator verifies the endpoint as Discord does and then
// posts every interaction there, signed with its key.
func connectHTTP(t testing.TB, h *fakeHandler) *emulator.Emulator {
	t.Helper()
	emu, b := open(t, h)
	key, err := hex.DecodeString(emu.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(b.InteractionsHandler(key))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := emu.SetInteractionsEndpoint(ctx, srv.URL+"/interactions"); err != nil {
		t.Fatal(err)
	}
	return emu
}

// signed is a request as Discord sends it, signed with key at ts.
func signed(t *testing.T, url string, key ed25519.PrivateKey, ts time.Time, body string) *http.Request {
	t.Helper()
	stamp := strconv.FormatInt(ts.Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, []byte(stamp+body))))
	req.Header.Set("X-Signature-Timestamp", stamp)
	return req
}

func TestEndpointChecksSignatures(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	_, stranger, _ := ed25519.GenerateKey(rand.Reader)
	_, b := open(t, &fakeHandler{answer: message("pong", 0)})
	srv := httptest.NewServer(b.InteractionsHandler(pub))
	t.Cleanup(srv.Close)
	const ping = `{"id":"1","application_id":"2","type":1,"token":"t","version":1}`
	now := time.Now()
	for _, tc := range []struct {
		name   string
		req    func() *http.Request
		status int
		body   string
	}{
		{"PING gets PONG", func() *http.Request { return signed(t, srv.URL, key, now, ping) }, 200, `{"type":1}`},
		{"no signature", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(ping))
			return r
		}, 401, "invalid request signature"},
		{"signed by another key", func() *http.Request { return signed(t, srv.URL, stranger, now, ping) }, 401, "invalid request signature"},
		{"body changed after signing", func() *http.Request {
			r := signed(t, srv.URL, key, now, ping)
			r.Body = io.NopCloser(strings.NewReader(strings.Replace(ping, `"type":1`, `"type":2`, 1)))
			return r
		}, 401, "invalid request signature"},
		{"timestamp changed after signing", func() *http.Request {
			r := signed(t, srv.URL, key, now, ping)
			r.Header.Set("X-Signature-Timestamp", strconv.FormatInt(now.Unix()+1, 10))
			return r
		}, 401, "invalid request signature"},
		{"an old request replayed", func() *http.Request { return signed(t, srv.URL, key, now.Add(-time.Hour), ping) }, 401, "invalid request signature"},
		{"signed but not JSON", func() *http.Request { return signed(t, srv.URL, key, now, "ping") }, 400, "not an interaction"},
		{"GET", func() *http.Request { r, _ := http.NewRequest(http.MethodGet, srv.URL, nil); return r }, 405, "Discord POSTs interactions here"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.DefaultClient.Do(tc.req())
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.body) {
				t.Errorf("answered %d %q; want %d %q", resp.StatusCode, body, tc.status, tc.body)
			}
		})
	}
}

// TestEndpointRefusesTheEmulatorWithTheWrongKey is the mistake an admin
// makes: the endpoint configured with another application's public key
// cannot be saved, because Discord's own check fails.
func TestEndpointRefusesTheEmulatorWithTheWrongKey(t *testing.T) {
	emu, b := open(t, &fakeHandler{answer: message("pong", 0)})
	other, _, _ := ed25519.GenerateKey(rand.Reader)
	srv := httptest.NewServer(b.InteractionsHandler(other))
	t.Cleanup(srv.Close)
	err := emu.SetInteractionsEndpoint(context.Background(), srv.URL)
	if err == nil || !strings.Contains(err.Error(), "a signed PING was answered 401") {
		t.Errorf("an endpoint with the wrong key was verified: %v", err)
	}
}

func TestPingOverTheEndpoint(t *testing.T) {
	emu := connectHTTP(t, &fakeHandler{answer: message("pong", 0)})
	res, err := emu.Interact(context.Background(), emulator.InteractionRequest{Type: "ping"})
	if err != nil {
		t.Fatal(err)
	}
	if res.CallbackType != 1 {
		t.Errorf("PING answered with callback %d %s, want PONG", res.CallbackType, res.Callback)
	}
}
