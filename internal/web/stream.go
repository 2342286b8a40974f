package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/newsbot-dev/newsbot/emulator"
)

// serveEvents streams the emulator's events to the page as views. Each
// page has its own upstream stream, which starts with the emulator's
// STATE, so a page that reconnects redraws from the truth.
//
// Out: "state" (stateView), "message" (messageView, created or edited),
// "delete" ({id, channel_id}) and "channel" (channelView).
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "this connection cannot stream events", http.StatusInternalServerError)
		return
	}
	events, err := emulator.OpenEvents(r.Context(), s.stream, s.emulator)
	if err != nil {
		http.Error(w, "the Discord emulator's event stream: "+err.Error(), http.StatusBadGateway)
		return
	}
	defer events.Close()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	if _, err := io.WriteString(w, "retry: 1000\n\n"); err != nil {
		return
	}
	flusher.Flush()
	for {
		name, data, err := events.Next()
		if err != nil {
			return // the page's EventSource reconnects and starts over
		}
		out, v, err := translate(name, data)
		if err != nil {
			s.log.Warn("web: an emulator event the page cannot show", "event", name, "err", err)
			continue
		}
		if out == "" {
			continue
		}
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", out, v); err != nil {
			return
		}
		flusher.Flush()
	}
}

// translate turns one emulator event into what the page draws, or ""
// for events it does not show (INTERACTION_CREATE: the page sees the
// answer instead).
func translate(name string, data []byte) (string, []byte, error) {
	var v any
	var out string
	switch name {
	case "STATE":
		var s emulator.Snapshot
		if err := json.Unmarshal(data, &s); err != nil {
			return "", nil, err
		}
		out, v = "state", viewState(s)
	case "MESSAGE_CREATE", "MESSAGE_UPDATE":
		var m emulator.Message
		if err := json.Unmarshal(data, &m); err != nil {
			return "", nil, err
		}
		out, v = "message", viewMessage(m)
	case "MESSAGE_DELETE":
		var d struct {
			ID        string `json:"id"`
			ChannelID string `json:"channel_id"`
		}
		if err := json.Unmarshal(data, &d); err != nil {
			return "", nil, err
		}
		out, v = "delete", d
	case "THREAD_CREATE", "THREAD_UPDATE", "CHANNEL_CREATE", "CHANNEL_UPDATE":
		var c emulator.Channel
		if err := json.Unmarshal(data, &c); err != nil {
			return "", nil, err
		}
		out, v = "channel", viewChannel(c)
	default:
		return "", nil, nil
	}
	b, err := json.Marshal(v)
	return out, b, err
}
