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
