package emulator

import "encoding/json"

// specFixes correct Discord's OpenAPI description where it disagrees with
// what Discord sends, so the emulator can be held to the description
// everywhere else. Each says why; keep the list short.
var specFixes = map[string]string{
	// Field errors carry string codes ("BASE_TYPE_REQUIRED"), as Discord's
	// error documentation shows and every client reads them; the
	// description reuses the top-level Error, whose code is an integer.
	"InnerErrors": `{"type": "object", "additionalProperties": false, "required": ["_errors"],
		"properties": {"_errors": {"type": "array", "items": {"type": "object", "required": ["code", "message"],
			"properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}}`,
}

// specPatches amend a schema where replacing it whole would copy too
// much of it.
var specPatches = map[string]func(schema map[string]any){
	// GUILD_MEDIA (16) channels are Discord's (Channel Types in its
	// documentation) but younger than the preview description.
	"ChannelTypes": func(s map[string]any) {
		s["oneOf"] = append(asList(s["oneOf"]), map[string]any{"title": "GUILD_MEDIA",
			"description": "Channel that can only contain threads, similar to GUILD_FORUM channels", "const": json.Number("16")})
	},
	"GuildChannelResponse": func(s map[string]any) {
		props, _ := s["properties"].(map[string]any)
		if typ, ok := props["type"].(map[string]any); ok {
			typ["enum"] = append(asList(typ["enum"]), json.Number("16"))
		}
	},
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func applySpecFixes(schemas map[string]json.RawMessage) {
	for name, fix := range specFixes {
		if _, ok := schemas[name]; ok {
			schemas[name] = json.RawMessage(fix)
		}
	}
	for name, patch := range specPatches {
		raw, ok := schemas[name]
		if !ok {
			continue
		}
		v, err := decodeNumbers(raw) // keeps int64 bounds exact
		s, isMap := v.(map[string]any)
		if err != nil || !isMap {
			continue
		}
		patch(s)
		if raw, err := json.Marshal(s); err == nil {
			schemas[name] = raw
		}
	}
}
