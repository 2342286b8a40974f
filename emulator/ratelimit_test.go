package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func get(t *testing.T, e *Emulator, path string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", e.URL+"/api/v10"+path, nil)
	req.Header.Set("Authorization", "Bot x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestRateLimitHeadersAnd429(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{RateLimit: RateLimit{Requests: 2, Window: time.Minute}})
	path := "/channels/" + DefaultNewsChannel
	for i, want := range []string{"1", "0"} {
		h := get(t, e, path).Header
		if h.Get("X-RateLimit-Limit") != "2" || h.Get("X-RateLimit-Remaining") != want || h.Get("X-RateLimit-Bucket") == "" {
			t.Errorf("request %d headers: limit %q remaining %q bucket %q", i, h.Get("X-RateLimit-Limit"), h.Get("X-RateLimit-Remaining"), h.Get("X-RateLimit-Bucket"))
		}
		if after, err := strconv.ParseFloat(h.Get("X-RateLimit-Reset-After"), 64); err != nil || after <= 0 || after > 60 {
			t.Errorf("Reset-After %q", h.Get("X-RateLimit-Reset-After"))
		}
	}
	resp := get(t, e, path)
	var body struct {
		RetryAfter float64 `json:"retry_after"`
		Global     bool    `json:"global"`
	}
	json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != 429 || body.RetryAfter <= 0 || body.Global || resp.Header.Get("X-RateLimit-Scope") != "user" || resp.Header.Get("Retry-After") == "" {
		t.Errorf("third request: %d %+v scope %q", resp.StatusCode, body, resp.Header.Get("X-RateLimit-Scope"))
	}
	if other := get(t, e, "/channels/"+DefaultTechChannel); other.StatusCode != 200 {
		t.Errorf("another channel shares the bucket: %d", other.StatusCode)
	}
}

func TestGlobalRateLimit(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{RateLimit: RateLimit{Global: 2}})
	get(t, e, "/users/@me")
	get(t, e, "/channels/"+DefaultNewsChannel)
	resp := get(t, e, "/channels/"+DefaultTechChannel)
	if resp.StatusCode != 429 || resp.Header.Get("X-RateLimit-Global") != "true" || resp.Header.Get("X-RateLimit-Scope") != "global" {
		t.Errorf("third request across routes: %d global %q", resp.StatusCode, resp.Header.Get("X-RateLimit-Global"))
	}
}

// TestDiscordgoHonoursBuckets: with a bucket of 2 per 300 ms, discordgo
// reads the headers and waits instead of hitting 429.
func TestDiscordgoHonoursBuckets(t *testing.T) {
	t.Parallel()
	window := 300 * time.Millisecond
	e := startEmu(t, Options{RateLimit: RateLimit{Requests: 2, Window: window}})
	s := newSession(t, e)
	start := time.Now()
	for i := range 3 {
		if _, err := s.ChannelMessageSendComplex(DefaultNewsChannel, &discordgo.MessageSend{Content: fmt.Sprint(i), AllowedMentions: noMentions()}); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < window {
		t.Errorf("3 sends took %v; discordgo should have waited for the bucket to reset", d)
	}
	for _, r := range e.Requests() {
		if r.Status == 429 {
			t.Errorf("discordgo hit a 429 despite the headers: %+v", r)
		}
	}
}

func TestRESTFaults(t *testing.T) {
	t.Parallel()
	cases := []struct {
		fault    Fault
		statuses string // of GET /users/@me
		ok       bool
	}{
		{Fault{Kind: "5xx", Status: 502, Path: "/users/"}, "[502 200]", true}, // discordgo retries 502
		{Fault{Kind: "5xx", Status: 503, Path: "/users/"}, "[503]", false},
		{Fault{Kind: "429", RetryAfter: 0.02, Global: true, Path: "/users/"}, "[429 200]", true},
		{Fault{Kind: "5xx", Path: "/channels/"}, "[200]", true}, // another path: untouched
		{Fault{Kind: "slow", DelayMS: 30, Method: "GET"}, "[200]", true},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s %d %s", tc.fault.Kind, tc.fault.Status, tc.fault.Path), func(t *testing.T) {
			t.Parallel()
			e := startEmu(t, Options{})
			s := newSession(t, e)
			e.Inject(tc.fault)
			start := time.Now()
			_, err := s.User("@me")
			if (err == nil) != tc.ok {
				t.Fatalf("User(@me) error = %v; want ok=%t", err, tc.ok)
			}
			var got []int
			for _, r := range e.Requests() {
				got = append(got, r.Status)
			}
			if fmt.Sprint(got) != tc.statuses {
				t.Errorf("statuses %v; want %s", got, tc.statuses)
			}
			if d := time.Since(start); tc.fault.DelayMS > 0 && d < time.Duration(tc.fault.DelayMS)*time.Millisecond {
				t.Errorf("slow fault: answered in %v", d)
			}
		})
	}
}
