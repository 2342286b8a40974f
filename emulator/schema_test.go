package emulator

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// miniSpec exercises every keyword the validator supports.
const miniSpec = `{
  "paths": {"/things/{id}": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}},
  "components": {"schemas": {
    "Snowflake": {"type": "string", "pattern": "^(0|[1-9][0-9]*)$", "format": "snowflake"},
    "Kind": {"type": "integer", "oneOf": [{"const": 1}, {"const": 2}]},
    "Thing": {
      "type": "object",
      "required": ["name"],
      "additionalProperties": false,
      "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 5},
        "note": {"type": ["string", "null"]},
        "kind": {"$ref": "#/components/schemas/Kind"},
        "id": {"$ref": "#/components/schemas/Snowflake"},
        "perms": {"type": ["integer", "null"], "minimum": 0, "maximum": 18014398509481983},
        "big": {"type": "integer", "format": "int64"},
        "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}, "maxItems": 2, "minItems": 1, "uniqueItems": true},
        "ratio": {"type": "number", "minimum": 0, "maximum": 1},
        "when": {"type": "string", "format": "date-time"},
        "link": {"type": "string", "format": "uri"},
        "either": {"anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 2}]},
        "exactly": {"oneOf": [{"type": "integer"}, {"type": "number"}]},
        "both": {"allOf": [{"type": "string"}, {"maxLength": 3}]},
        "extra": {"type": "object", "additionalProperties": {"type": "integer"}, "maxProperties": 1}
      }
    }
  }}
}`

