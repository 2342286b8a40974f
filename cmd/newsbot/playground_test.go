package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
)

// TestPlayground starts the playground as `go run ./cmd/newsbot
// playground` does, on free ports, and waits for the example feeds' posts.
func TestPlayground(t *testing.T) {
	var out, errOut syncBuffer
	env := &cmdEnv{stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pg, err := startPlayground(ctx, env, playgroundFlags{
		config: "../../config.example.yaml", discord: "127.0.0.1:0", site: "127.0.0.1:0", quiet: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.stop()
	deadline := time.Now().Add(30 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for len(pg.emu.Messages(emulator.DefaultNewsChannel)) < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("no posts from the example feeds within 30 s\nout:\n%s\nlog:\n%s", out.String(), errOut.String())
		}
		<-tick.C
	}
	for _, want := range []string{"newsbot playground is running", pg.emuURL + "/_emulator/interactions", "/summarize story:1",
		"#news  📰 Riverside council approves new footbridge"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the terminal does not show %q:\n%s", want, out.String())
		}
	}
	if bytes.Contains([]byte(errOut.String()), []byte("level=ERROR")) {
		t.Errorf("errors logged:\n%s", errOut.String())
	}
}

// TestPlaygroundOutsideRepo: run from elsewhere, the missing example config
// is named together with the way out.
func TestPlaygroundOutsideRepo(t *testing.T) {
	var out, errOut syncBuffer
	env := &cmdEnv{stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	_, err := startPlayground(context.Background(), env, playgroundFlags{
		config: "config.example.yaml", discord: "127.0.0.1:0", site: "127.0.0.1:0", quiet: true,
	})
	if err == nil || !strings.Contains(err.Error(), "config.example.yaml") || !strings.Contains(err.Error(), "--config") {
		t.Fatalf("err = %v, want it to name config.example.yaml and --config", err)
	}
}
