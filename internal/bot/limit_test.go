package bot

import "testing"

func TestCountsGlobally(t *testing.T) {
	for path, want := range map[string]bool{
		"/api/v10/channels/1/messages":                true,
		"/api/v9/guilds/1/threads/active":             true,
		"/api/v10/webhooks/5":                         true,
		"/api/v10/webhooks/5/tok":                     false,
		"/api/v10/webhooks/5/tok/messages/9":          false,
		"/api/v10/interactions/7/tok/callback":        false,
		"/api/v10/applications/3/commands":            true,
		"/gateway":                                    true,
		"/prefix/api/v10/interactions/7/tok/callback": false,
	} {
		if got := countsGlobally(path); got != want {
			t.Errorf("countsGlobally(%q) = %v, want %v", path, got, want)
		}
	}
}
