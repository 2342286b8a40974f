package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
)

// scrape reads /metrics into series → value ("name{labels}" as printed).
func scrape(t *testing.T, base string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %s", resp.Status)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("bad metrics line %q", line)
		}
		out[line[:i]] = v
	}
	return out
}

// sum adds the series of a metric whose labels contain every part given.
func sum(series map[string]float64, name string, parts ...string) float64 {
	var total float64
	for k, v := range series {
		if !strings.HasPrefix(k, name+"{") && k != name {
			continue
		}
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(k, p)
		}
		if ok {
			total += v
		}
	}
	return total
}

func healthz(t *testing.T, base string) (int, string) {
	t.Helper()
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// until polls cond until it holds, failing after 30 s.
func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}

// TestPlaygroundOperations is issue 12's fourth acceptance: during the
// playground /metrics shows the counters moving, and /healthz turns 503
// when the Discord emulator stops and 200 when it is back.
func TestPlaygroundOperations(t *testing.T) {
	ctx := context.Background()
	pg, out, _ := testPlayground(t, "127.0.0.1:0")
	base := "http://" + pg.app.ops.srv.Addr()
	if !strings.Contains(out.String(), "Metrics           "+base+"/metrics and /healthz") {
		t.Errorf("the banner does not show the metrics address:\n%s", out.String())
	}

	// A post can go out before the poll that brought it has returned (it
	// goes on to fetch the new stories' comments): wait for both counts.
	until(t, "the first poll and posts to be counted", func() bool {
		now := scrape(t, base)
		return sum(now, "newsbot_deliveries_total", `kind="new"`, `result="sent"`) >= 3 &&
			sum(now, "newsbot_stories_total", `feed="world"`, `change="new"`) == 3
	})
	first := scrape(t, base)
	for _, series := range []string{`newsbot_gateway_connected`, `newsbot_outbox_pending`, `newsbot_outbox_oldest_age_seconds`,
		`newsbot_build_info{revision="unknown",version="dev"}`} {
		if _, ok := first[series]; !ok {
			t.Errorf("/metrics lacks %s", series)
		}
	}
	if sum(first, "newsbot_polls_total", `feed="world"`, `outcome="ok"`) == 0 || sum(first, "newsbot_fetch_duration_seconds_count", `target="feed"`) == 0 {
		t.Errorf("stories and fetches not counted:\n%v", first)
	}

	// Work moves the counters: polls on their schedules, a command, a 429.
	pg.emu.Inject(emulator.Fault{Kind: "429", Path: "messages", Count: 1, RetryAfter: 0.05})
	if _, err := pg.emu.Interact(ctx, emulator.InteractionRequest{Command: "/summarize story:1"}); err != nil {
		t.Fatal(err)
	}
	pg.site.Set("/tech.xml", append(pg.site.Items("/tech.xml"), item(9))...)
	until(t, "the counters to move", func() bool {
		now := scrape(t, base)
		return sum(now, "newsbot_polls_total", `feed="world"`) > sum(first, "newsbot_polls_total", `feed="world"`) &&
			sum(now, "newsbot_command_duration_seconds_count", `command="summarize"`, `type="command"`) == 1 &&
			sum(now, "newsbot_discord_rate_limited_total") == 1 &&
			sum(now, "newsbot_deliveries_total", `result="retried"`) >= 1 &&
			sum(now, "newsbot_deliveries_total", `kind="new"`, `result="sent"`) > sum(first, "newsbot_deliveries_total", `kind="new"`, `result="sent"`)
	})

	// The emulator stops: unhealthy, with the reason. It comes back: healthy.
	if code, body := healthz(t, base); code != http.StatusOK || body != "gateway: ok\nstore: ok\n" {
		t.Fatalf("/healthz while running: %d %q", code, body)
	}
	addr := strings.TrimPrefix(pg.emuURL, "http://")
	pg.emu.Close()
	until(t, "/healthz to turn 503", func() bool { code, _ := healthz(t, base); return code == http.StatusServiceUnavailable })
	if _, body := healthz(t, base); !strings.Contains(body, "gateway: not connected to the Discord gateway") || !strings.Contains(body, "store: ok") {
		t.Errorf("/healthz with the emulator stopped: %q", body)
	}
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	if _, err := emu.ListenAndServe(ctx, addr); err != nil {
		t.Fatal(err)
	}
	until(t, "/healthz to turn 200 again", func() bool { code, _ := healthz(t, base); return code == http.StatusOK })
	if n := sum(scrape(t, base), "newsbot_gateway_reconnects_total"); n < 1 {
		t.Errorf("gateway reconnects = %v after the emulator came back", n)
	}
}
