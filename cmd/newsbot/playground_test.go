package main

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
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
	checkPlaygroundSummary(t, pg.emu)
	if bytes.Contains([]byte(errOut.String()), []byte("level=ERROR")) {
		t.Errorf("errors logged:\n%s", errOut.String())
	}
}

// checkPlaygroundSummary asks for /summarize of the 10-comment footbridge
// story as a member would: at most four main points, none a thanks or a
// bare agreement, and the argument between Halvard and Sunny_D named — in
// both styles.
func checkPlaygroundSummary(t *testing.T, emu *emulator.Server) {
	t.Helper()
	embed := func(command string) (string, []string) {
		res, err := emu.Interact(context.Background(), emulator.InteractionRequest{Command: command})
		if err != nil {
			t.Fatalf("%s: %v", command, err)
		}
		var cb struct {
			Data struct {
				Embeds []struct {
					Description string `json:"description"`
					Fields      []struct {
						Name string `json:"name"`
					} `json:"fields"`
				} `json:"embeds"`
			} `json:"data"`
		}
		if err := json.Unmarshal(res.Callback, &cb); err != nil || len(cb.Data.Embeds) == 0 {
			t.Fatalf("%s: no embed in %s (%v)", command, res.Callback, err)
		}
		var names []string
		for _, f := range cb.Data.Embeds[0].Fields {
			names = append(names, f.Name)
		}
		return cb.Data.Embeds[0].Description, names
	}
	desc, fields := embed("/summarize story:1")
	if !strings.HasPrefix(desc, "**10 comments**") {
		t.Fatalf("story 1 is not the 10-comment footbridge story: %q", desc)
	}
	points := strings.Count(desc, "\n• ")
	if points == 0 || points > 4 {
		t.Errorf("%d main points, want 1 to 4:\n%s", points, desc)
	}
	for _, bad := range []string{"thanks", "makes sense", "Fair point", "either/or"} {
		if strings.Contains(desc, bad) {
			t.Errorf("a thanks or bare agreement offered as a main point (%q):\n%s", bad, desc)
		}
	}
	if !slices.Contains(fields, "Disagreement: Halvard vs Sunny_D") {
		t.Errorf("fields %q do not name the argument between Halvard and Sunny_D", fields)
	}
	prose, _ := embed("/summarize story:1 style:prose")
	if !strings.Contains(prose, "Halvard argues, “") || !strings.Contains(prose, "while Sunny\\_D replies, “") {
		t.Errorf("the prose digest does not name the argument:\n%s", prose)
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
