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
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			out, w := io.Pipe()
			env := &cmdEnv{stdin: strings.NewReader(""), stdout: w, stderr: io.Discard, getenv: func(string) string { return "" }}
			done := make(chan int, 1)
			go func() {
				done <- runMain(ctx, env, append([]string{"emulator", "--listen", "127.0.0.1:0"}, tc.args...))
				w.Close()
			}()
			line, err := bufio.NewReader(out).ReadString('\n')
			if err != nil {
				t.Fatalf("read the URL: %v", err)
			}
			ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(strings.TrimSpace(line), "http")+"/gateway/?v=10&encoding=json", nil)
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
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("exit %d", code)
			}
		})
	}
}

// TestEmulatorShardFlags: the shard count and identify concurrency the
// emulator announces, and the key its HTTP interactions are signed with,
// come from the command line and the banner.
func TestEmulatorShardFlags(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, w := io.Pipe()
	stderr := &syncBuffer{}
	env := &cmdEnv{stdin: strings.NewReader(""), stdout: w, stderr: stderr, getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() {
		done <- runMain(ctx, env, []string{"emulator", "--listen", "127.0.0.1:0", "--shards", "3", "--max-concurrency", "2"})
		w.Close()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("read the URL: %v", err)
	}
	base := strings.TrimSpace(line)
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
	if len(app.PublicKey) != 64 || !strings.Contains(stderr.String(), "public_key="+app.PublicKey) {
		t.Errorf("public key %q; the banner says:\n%s", app.PublicKey, stderr)
	}
	cancel()
	<-done
}
