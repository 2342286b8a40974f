package emulator

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestHostileBodies sends malformed and mistyped bodies to every route
// that takes one: each must get a 4xx Discord error, never a crash or 500.
func TestHostileBodies(t *testing.T) {
	t.Parallel()
	// No rate limits: a 429 is a 4xx too, and would hide a wrong answer.
	e := startEmu(t, Options{RateLimit: RateLimit{Disabled: true}})
	bodies := []string{
		`null`, `[]`, `{}`, `"text"`, `{"content":5}`, `{"embeds":[null]}`, `{"embeds":[{"fields":[null]}]}`,
		`{"components":[null,{"type":1,"components":[null,{"type":2}]}]}`, `{"nonce":{}}`, `{"nonce":1.5}`,
		`{"message_reference":{"message_id":5}}`, `{"allowed_mentions":{"parse":[null]}}`, `[null]`,
		`[{"name":"x","options":[null,{"type":2,"options":[{"type":1,"options":[{"type":1}]}]}]}]`,
		`{"type":4,"data":null}`, `{"type":8,"data":{"choices":[null]}}`, `{"name":null,"message":null}`,
		`{"content":"x","flags":-1}`, `{"embeds":[{"color":-5,"timestamp":"x","url":"javascript:1"}]}`, `{`,
	}
	paths := []string{
		"POST /channels/" + DefaultNewsChannel + "/messages",
		"PATCH /channels/" + DefaultNewsChannel + "/messages/1",
		"POST /channels/" + DefaultNewsChannel + "/messages/1/threads",
		"POST /channels/" + DefaultForumChannel + "/threads",
		"POST /channels/" + DefaultNewsChannel + "/threads",
		"PUT /applications/" + DefaultApplicationID + "/commands",
		"POST /applications/" + DefaultApplicationID + "/guilds/" + DefaultGuildID + "/commands",
		"POST /interactions/1/tok/callback",
		"POST /webhooks/" + DefaultApplicationID + "/tok",
		"PATCH /webhooks/" + DefaultApplicationID + "/tok/messages/@original",
	}
	for _, p := range paths {
		method, path, _ := strings.Cut(p, " ")
		for _, body := range bodies {
			req, _ := http.NewRequest(method, e.URL+"/api/v10"+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bot x")
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatalf("%s %s: %v", p, body, err)
			}
			data, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			// An empty list is a valid bulk overwrite: it removes every command.
			valid := strings.HasPrefix(body, "{\"content\"") || strings.HasPrefix(p, "PUT") && body == "[]"
			if resp.StatusCode >= 500 || resp.StatusCode < 400 && !valid {
				t.Errorf("%s with %s: %d %s", p, body, resp.StatusCode, data)
			}
		}
	}
}
