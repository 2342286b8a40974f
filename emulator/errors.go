package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// apiError is Discord's error body: {"code":…, "message":…, "errors":…}.
type apiError struct {
	Status  int            `json:"-"`
	Code    int            `json:"code"`
	Message string         `json:"message"`
	Errors  map[string]any `json:"errors,omitempty"`
}

func (e *apiError) Error() string {
	if e.Errors != nil {
		b, _ := json.Marshal(e.Errors)
		return fmt.Sprintf("%d %s: %s", e.Code, e.Message, b)
	}
	return fmt.Sprintf("%d %s", e.Code, e.Message)
}

// Discord's JSON error codes the emulator answers with.
const (
	codeUnknownChannel      = 10003
	codeUnknownMessage      = 10008
	codeUnknownWebhook      = 10015
	codeUnknownCommand      = 10063
	codeUnknownInteraction  = 10062
	codeAlreadyAcknowledged = 40060
	codeMissingAccess       = 50001
	codeCannotEditOther     = 50005
	codeEmptyMessage        = 50006
	codeNonTextChannel      = 50008
	codeMissingPermissions  = 50013
	codeInvalidWebhookToken = 50027
	codeInvalidFormBody     = 50035
	codeInvalidJSON         = 50109
	codeThreadExists        = 160004

	codeMaxWebhooks          = 30007
	codeAlreadyCrossposted   = 40033
	codeTagRequired          = 40067
	codeWrongChannelType     = 50024
	codeInvalidMessageType   = 50068
	codeThreadArchived       = 50083
	codeThreadLocked         = 160005
	codeForumHookNeedsThread = 220001
	codeForumHookBoth        = 220002
	codeHookThreadNotForum   = 220003
)

func errUnknownChannel() *apiError {
	return &apiError{Status: 404, Code: codeUnknownChannel, Message: "Unknown Channel"}
}
func errUnknownMessage() *apiError {
	return &apiError{Status: 404, Code: codeUnknownMessage, Message: "Unknown Message"}
}
func errUnknownWebhook() *apiError {
	return &apiError{Status: 404, Code: codeUnknownWebhook, Message: "Unknown Webhook"}
}
func errUnknownInteraction() *apiError {
	return &apiError{Status: 404, Code: codeUnknownInteraction, Message: "Unknown interaction"}
}
func errAlreadyAcknowledged() *apiError {
	return &apiError{Status: 400, Code: codeAlreadyAcknowledged, Message: "Interaction has already been acknowledged."}
}
func errMissingAccess() *apiError {
	return &apiError{Status: 403, Code: codeMissingAccess, Message: "Missing Access"}
}
func errMissingPermissions() *apiError {
	return &apiError{Status: 403, Code: codeMissingPermissions, Message: "Missing Permissions"}
}
func errEmptyMessage() *apiError {
	return &apiError{Status: 400, Code: codeEmptyMessage, Message: "Cannot send an empty message"}
}
func errInvalidJSON() *apiError {
	return &apiError{Status: 400, Code: codeInvalidJSON, Message: "The request body contains invalid JSON."}
}
func errNotFound() *apiError { return &apiError{Status: 404, Code: 0, Message: "404: Not Found"} }

// formErrors collects field errors into Discord's nested "errors" shape:
// {"embeds":{"0":{"title":{"_errors":[{"code":…,"message":…}]}}}}.
type formErrors struct {
	tree  map[string]any
	count int
}

// add records an error at a dotted path such as "embeds.0.title".
func (f *formErrors) add(path, code, message string) {
	if f.tree == nil {
		f.tree = map[string]any{}
	}
	f.count++
	node := f.tree
	if path != "" {
		for _, part := range strings.Split(path, ".") {
			next, ok := node[part].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[part] = next
			}
			node = next
		}
	}
	list, _ := node["_errors"].([]any)
	node["_errors"] = append(list, map[string]string{"code": code, "message": message})
}

func (f *formErrors) maxLen(path string, n, limit int) {
	if n > limit {
		f.add(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", limit))
	}
}

func (f *formErrors) between(path string, n, lo, hi int) {
	if n < lo || n > hi {
		f.add(path, "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between %d and %d in length.", lo, hi))
	}
}

// err is the 50035 error, or nil (an untyped nil, so callers may return it
// as an error) when nothing was added.
func (f *formErrors) err() error {
	if f.count == 0 {
		return nil
	}
	return f.apiError()
}

func (f *formErrors) apiError() *apiError {
	return &apiError{Status: 400, Code: codeInvalidFormBody, Message: "Invalid Form Body", Errors: f.tree}
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeAPIError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.Status, e)
}

func errWrongChannelType() *apiError {
	return &apiError{Status: 400, Code: codeWrongChannelType, Message: "Cannot execute action on this channel type"}
}
func errThreadArchived() *apiError {
	return &apiError{Status: 400, Code: codeThreadArchived, Message: "Thread is archived"}
}
func errThreadLocked() *apiError {
	return &apiError{Status: 403, Code: codeThreadLocked, Message: "Thread is locked"}
}
