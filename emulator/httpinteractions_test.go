package emulator

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// endpointBot is a bot that receives interactions over HTTP: it checks
// the signature with the emulator's public key, as a bot must, and
// answers with what answer returns.
type endpointBot struct {
	url      string
	received chan discordgo.Interaction
}

func startEndpoint(t *testing.T, e *Emulator, answer func(w http.ResponseWriter, r *http.Request, i discordgo.Interaction)) *endpointBot {
	t.Helper()
	key, err := hex.DecodeString(e.PublicKey())
	if err != nil || len(key) != ed25519.PublicKeySize {
		t.Fatalf("public key %q: %v", e.PublicKey(), err)
	}
	b := &endpointBot{received: make(chan discordgo.Interaction, 8)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		sig, err := hex.DecodeString(r.Header.Get("X-Signature-Ed25519"))
		msg := append([]byte(r.Header.Get("X-Signature-Timestamp")), body...)
		if err != nil || len(sig) != ed25519.SignatureSize || !ed25519.Verify(key, msg, sig) {
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		var i discordgo.Interaction
		if err := json.Unmarshal(body, &i); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if i.Type == discordgo.InteractionPing {
			w.Write([]byte(`{"type":1}`))
			return
		}
		b.received <- i
		answer(w, r, i)
	}))
	t.Cleanup(srv.Close)
	b.url = srv.URL + "/interactions"
	return b
}

func answerJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// httpWorld is an emulator whose interactions go to an endpoint bot, with
// the commands registered over REST (no gateway session at all).
func httpWorld(t *testing.T, opts Options, answer func(w http.ResponseWriter, r *http.Request, i discordgo.Interaction)) (*Emulator, *endpointBot, *discordgo.Session) {
	t.Helper()
	e := startEmu(t, opts)
	b := startEndpoint(t, e, answer)
	if err := e.SetInteractionsEndpoint(testCtx(t), b.url); err != nil {
		t.Fatal(err)
	}
	s := newSession(t, e)
	registerCommands(t, s)
	return e, b, s
}

func TestInteractionOverHTTP(t *testing.T) {
	t.Parallel()
	e, b, _ := httpWorld(t, Options{}, func(w http.ResponseWriter, r *http.Request, i discordgo.Interaction) {
		answerJSON(w, map[string]any{"type": 4, "data": map[string]any{
			"content": "quoted over HTTP", "allowed_mentions": map[string]any{"parse": []string{}}}})
	})
	res, err := e.Interact(testCtx(t), InteractionRequest{Command: "/quote story:1 author:ChrisW"})
	if err != nil {
		t.Fatal(err)
	}
	got := <-b.received
	if got.Type != discordgo.InteractionApplicationCommand || got.ApplicationCommandData().Name != "quote" || got.Token == "" || got.GuildID != DefaultGuildID {
		t.Errorf("the endpoint received %+v; want the /quote command with its token and guild", got)
	}
	if res.CallbackType != 4 || len(res.Messages) != 1 || res.Messages[0].Content != "quoted over HTTP" {
		t.Errorf("result = %+v; want the endpoint's answer as the first callback", res)
	}
	if e.GatewayStats().Identifies != 0 {
		t.Errorf("a bot with an endpoint needed a gateway session")
	}
}

// TestDeferredOverHTTP answers "thinking…" in the HTTP response and the
// real answer through the webhook route, at once - before the emulator
// may have read the response - as a bot with a quick answer after a
// deferral does.
func TestDeferredOverHTTP(t *testing.T) {
	t.Parallel()
	var s *discordgo.Session
	e, _, s := httpWorld(t, Options{}, func(w http.ResponseWriter, r *http.Request, i discordgo.Interaction) {
		// With its length given, the flushed answer is complete for the
		// emulator while this handler goes on.
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "10")
		w.Write([]byte(`{"type":5}`))
		w.(http.Flusher).Flush()
		content := "the answer, later"
		if _, err := s.InteractionResponseEdit(&i, &discordgo.WebhookEdit{Content: &content, AllowedMentions: noMentions()}); err != nil {
			t.Errorf("edit @original: %v", err)
		}
	})
	res, err := e.Interact(testCtx(t), InteractionRequest{Command: "/summarize story:1"})
	if err != nil {
		t.Fatal(err)
	}
	if res.CallbackType != 5 || len(res.Messages) != 1 || res.Messages[0].Content != "the answer, later" {
		t.Errorf("result = %+v; want the deferral, then the edited answer", res)
	}
}

