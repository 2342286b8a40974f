package metrics

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

func TestHealthz(t *testing.T) {
	gatewayErr := errors.New("not connected to the Discord gateway (reconnecting)")
	var gw error
	m := New(Build{Version: "v1.0.0", Revision: "abc"}, nil, nil)
	mux := Mux(m, []Check{
		{Name: "gateway", Check: func(context.Context) error { return gw }},
		{Name: "store", Check: func(context.Context) error { return nil }},
	})
	if code, body := get(t, mux, "/healthz"); code != 200 || body != "gateway: ok\nstore: ok\n" {
		t.Errorf("healthy: %d %q", code, body)
	}
	gw = gatewayErr
	if code, body := get(t, mux, "/healthz"); code != 503 || body != "gateway: not connected to the Discord gateway (reconnecting)\nstore: ok\n" {
		t.Errorf("gateway down: %d %q", code, body)
	}
	if code, _ := get(t, mux, "/nope"); code != 404 {
		t.Errorf("unknown path: %d", code)
	}
}

func TestCounters(t *testing.T) {
	backlog := func(context.Context) (int, time.Time, error) { return 2, time.Now().Add(-90 * time.Second), nil }
	m := New(Build{Version: "v1.0.0", Revision: "abc"}, backlog, func() (int, int) { return 3, 4 })
	m.Poll("world", "ok", 2, 1)
	m.Poll("world", "error", 0, 0)
	m.Fetch("feed", 30*time.Millisecond, nil)
	m.Delivery("new", "sent")
	m.Delivery("new", "retried")
	m.Command("quote", "command", 12*time.Millisecond)
	m.GatewayReconnected()
	discord := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/limited" {
			w.WriteHeader(http.StatusTooManyRequests)
		}
	}))
	defer discord.Close()
	client := &http.Client{Transport: m.Transport(nil)}
	for _, path := range []string{"/limited", "/fine", "/limited"} {
		resp, err := client.Get(discord.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	_, body := get(t, m.Handler(), "/metrics")
	for _, want := range []string{
		`newsbot_polls_total{feed="world",outcome="ok"} 1`,
		`newsbot_polls_total{feed="world",outcome="error"} 1`,
		`newsbot_stories_total{change="new",feed="world"} 2`,
		`newsbot_stories_total{change="updated",feed="world"} 1`,
		`newsbot_fetch_duration_seconds_count{outcome="ok",target="feed"} 1`,
		`newsbot_deliveries_total{kind="new",result="retried"} 1`,
		`newsbot_command_duration_seconds_count{command="quote",type="command"} 1`,
		`newsbot_gateway_reconnects_total 1`,
		`newsbot_discord_rate_limited_total 2`,
		`newsbot_gateway_connected 3`,
		`newsbot_gateway_shards 4`,
		`newsbot_outbox_pending 2`,
		`newsbot_build_info{revision="abc",version="v1.0.0"} 1`,
		`go_goroutines `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if !strings.Contains(body, "newsbot_outbox_oldest_age_seconds 9") && !strings.Contains(body, "newsbot_outbox_oldest_age_seconds 8") {
		t.Errorf("oldest age not about 90 s:\n%s", body)
	}
}

// With metrics off the stages report to a nil *Metrics, which ignores it.
func TestNilMetrics(t *testing.T) {
	var m *Metrics
	m.Poll("f", "ok", 1, 1)
	m.Fetch("feed", time.Second, nil)
	m.Delivery("new", "sent")
	m.RateLimited()
	m.Command("quote", "command", time.Second)
	m.GatewayReconnected()
}
