package bot

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// TestClosedBotOpensNoGateway: discordgo's reconnect loop outlives Close,
// so the bot's own dialer must refuse once the bot is closed, or a
// stopped bot reconnects to whatever next listens on its old address.
func TestClosedBotOpensNoGateway(t *testing.T) {
	var up websocket.Upgrader
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := up.Upgrade(w, r, nil); err == nil {
			c.Close()
		}
	}))
	defer srv.Close()
	gateway := "ws" + strings.TrimPrefix(srv.URL, "http")

	b, err := New(Options{Token: "t", APIURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := b.session.Dialer.Dial(gateway, nil)
	if err != nil {
		t.Fatalf("before Close the gateway dial failed: %v", err)
	}
	c.Close()

	b.Close()
	if c, _, err := b.session.Dialer.Dial(gateway, nil); err == nil {
		c.Close()
		t.Fatal("a closed bot dialled the gateway")
	} else if !strings.Contains(err.Error(), "closed; not reconnecting") {
		t.Fatalf("dial after Close: %v, want the bot's refusal", err)
	}
}