func TestEndpointFailures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		answer func(w http.ResponseWriter, r *http.Request, i discordgo.Interaction)
		want   string
	}{
		{"server error", func(w http.ResponseWriter, _ *http.Request, _ discordgo.Interaction) { http.Error(w, "boom", 500) }, "500 boom"},
		{"not JSON", func(w http.ResponseWriter, _ *http.Request, _ discordgo.Interaction) { w.Write([]byte("ok")) }, "not JSON"},
		{"wrong callback type", func(w http.ResponseWriter, _ *http.Request, _ discordgo.Interaction) {
			answerJSON(w, map[string]any{"type": 8, "data": map[string]any{"choices": []any{}}})
		}, "Callback type 8 is not valid"},
		{"empty message", func(w http.ResponseWriter, _ *http.Request, _ discordgo.Interaction) {
			answerJSON(w, map[string]any{"type": 4, "data": map[string]any{}})
		}, "Cannot send an empty message"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, _, _ := httpWorld(t, Options{}, tc.answer)
			_, err := e.Interact(testCtx(t), InteractionRequest{Command: "/quote story:1"})
			if !errors.Is(err, ErrEndpoint) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Interact = %v; want ErrEndpoint saying %q", err, tc.want)
			}
			resp, err := http.Post(e.URL+"/_emulator/interactions", "application/json", strings.NewReader(`{"command":"/quote story:1"}`))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadGateway {
				t.Errorf("control API answered %d, want 502", resp.StatusCode)
			}
		})
	}
}

func TestSlowEndpointTimesOut(t *testing.T) {
	t.Parallel()
	e, _, _ := httpWorld(t, Options{InteractionDeadline: 200 * time.Millisecond}, func(w http.ResponseWriter, r *http.Request, i discordgo.Interaction) {
		<-r.Context().Done() // answers only once the emulator gave up
	})
	_, err := e.Interact(testCtx(t), InteractionRequest{Command: "/quote story:1"})
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("Interact = %v; want ErrTimeout", err)
	}
}

func TestEndpointVerification(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	careless := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"type":1}`)) // answers PING without checking who signed it
	}))
	t.Cleanup(careless.Close)
	err := e.SetInteractionsEndpoint(testCtx(t), careless.URL)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "invalid signature was answered 200, not 401") {
		t.Errorf("an endpoint that checks no signature was accepted: %v", err)
	}
	if e.InteractionsEndpoint() != "" {
		t.Errorf("the refused endpoint was kept")
	}

	good := startEndpoint(t, e, nil)
	patch := func(body string) (int, map[string]string) {
		req, _ := http.NewRequest(http.MethodPatch, e.URL+"/_emulator/application", strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]string
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	status, app := patch(`{"interactions_endpoint_url":"` + good.url + `"}`)
	if status != 200 || app["interactions_endpoint_url"] != good.url || app["public_key"] != e.PublicKey() {
		t.Errorf("PATCH /_emulator/application = %d %v", status, app)
	}
	req, _ := http.NewRequest(http.MethodGet, e.URL+"/api/v10/applications/@me", nil)
	req.Header.Set("Authorization", "Bot x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var me struct {
		VerifyKey string `json:"verify_key"`
		Endpoint  string `json:"interactions_endpoint_url"`
	}
	json.NewDecoder(resp.Body).Decode(&me)
	resp.Body.Close()
	if me.VerifyKey != e.PublicKey() || me.Endpoint != good.url {
		t.Errorf("GET /applications/@me = %+v; want the emulator's public key %q and the endpoint", me, e.PublicKey())
	}
	if status, app := patch(`{"interactions_endpoint_url":""}`); status != 200 || app["interactions_endpoint_url"] != "" {
		t.Errorf("clearing the endpoint: %d %v", status, app)
	}
	if status, _ := patch(`{"interactions_endpoint_url":"ftp://x"}`); status != 400 {
		t.Errorf("an ftp endpoint: %d, want 400", status)
	}
}

func TestPingOverHTTP(t *testing.T) {
	t.Parallel()
	e, _, _ := httpWorld(t, Options{}, nil)
	res, err := e.Interact(testCtx(t), InteractionRequest{Type: "ping"})
	if err != nil {
		t.Fatal(err)
	}
	if res.CallbackType != 1 || !bytes.Equal(bytes.TrimSpace(res.Callback), []byte(`{"type":1}`)) {
		t.Errorf("PING answered %d %s; want PONG", res.CallbackType, res.Callback)
	}
}
