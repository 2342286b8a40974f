package emulator

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestTransport(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	c := HTTPClient(e.URL)
	for _, u := range []string{"https://discord.com/api/v9/gateway", "https://discordapp.com/api/v10/gateway", e.URL + "/api/v10/gateway"} {
		resp, err := c.Get(u)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		var g struct{ URL string }
		json.NewDecoder(resp.Body).Decode(&g)
		resp.Body.Close()
		if want := "ws" + strings.TrimPrefix(e.URL, "http") + "/gateway"; g.URL != want {
			t.Errorf("%s: gateway %q; want %q", u, g.URL, want)
		}
	}
	if _, err := c.Get("https://example.com/"); err == nil || !strings.Contains(err.Error(), "refusing request to example.com") {
		t.Errorf("other host: %v", err)
	}
	if _, err := HTTPClient("::bad").Get("https://discord.com/api/v10/gateway"); err == nil || !strings.Contains(err.Error(), "bad base URL") {
		t.Errorf("bad base URL: %v", err)
	}
}
