package comments

import (
	"bytes"
	"encoding/json"
)

// JSONFormat is a kind of JSON document import reads for comments.
type JSONFormat string

const (
	JSONUnknown       JSONFormat = ""
	JSONRedditThread  JSONFormat = "Reddit /comments response"
	JSONRedditListing JSONFormat = "Reddit comment listing"
	JSONHNItem        JSONFormat = "Hacker News item"
	JSONThreadLines   JSONFormat = "JSON lines of threads"
	JSONExport        JSONFormat = "comment export"
)

// ExpectedJSON names the JSON formats SniffJSON knows, for a message when
// a file is none of them.
const ExpectedJSON = `a Reddit /comments/<id>.json response ([post listing, comment listing]), ` +
	`a Hacker News item or item tree ({"id","type":"story","title",…} from /v0/item/<id>.json, ` +
	`or hn.algolia.com's /api/v1/items/<id> with "children"), ` +
	`JSON lines of threads (one {"id","title","comments":[…]} a line), ` +
	`a comment export ([{"id","title","comments":[…]}]) or a JSON Feed`

// SniffJSON tells which comment format a JSON document is by its content:
// the shape of its first value, not its file name.
func SniffJSON(data []byte) JSONFormat {
	dec := json.NewDecoder(bytes.NewReader(data))
	var first json.RawMessage
	if err := dec.Decode(&first); err != nil {
		return JSONUnknown
	}
	first = bytes.TrimSpace(first)
	switch first[0] {
	case '[':
		var elems []json.RawMessage
		if json.Unmarshal(first, &elems) != nil || len(elems) == 0 {
			return JSONUnknown
		}
		var head map[string]json.RawMessage
		if json.Unmarshal(elems[0], &head) != nil {
			return JSONUnknown
		}
		switch {
		case str(head["kind"]) == "Listing":
			return JSONRedditThread
		case has(head, "comments"):
			return JSONExport
		}
	case '{':
		var obj map[string]json.RawMessage
		if json.Unmarshal(first, &obj) != nil {
			return JSONUnknown
		}
		switch {
		case str(obj["kind"]) == "Listing":
			return JSONRedditListing
		case isArray(obj["comments"]) && has(obj, "title"):
			return JSONThreadLines
		case isNumber(obj["id"]) && (has(obj, "by") || has(obj, "kids") || has(obj, "children") || hnTypes[str(obj["type"])]):
			return JSONHNItem
		}
	}
	return JSONUnknown
}

var hnTypes = map[string]bool{"story": true, "comment": true, "job": true, "poll": true, "pollopt": true}

func has(m map[string]json.RawMessage, k string) bool {
	_, ok := m[k]
	return ok
}

func str(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

func isArray(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '['
}

func isNumber(raw json.RawMessage) bool {
	var n json.Number
	return json.Unmarshal(raw, &n) == nil
}
