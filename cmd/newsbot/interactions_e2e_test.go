package main

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
)

// TestInteractionsOverHTTP runs `newsbot run` with interactions.listen and
// the emulator's public key, and points the emulated application's
// Interactions Endpoint URL at it, as an admin does in the Developer
// Portal: Discord's own check of the endpoint passes, and slash commands
// then arrive over HTTP and are answered by the same handlers.
func TestInteractionsOverHTTP(t *testing.T) {
	w := hourlyWorld(t, emulator.Options{})
	w.editConfig(func(s string) string {
		s = strings.Replace(s, "  token: test-token\n", "  token: test-token\n  public_key: "+w.emu.PublicKey()+"\n", 1)
		return s + "interactions:\n  listen: 127.0.0.1:0\n"
	})
	a := w.start(appOptions{})
	url := "http://" + a.endpoint.addr + "/interactions"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.emu.SetInteractionsEndpoint(ctx, url); err != nil {
		t.Fatalf("the emulator could not verify the bot's endpoint: %v\nlog:\n%s", err, w.logs)
	}

	command := w.saveQuotable(a)
	got, err := w.quoteIn(newsChannel, command)
	if err != nil || !strings.Contains(got, "About time the ferries ran.") {
		t.Errorf("/quote over HTTP: %q, %v; want the comment quoted", got, err)
	}
	_, feeds := w.ask("/feeds list", "32") // Manage Server
	if !strings.Contains(feeds.text(), "world") {
		t.Errorf("/feeds list over HTTP: %q", feeds.text())
	}
	res, err := w.emu.Interact(ctx, emulator.InteractionRequest{Type: "ping"})
	if err != nil || res.CallbackType != 1 {
		t.Errorf("PING over HTTP: %+v, %v; want PONG", res, err)
	}

	// Anyone can find the endpoint; only Discord can sign for it.
	body := `{"id":"1","application_id":"` + emulator.DefaultApplicationID + `","type":2,"token":"forged","data":{"name":"feeds"}}`
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("X-Signature-Ed25519", strings.Repeat("ab", 64))
	req.Header.Set("X-Signature-Timestamp", strconv.FormatInt(time.Now().Unix(), 10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || strings.Contains(string(answer), "world") {
		t.Errorf("a forged interaction was answered %d %q; want 401 and nothing about the feeds", resp.StatusCode, answer)
	}
	if !strings.Contains(w.logs.String(), "interaction refused") {
		t.Errorf("the refused request left no line in the log")
	}
}
