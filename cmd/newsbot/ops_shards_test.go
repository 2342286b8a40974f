package main

import (
	"net/http"
	"path/filepath"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/config"
)

// A process holding two shards is healthy with both connected, and says
// how many it holds.
func TestHealthWithShards(t *testing.T) {
	w := shardedWorld(t, "  shards: 2\n")
	w.editConfig(func(s string) string { return "metrics:\n  listen: 127.0.0.1:0\n" + s })
	cfg, err := config.Load(filepath.Join(w.dir, "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := shardPlan(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := w.start(appOptions{shards: plan})
	base := "http://" + a.ops.srv.Addr()
	if code, body := healthz(t, base); code != http.StatusOK || body != "gateway: ok\nstore: ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	m := scrape(t, base)
	if m["newsbot_gateway_shards"] != 2 || m["newsbot_gateway_connected"] != 2 {
		t.Errorf("gateway gauges: shards %v, connected %v; want 2 and 2", m["newsbot_gateway_shards"], m["newsbot_gateway_connected"])
	}
}