func miniValidate(t *testing.T, doc string) []string {
	t.Helper()
	sp, err := parseOpenAPI([]byte(miniSpec))
	if err != nil {
		t.Fatal(err)
	}
	root, _ := sp.schema("Thing")
	val, err := decodeNumbers([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	v := newValidator(sp)
	v.check(root, val, nil)
	var out []string
	for _, e := range v.errs {
		out = append(out, strings.Join(e.path, ".")+" "+e.code)
	}
	sort.Strings(out)
	return out
}

func TestSchemaValidator(t *testing.T) {
	cases := []struct{ doc, want string }{
		{`{"name":"ok"}`, ""},
		{`{"name":"ok","note":null,"kind":2,"id":"123","perms":"2048","big":"9223372036854775807","tags":["a","b"],"ratio":0.5,"when":"2024-05-01T10:00:00Z","link":"https://x.test","either":"ab","exactly":1.5,"both":"abc","extra":{"x":1}}`, ""},
		{`{"name":"ok","id":123,"perms":32}`, ""},
		{`{}`, "name BASE_TYPE_REQUIRED"},
		{`{"name":""}`, "name BASE_TYPE_MIN_LENGTH"},
		{`{"name":"toolong"}`, "name BASE_TYPE_MAX_LENGTH"},
		{`{"name":"ok","bogus":1}`, "bogus BASE_TYPE_UNKNOWN_FIELD"},
		{`{"name":1}`, "name BASE_TYPE_BAD_TYPE"},
		{`{"name":"ok","note":5}`, "note BASE_TYPE_BAD_TYPE"},
		{`{"name":"ok","kind":3}`, "kind BASE_TYPE_CHOICES"},
		{`{"name":"ok","id":"01"}`, "id STRING_TYPE_REGEX"},
		{`{"name":"ok","perms":-1}`, "perms NUMBER_TYPE_MIN"},
		{`{"name":"ok","perms":"lots"}`, "perms BASE_TYPE_BAD_TYPE"},
		{`{"name":"ok","big":1.5}`, "big BASE_TYPE_BAD_TYPE"},
		{`{"name":"ok","tags":[]}`, "tags BASE_TYPE_MIN_LENGTH"},
		{`{"name":"ok","tags":["a","b","a"]}`, "tags BASE_TYPE_MAX_LENGTH|tags BASE_TYPE_UNIQUE"},
		{`{"name":"ok","tags":["c"]}`, "tags.0 BASE_TYPE_CHOICES"},
		{`{"name":"ok","ratio":2}`, "ratio NUMBER_TYPE_MAX"},
		{`{"name":"ok","when":"yesterday"}`, "when DATE_TYPE_PARSE"},
		{`{"name":"ok","link":"no scheme"}`, "link URL_TYPE_INVALID_URL"},
		{`{"name":"ok","either":"abc"}`, "either BASE_TYPE_MAX_LENGTH"},
		{`{"name":"ok","exactly":2}`, "exactly UNION_TYPE_CHOICES"},
		{`{"name":"ok","both":"abcd"}`, "both BASE_TYPE_MAX_LENGTH"},
		{`{"name":"ok","extra":{"a":1,"b":"x"}}`, "extra BASE_TYPE_MAX_LENGTH|extra.b BASE_TYPE_BAD_TYPE"},
	}
	for _, tc := range cases {
		t.Run(tc.doc, func(t *testing.T) {
			got := strings.Join(miniValidate(t, tc.doc), "|")
			if got != tc.want {
				t.Errorf("errors %q; want %q", got, tc.want)
			}
		})
	}
}

// TestDiscordgoBodiesMatchSpec validates what discordgo marshals for the
// bot's calls against Discord's own schemas, and the emulator's answers
// against the response schemas a client expects.
func TestDiscordgoBodiesMatchSpec(t *testing.T) {
	if _, err := os.Stat(specPath); err != nil {
		t.Skipf("no OpenAPI description at %s", specPath)
	}
	content := "edited"
	cases := []struct {
		schema string
		body   any
	}{
		{"MessageCreateRequest", &discordgo.MessageSend{Content: "hi", Embeds: make10(), AllowedMentions: noMentions()}},
		{"MessageEditRequestPartial", &discordgo.MessageEdit{Content: &content, ID: "1", Channel: "2"}},
		{"ApplicationCommandUpdateRequest", testCommands()[2]},
		{"CreateMessageInteractionCallbackRequest", discordgo.InteractionResponse{Type: 4, Data: &discordgo.InteractionResponseData{Content: "x", Flags: 64}}},
		{"IncomingWebhookUpdateRequestPartial", &discordgo.WebhookEdit{Content: &content}},
		{"CreateTextThreadWithMessageRequest", &discordgo.ThreadStart{Name: "t", AutoArchiveDuration: 60}},
	}
	for _, tc := range cases {
		t.Run(tc.schema, func(t *testing.T) {
			doc, _ := json.Marshal(tc.body)
			errs, err := ValidateSchema(specPath, tc.schema, doc)
			if err != nil {
				t.Fatal(err)
			}
			if len(errs) > 0 {
				t.Errorf("%s does not validate: %v\n%s", tc.schema, errs, doc)
			}
		})
	}
	if _, err := ValidateSchema(specPath, "NoSuchSchema", []byte(`{}`)); err == nil {
		t.Error("an unknown schema name must be an error")
	}
}

func FuzzSchemaValidator(f *testing.F) {
	f.Add(`{"name":"ok","tags":["a"],"either":1,"extra":{"x":1}}`)
	f.Add(`{"name":null,"perms":"99999999999999999999999","big":1e400}`)
	f.Add(`[1,{"a":[]}]`)
	sp, err := parseOpenAPI([]byte(miniSpec))
	if err != nil {
		f.Fatal(err)
	}
	root, _ := sp.schema("Thing")
	f.Fuzz(func(t *testing.T, doc string) {
		val, err := decodeNumbers([]byte(doc))
		if err != nil {
			return
		}
		v := newValidator(sp)
		v.check(root, val, nil)
		for _, e := range v.errs {
			_ = e.msg()
		}
	})
}

func BenchmarkValidateCommands(b *testing.B) {
	sp, err := loadOpenAPI(specPath)
	if err != nil {
		b.Skip(err)
	}
	body, _ := json.Marshal(testCommands())
	op := sp.find("PUT", "/applications/1/guilds/2/commands")
	val, _ := decodeNumbers(body)
	for b.Loop() {
		v := newValidator(sp)
		v.check(op.schema, val, nil)
		if len(v.errs) > 0 {
			b.Fatal(v.errs)
		}
	}
}

// TestResponsesMatchSpec checks the emulator's answers against the
// response schemas of Discord's description, so a client generated from
// the spec (not only discordgo) would accept them.
func TestResponsesMatchSpec(t *testing.T) {
	if _, err := os.Stat(specPath); err != nil {
		t.Skipf("no OpenAPI description at %s", specPath)
	}
	e := startEmu(t, Options{})
	s := newSession(t, e)
	story := postStory(t, s)
	reply, err := s.ChannelMessageSendComplex(DefaultTechChannel, &discordgo.MessageSend{Content: "<@" + DefaultAdminUserID + "> reply",
		Reference: story.Reference()})
	if err != nil {
		t.Fatal(err)
	}
	th, err := s.MessageThreadStart(DefaultTechChannel, story.ID, "updates", 60)
	if err != nil {
		t.Fatal(err)
	}
	cmds := registerCommands(t, s)
	cases := []struct{ schema, url string }{
		{"MessageResponse", discordgo.EndpointChannelMessage(DefaultTechChannel, story.ID)},
		{"MessageResponse", discordgo.EndpointChannelMessage(DefaultTechChannel, reply.ID)},
		{"ThreadResponse", discordgo.EndpointChannel(th.ID)},
		{"GuildChannelResponse", discordgo.EndpointChannel(DefaultForumChannel)},
		{"ApplicationCommandResponse", discordgo.EndpointApplicationGuildCommand(DefaultApplicationID, DefaultGuildID, cmds[2].ID)},
		{"UserPIIResponse", discordgo.EndpointUser("@me")},
		{"UserResponse", discordgo.EndpointUser(DefaultAdminUserID)},
		{"GatewayBotResponse", discordgo.EndpointGatewayBot},
		{"PrivateApplicationResponse", discordgo.EndpointApplication("@me")},
	}
	for _, tc := range cases {
		t.Run(tc.schema+" "+strings.TrimPrefix(tc.url, discordgo.EndpointAPI), func(t *testing.T) {
			raw, err := s.Request("GET", tc.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			errs, err := ValidateSchema(specPath, tc.schema, raw)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range errs {
				t.Error(x)
			}
		})
	}
}
