package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/newsbot-dev/newsbot/emulator"
)

// interactRequest is what the page does: run a command, ask for
// autocomplete choices, or click a button. It becomes an
// emulator.InteractionRequest, so it takes the same path as a member's
// action in Discord: an INTERACTION_CREATE on the bot's gateway.
type interactRequest struct {
	Type      string   `json:"type"` // command, autocomplete or component
	UserID    string   `json:"user_id"`
	ChannelID string   `json:"channel_id"`
	Command   string   `json:"command"`
	Focused   string   `json:"focused"`
	MessageID string   `json:"message_id"`
	CustomID  string   `json:"custom_id"`
	Values    []string `json:"values"`
}

// interactResult is how the bot answered: autocomplete choices, or the
// messages its answer made (ephemeral ones only the page ever sees).
type interactResult struct {
	CallbackType int           `json:"callback_type"`
	Choices      []choiceView  `json:"choices,omitempty"`
	Messages     []messageView `json:"messages"`
}

func (s *Server) serveInteract(w http.ResponseWriter, r *http.Request) {
	var req interactRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "the page sent a request the server cannot read: "+err.Error())
		return
	}
	switch req.Type {
	case "command", "autocomplete", "component":
	default:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("unknown interaction type %q", req.Type))
		return
	}
	body, _ := json.Marshal(emulator.InteractionRequest{
		Type: req.Type, UserID: req.UserID, ChannelID: req.ChannelID, Command: req.Command, Focused: req.Focused,
		MessageID: req.MessageID, CustomID: req.CustomID, Values: req.Values,
	})
	up, err := http.NewRequestWithContext(r.Context(), "POST", s.emulator+"/_emulator/interactions", bytes.NewReader(body))
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	up.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(up)
	if err != nil {
		writeError(w, http.StatusBadGateway, "the Discord emulator is not answering: "+err.Error())
		return
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		writeError(w, http.StatusBadGateway, "reading the Discord emulator's answer: "+err.Error())
		return
	}
	if resp.StatusCode != http.StatusOK {
		// The emulator's message says what was wrong: an unknown option,
		// a story id that is not a number, a bot that did not answer.
		var e struct{ Error string }
		if json.Unmarshal(data, &e) != nil || e.Error == "" {
			e.Error = "the Discord emulator answered " + resp.Status
		}
		writeError(w, resp.StatusCode, e.Error)
		return
	}
	out, err := viewResult(data)
	if err != nil {
		writeError(w, http.StatusBadGateway, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func viewResult(data []byte) (interactResult, error) {
	var res emulator.InteractionResult
	if err := json.Unmarshal(data, &res); err != nil {
		return interactResult{}, fmt.Errorf("the Discord emulator's answer: %w", err)
	}
	out := interactResult{CallbackType: res.CallbackType, Messages: []messageView{}}
	for _, m := range res.Messages {
		out.Messages = append(out.Messages, viewMessage(m))
	}
	if res.CallbackType == 8 {
		var cb struct {
			Data struct {
				Choices []choiceView `json:"choices"`
			} `json:"data"`
		}
		if err := json.Unmarshal(res.Callback, &cb); err != nil {
			return interactResult{}, errors.New("the bot's autocomplete answer: " + err.Error())
		}
		out.Choices = cb.Data.Choices
	}
	return out, nil
}

func (s *Server) serveCommands(w http.ResponseWriter, r *http.Request) {
	req, err := http.NewRequestWithContext(r.Context(), "GET", s.emulator+"/_emulator/commands", nil)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	resp, err := s.client.Do(req)
	if err != nil {
		writeError(w, http.StatusBadGateway, "the Discord emulator is not answering: "+err.Error())
		return
	}
	defer resp.Body.Close()
	var cmds []emulator.Command
	if err := json.NewDecoder(io.LimitReader(resp.Body, 8<<20)).Decode(&cmds); err != nil || resp.StatusCode != http.StatusOK {
		writeError(w, http.StatusBadGateway, fmt.Sprintf("the Discord emulator's command list (%s): %v", resp.Status, err))
		return
	}
	writeJSON(w, http.StatusOK, viewCommands(cmds))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
