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

func applySpecFixes(schemas map[string]json.RawMessage) {
	for name, fix := range specFixes {
		if _, ok := schemas[name]; ok {
			schemas[name] = json.RawMessage(fix)
		}
	}
}
