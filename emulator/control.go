package emulator

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
)

// The control API lives under /_emulator/. It is for tests, the playground
// and curl; it needs no token, is not rate limited, and is not recorded in
// Requests. Errors are {"error": "…"}.

var controlIndex = map[string]string{
	"GET /_emulator/channels":               "every channel and thread, Discord JSON with guild_id",
	"GET /_emulator/channels/{id}/messages": "a channel's messages, oldest first, edits applied",
	"GET /_emulator/requests":               "every REST request: method, path, body, status",
	"GET /_emulator/commands":               "registered application commands (global and guild)",
	"POST /_emulator/interactions":          `{"command":"/quote story:1","user_id":…,"channel_id":…} → {"callback","messages","elapsed_ms"}`,
	"POST /_emulator/faults":                `{"kind":"429"|"5xx"|"slow"|"drop_gateway"|"reconnect"|"invalid_session"|"stop_heartbeat_ack",…}`,
	"GET /_emulator/faults":                 "pending REST faults",
	"DELETE /_emulator/faults":              "clear faults",
	"POST /_emulator/reset":                 "forget messages, interactions, requests and faults; keep commands and sessions",
	"GET /_emulator/schemas":                "OpenAPI schemas request bodies validated against",
	"GET /_emulator/violations":             "answers and gateway events that Discord's OpenAPI description does not allow (with --openapi)",
	"GET /_emulator/application":            `{"id","public_key","interactions_endpoint_url"}: the key interactions sent over HTTP are signed with`,
	"PATCH /_emulator/application":          `{"interactions_endpoint_url":"http://…"} verifies the endpoint as Discord does, then sends interactions there ("" for the gateway)`,
}

func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		s.log.Info("control", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"ms", time.Since(start).Milliseconds())
	}()
	path := strings.Trim(strings.TrimPrefix(r.URL.Path, "/_emulator"), "/")
	switch key := r.Method + " " + path; {
	case key == "GET " || key == "GET index":
		writeJSON(rec, 200, controlIndex)
	case key == "GET channels":
		writeJSON(rec, 200, s.Channels())
	case r.Method == "GET" && strings.HasPrefix(path, "channels/") && strings.HasSuffix(path, "/messages"):
		s.controlMessages(rec, strings.TrimSuffix(strings.TrimPrefix(path, "channels/"), "/messages"))
	case key == "GET requests":
		writeJSON(rec, 200, s.Requests())
	case key == "GET commands":
		writeJSON(rec, 200, s.allCommands())
	case key == "GET schemas":
		writeJSON(rec, 200, s.SchemasExercised())
	case key == "GET violations":
		writeJSON(rec, 200, s.Violations())
	case key == "GET application" || key == "PATCH application":
		s.controlApplication(rec, r)
	case key == "POST interactions":
		s.controlInteract(rec, r)
	case key == "POST faults":
		s.controlFault(rec, r)
	case key == "GET faults":
		writeJSON(rec, 200, s.Faults())
	case key == "DELETE faults":
		s.ClearFaults()
		writeJSON(rec, 200, map[string]bool{"cleared": true})
	case key == "POST reset":
		s.Reset()
		writeJSON(rec, 200, map[string]bool{"reset": true})
	default:
		controlError(rec, http.StatusNotFound, "no control endpoint "+r.Method+" "+r.URL.Path+"; GET /_emulator/ lists them")
	}
}

func controlError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func (s *Server) controlMessages(w http.ResponseWriter, id string) {
	s.mu.Lock()
	_, ok := s.st.channels[id]
	s.mu.Unlock()
	if !ok {
		controlError(w, http.StatusNotFound, "unknown channel "+id)
		return
	}
	writeJSON(w, 200, s.Messages(id))
}

// decodeControl reads a JSON request body strictly, so a misspelt field
// is an error rather than a silent default.
func decodeControl(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errors.New("invalid JSON body: " + err.Error())
	}
	return nil
}

func (s *Server) controlInteract(w http.ResponseWriter, r *http.Request) {
	var req InteractionRequest
	if err := decodeControl(r, &req); err != nil {
		controlError(w, http.StatusBadRequest, err.Error())
		return
	}
	res, err := s.Interact(r.Context(), req)
	var ie *InputError
	switch {
	case err == nil:
		writeJSON(w, 200, res)
	case errors.As(err, &ie):
		controlError(w, http.StatusBadRequest, err.Error())
	case errors.Is(err, ErrNoBot):
		controlError(w, http.StatusServiceUnavailable, err.Error())
	case errors.Is(err, ErrEndpoint):
		controlError(w, http.StatusBadGateway, err.Error())
	default:
		controlError(w, http.StatusGatewayTimeout, err.Error())
	}
}

func (s *Server) controlFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if err := decodeControl(r, &f); err != nil {
		controlError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := s.Inject(f); err != nil {
		controlError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, 200, map[string]any{"injected": f})
}

// Channels returns every channel and thread, in seed then creation order.
func (s *Server) Channels() []Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Channel, 0, len(s.st.channelOrder))
	for _, id := range s.st.channelOrder {
		out = append(out, *s.st.channels[id])
	}
	return out
}

func (s *Server) allCommands() []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Command{}
	for _, c := range s.st.commands[""] {
		out = append(out, *c)
	}
	for _, g := range s.st.guildOrder {
		for _, c := range s.st.commands[g] {
			out = append(out, *c)
		}
	}
	return out
}
