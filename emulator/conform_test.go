package emulator

import (
	"net/http"
	"os"
	"strings"
	"testing"
)

// answerSpec describes answers the way Discord's description does: body
// schemas by status, a class ("4XX") and shared responses by $ref.
const answerSpec = `{
  "paths": {
    "/things/{id}": {
      "get": {"responses": {
        "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
        "4XX": {"$ref": "#/components/responses/ClientErrorResponse"}}},
      "delete": {"responses": {"204": {"description": "gone"}}}
    }
  },
  "components": {
    "responses": {"ClientErrorResponse": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}}},
    "schemas": {
      "Thing": {"type": "object", "required": ["id", "name"], "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
      "ErrorResponse": {"type": "object", "required": ["code", "message"], "properties": {"code": {"type": "integer"}, "message": {"type": "string"}}},
      "RatelimitedResponse": {"type": "object", "required": ["retry_after", "global"]}
    }
  }
}`

func TestCheckAnswer(t *testing.T) {
	sp, err := parseOpenAPI([]byte(answerSpec))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, method, path string
		status             int
		contentType, body  string
		want               string // "" for a match, else a part of the first error
	}{
		{"a described answer", "GET", "/things/1", 200, "application/json", `{"id":"1","name":"x"}`, ""},
		{"a field missing", "GET", "/things/1", 200, "application/json", `{"id":"1"}`, "name: This field is required"},
		{"a field of the wrong type", "GET", "/things/1", 200, "application/json", `{"id":1,"name":"x"}`, "id: Value of type integer"},
		{"a status Discord never answers", "GET", "/things/1", 201, "application/json", `{"id":"1","name":"x"}`, "does not answer GET /things/{id} with 201 (documented: 200, 4XX)"},
		{"an error through a shared response", "GET", "/things/1", 404, "application/json", `{"code":10003,"message":"Unknown"}`, ""},
		{"an error of the wrong shape", "GET", "/things/1", 404, "application/json", `{"error":"no"}`, "code: This field is required"},
		{"not JSON", "GET", "/things/1", 200, "application/json", `{"id":`, "not JSON"},
		{"the wrong content type", "GET", "/things/1", 200, "text/plain", `{"id":"1","name":"x"}`, `Content-Type is "text/plain"`},
		{"no body where one is due", "GET", "/things/1", 200, "", ``, "has no body"},
		{"a 204", "DELETE", "/things/1", 204, "", ``, ""},
		{"a body on a 204", "DELETE", "/things/1", 204, "application/json", `{}`, "has no body, but this one has 2 bytes"},
		{"a server error", "GET", "/things/1", 503, "application/json", `{"message":"down"}`, ""},
		{"an undocumented route answering", "GET", "/elsewhere", 200, "application/json", `{}`, "has no operation GET /elsewhere"},
		{"an undocumented route refused", "GET", "/elsewhere", 404, "application/json", `{"code":0,"message":"404: Not Found"}`, ""},
		{"a rate limit", "POST", "/elsewhere", 429, "application/json", `{"code":0,"message":"slow down"}`, "retry_after: This field is required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			if tc.contentType != "" {
				h.Set("Content-Type", tc.contentType)
			}
			_, errs := sp.checkAnswer(tc.method, tc.path, tc.status, h, []byte(tc.body))
			switch {
			case tc.want == "" && len(errs) > 0:
				t.Errorf("errors %q; want none", errs)
			case tc.want != "" && (len(errs) == 0 || !strings.Contains(errs[0], tc.want)):
				t.Errorf("errors %q; want one containing %q", errs, tc.want)
			}
		})
	}
}

// TestCheckEvent holds dispatches to the component schemas of what they
// carry, in Discord's own description.
func TestCheckEvent(t *testing.T) {
	if _, err := os.Stat(specPath); err != nil {
		t.Skipf("no OpenAPI description at %s", specPath)
	}
	message := `{"id":"1","type":0,"channel_id":"2","author":{"id":"3","username":"u","global_name":null,"discriminator":"0","avatar":null,"public_flags":0,"flags":0,"primary_guild":null},` +
		`"content":"hi","timestamp":"2024-05-01T10:00:00+00:00","edited_timestamp":null,"tts":false,"mention_everyone":false,"mentions":[],"mention_roles":[],` +
		`"attachments":[],"embeds":[],"components":[],"pinned":false,"flags":0,"guild_id":"4"}`
	cases := []struct {
		name, typ, d string
		want         string // "" for none, else part of the violation
	}{
		{"a whole message", "MESSAGE_CREATE", message, ""},
		{"a message without its id", "MESSAGE_UPDATE", strings.Replace(message, `"id":"1",`, "", 1), "MessageResponse id: This field is required"},
		{"a member without banner", "MESSAGE_CREATE", strings.Replace(message, `"guild_id":"4"`, `"guild_id":"4","member":{"roles":[]}`, 1), "member.avatar: This field is required"},
		{"GUILD_CREATE channels without guild_id", "GUILD_CREATE", `{"channels":[{"id":"1","type":0,"flags":0,"name":"news","position":0}]}`, "GuildResponse"},
		{"a channel of the wrong type", "INTERACTION_CREATE", `{"channel":{"id":"1","type":"text"}}`, "channel.type"},
		{"an event with nothing to check", "MESSAGE_DELETE", `{"id":"1"}`, ""},
		{"an event nobody described", "TYPING_START", `{}`, "eventSchemas does not say what it carries"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(Options{OpenAPIFile: specPath})
			if err != nil {
				t.Fatal(err)
			}
			s.checkEvent(tc.typ, []byte(tc.d))
			var got []string
			for _, v := range s.Violations() {
				got = append(got, v.Errors...)
			}
			switch {
			case tc.want == "" && len(got) > 0:
				t.Errorf("violations %q; want none", got)
			case tc.want != "" && !strings.Contains(strings.Join(got, "\n"), tc.want):
				t.Errorf("violations %q; want one containing %q", got, tc.want)
			}
			for _, e := range got {
				if strings.Contains(e, "channels.0.guild_id") {
					t.Errorf("GUILD_CREATE's channels carry no guild_id on the gateway, yet: %s", e)
				}
			}
		})
	}
}

// BenchmarkCheckMessagesAnswer is the cost of checking a page of 50
// messages with embeds, the largest answer the bot reads, beside the cost
// of encoding it.
func BenchmarkCheckMessagesAnswer(b *testing.B) {
	sp, err := loadOpenAPI(specPath)
	if err != nil {
		b.Skip(err)
	}
	st := newState(DefaultSeed(), testTime)
	ch := st.channels[DefaultNewsChannel]
	content := "New story"
	embeds := []Embed{{Title: "Korea talks", URL: "https://example.com/k", Description: "Talks resumed.",
		Fields: []EmbedField{{Name: "Top", Value: "a comment"}}, Footer: &EmbedFooter{Text: "12 comments"}}}
	page := make([]Message, 50)
	for i := range page {
		page[i] = public(st.buildMessage(ch, st.bot, &messageBody{Content: &content, Embeds: &embeds}, nil, testTime))
	}
	body := mustJSON(page)
	h := http.Header{"Content-Type": {"application/json"}}
	b.Run("encode", func(b *testing.B) {
		for b.Loop() {
			mustJSON(page)
		}
	})
	b.Run("check", func(b *testing.B) {
		for b.Loop() {
			if _, errs := sp.checkAnswer("GET", "/channels/1/messages", 200, h, body); len(errs) > 0 {
				b.Fatal(errs)
			}
		}
	})
}
