package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestEmulatorCommand runs `newsbot emulator` in-process and talks to its
// control API the way curl would.
func TestEmulatorCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, w := io.Pipe()
	var stderr strings.Builder
	env := &cmdEnv{stdin: strings.NewReader(""), stdout: w, stderr: &stderr, getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() {
		done <- runMain(ctx, env, []string{"emulator", "--listen", "127.0.0.1:0"})
		w.Close()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("read the URL: %v (stderr: %s)", err, stderr.String())
	}
	base := strings.TrimSpace(line)
	resp, err := http.Get(base + "/_emulator/channels")
	if err != nil {
		t.Fatal(err)
	}
	var chans []struct {
		ID, Name string
		GuildID  string `json:"guild_id"`
	}
	json.NewDecoder(resp.Body).Decode(&chans)
	resp.Body.Close()
	if len(chans) != 4 || chans[0].Name != "news" || chans[0].GuildID != "100000000000000000" {
		t.Errorf("channels = %+v", chans)
	}
	resp, err = http.Post(base+"/_emulator/interactions", "application/json", strings.NewReader(`{"command":"/quote story:1"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("interaction without a bot: %d; want 503", resp.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d; stderr: %s", code, stderr.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("emulator did not stop on cancel")
	}
}

func TestEmulatorCommandErrors(t *testing.T) {
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"emulator", "--nope"}, 2, "flag provided but not defined"},
		{[]string{"emulator", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"emulator", "--state", "/nonexistent/seed.yaml"}, 1, "/nonexistent/seed.yaml"},
		{[]string{"emulator", "--listen", "256.0.0.1:1"}, 1, "emulator listen 256.0.0.1:1"},
		{[]string{"emulator", "--heartbeat", "0s"}, 2, "--heartbeat 0s: want a positive interval"},
		{[]string{"emulator", "--heartbeat", "soon"}, 2, `invalid value "soon" for flag -heartbeat`},
		{[]string{"emulator", "--rate-limits", "dicsord"}, 2, `--rate-limits: rate limits "dicsord": "dicsord" is neither a preset (default, discord, off)`},
		{[]string{"emulator", "--rate-limits", "POST /channels/{id}/messages=5/5s"}, 2, `is not a setting (global, requests) nor a route the emulator serves`},
		{[]string{"emulator", "--rate-limits", "discord,requests=5"}, 2, `requests=5: want REQUESTS/WINDOW`},
		{[]string{"emulator", "--max-concurrency", "0"}, 2, "--max-concurrency must be at least 1"},
		{[]string{"emulator", "--interactions-url", "ftp://bot"}, 1, `interactions endpoint "ftp://bot" is not an http(s) URL`},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stderr strings.Builder
			env := &cmdEnv{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr, getenv: func(string) string { return "" }}
			if code := runMain(context.Background(), env, tc.args); code != tc.code || !strings.Contains(stderr.String(), tc.msg) {
				t.Errorf("exit %d, stderr %q; want %d with %q", code, stderr.String(), tc.code, tc.msg)
			}
		})
	}
}

// TestEmulatorHeartbeatFlag: HELLO asks for Discord's 41.25 s unless
// --heartbeat says otherwise, so a client's heartbeats can be watched in
// seconds.
func TestEmulatorHeartbeatFlag(t *testing.T) {
	cases := []struct {
		args []string
		want int64
	}{
		{nil, 41250},
		{[]string{"--heartbeat", "1.5s"}, 1500},
	}
	for _, tc := range cases {
		t.Run(strings.Join(append([]string{"emulator"}, tc.args...), " "), func(t *testing.T) {
			base, stop := startEmulatorCommand(t, tc.args...)
			ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/gateway/?v=10&encoding=json", nil)
			if err != nil {
				t.Fatal(err)
			}
			defer ws.Close()
			var hello struct {
				Op int `json:"op"`
				D  struct {
					HeartbeatInterval int64 `json:"heartbeat_interval"`
				} `json:"d"`
			}
			if err := ws.ReadJSON(&hello); err != nil {
				t.Fatal(err)
			}
			if hello.Op != 10 || hello.D.HeartbeatInterval != tc.want {
				t.Errorf("HELLO op %d heartbeat_interval %d; want op 10 with %d", hello.Op, hello.D.HeartbeatInterval, tc.want)
			}
			if code := stop(); code != 0 {
				t.Errorf("exit %d", code)
			}
		})
	}
}

// TestEmulatorRateLimitsFlag: --rate-limits discord gives a channel's
// messages Discord's 5 per 5 s, each channel its own bucket; settings
// after the preset change it.
func TestEmulatorRateLimitsFlag(t *testing.T) {
	cases := []struct {
		limits   string
		limit    string // X-RateLimit-Limit of a message create
		limited6 bool   // the sixth post in a row to one channel gets 429
	}{
		{"default", "50", false},
		{"discord", "5", true},
		{"discord,POST /channels/{channel_id}/messages=10/5s", "10", false},
	}
	for _, tc := range cases {
		t.Run(tc.limits, func(t *testing.T) {
			base, stop := startEmulatorCommand(t, "--rate-limits", tc.limits)
			post := func(channel string) *http.Response {
				req, _ := http.NewRequest("POST", base+"/api/v10/channels/"+channel+"/messages", strings.NewReader(`{"content":"hello"}`))
				req.Header.Set("Authorization", "Bot x")
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp
			}
			first := post("100000000000000001")
			if got := first.Header.Get("X-RateLimit-Limit"); got != tc.limit {
				t.Errorf("X-RateLimit-Limit %q, want %q", got, tc.limit)
			}
			for range 4 {
				post("100000000000000001")
			}
			if sixth := post("100000000000000001"); (sixth.StatusCode == http.StatusTooManyRequests) != tc.limited6 {
				t.Errorf("sixth post: %d; want 429: %v", sixth.StatusCode, tc.limited6)
			}
			if other := post("100000000000000002"); other.StatusCode != http.StatusOK {
				t.Errorf("another channel: %d, want 200", other.StatusCode)
			}
			if code := stop(); code != 0 {
				t.Errorf("exit %d", code)
			}
		})
	}
}

// startEmulatorCommand runs `newsbot emulator` with args on a free port
// and returns its base URL, and stop, which ends it and returns its exit
// status.
func startEmulatorCommand(t *testing.T, args ...string) (base string, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	env := &cmdEnv{stdin: strings.NewReader(""), stdout: w, stderr: io.Discard, getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() {
		done <- runMain(ctx, env, append([]string{"emulator", "--listen", "127.0.0.1:0"}, args...))
		w.Close()
	}()
	stopped := false
	stop = func() int {
		if stopped {
			return 0
		}
		stopped = true
		cancel()
		return <-done
	}
	t.Cleanup(func() { stop() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("read the URL: %v", err)
	}
	return strings.TrimSpace(line), stop
}

// TestEmulatorShardFlags: the shard count and identify concurrency the
// emulator announces come from the command line, and its public key is
// there for a bot's config.
func TestEmulatorShardFlags(t *testing.T) {
	base, stop := startEmulatorCommand(t, "--shards", "3", "--max-concurrency", "2")
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v10/gateway/bot", nil)
	req.Header.Set("Authorization", "Bot x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var gw struct {
		Shards int `json:"shards"`
		Limit  struct {
			MaxConcurrency int `json:"max_concurrency"`
		} `json:"session_start_limit"`
	}
	json.NewDecoder(resp.Body).Decode(&gw)
	resp.Body.Close()
	if gw.Shards != 3 || gw.Limit.MaxConcurrency != 2 {
		t.Errorf("GET /gateway/bot = %+v; want 3 shards, max_concurrency 2", gw)
	}
	resp, err = http.Get(base + "/_emulator/application")
	if err != nil {
		t.Fatal(err)
	}
	var app struct {
		PublicKey string `json:"public_key"`
	}
	json.NewDecoder(resp.Body).Decode(&app)
	resp.Body.Close()
	if len(app.PublicKey) != 64 {
		t.Errorf("public key %q, want 64 hex digits", app.PublicKey)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit %d", code)
	}
}
