package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Interaction types (what the user did) and callback types (how the bot answers).
const (
	interactionPing         = 1
	interactionCommand      = 2
	interactionComponent    = 3
	interactionAutocomplete = 4
)

// interaction is one dispatched INTERACTION_CREATE and what became of it.
// Server.mu guards it.
type interaction struct {
	id, token    string
	typ          int
	name         string // command name, for interaction_metadata
	guildID      string
	channelID    string
	interactedID string // component interactions: the message whose component was used
	user         User
	created      time.Time
	timer        *time.Timer
	expired      chan struct{} // closed when the first-callback deadline passes
	isExpired    bool
	acked        bool
	ackedAt      time.Time
	callback     json.RawMessage
	callbackType int
	deferred     bool // type 5: the original is a loading message until edited
	edited       bool
	originalID   string
	followups    []string
	changed      chan struct{} // closed and replaced on every change, for waiters
	viaHTTP      bool          // sent to the interactions endpoint, whose response is the first callback
	endpointErr  error         // why the endpoint gave no usable answer
}

// notifyLogged wakes the interaction's waiters once the request being
// served is in the request log: whoever Interact answers can then find the
// bot's callback in GET /_emulator/requests at once.
func (c *call) notifyLogged(in *interaction) {
	c.after = append(c.after, func() {
		c.s.mu.Lock()
		in.notify()
		c.s.mu.Unlock()
	})
}

func (in *interaction) notify() {
	close(in.changed)
	in.changed = make(chan struct{})
}

// expire ends the first-callback window: at the deadline, and for every
// open interaction on Reset and Close so no waiter hangs. Caller holds s.mu.
func (in *interaction) expire() {
	if in.isExpired {
		return
	}
	in.timer.Stop()
	in.isExpired = true
	close(in.expired)
	in.notify()
}

type callbackBody struct {
	Type int           `json:"type"`
	Data *callbackData `json:"data"`
}

type callbackData struct {
	messageBody
	Choices  *[]CommandChoice `json:"choices"`
	CustomID string           `json:"custom_id"`
	Title    string           `json:"title"`
}

// allowedCallbacks lists the callback types each interaction type accepts.
var allowedCallbacks = map[int][]int{
	interactionPing:         {1},
	interactionCommand:      {4, 5, 9},
	interactionComponent:    {4, 5, 6, 7, 9},
	interactionAutocomplete: {8},
}

func interactionCallback(c *call) (any, int, error) {
	var b callbackBody
	if err := c.decode(&b); err != nil {
		return nil, 0, err
	}
	withResponse, err := c.boolQuery("with_response")
	if err != nil {
		return nil, 0, err
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.st.interactions[c.param("interaction_id")]
	switch {
	case in == nil || in.token != c.param("interaction_token"):
		return nil, 0, errUnknownInteraction()
	case in.acked:
		return nil, 0, errAlreadyAcknowledged()
	case in.isExpired:
		return nil, 0, errUnknownInteraction()
	}
	if !containsInt(allowedCallbacks[in.typ], b.Type) {
		var fe formErrors
		fe.add("type", "INTERACTION_CALLBACK_TYPE_INVALID", fmt.Sprintf("Callback type %d is not valid for interaction type %d (allowed: %v).", b.Type, in.typ, allowedCallbacks[in.typ]))
		return nil, 0, fe.err()
	}
	if b.Data == nil {
		b.Data = &callbackData{}
	}
	if err := s.answer(in, b.Type, b.Data, c.now); err != nil {
		return nil, 0, err
	}
	in.acked, in.ackedAt, in.callbackType = true, c.now, b.Type
	in.callback = append(json.RawMessage{}, c.body...)
	c.notifyLogged(in)
	if withResponse {
		return s.callbackResponse(in, b.Type), http.StatusOK, nil
	}
	return nil, http.StatusNoContent, nil
}

// callbackResponse is the answer to a callback with ?with_response=true:
// the interaction and, for a message it created or updated, that message.
// Caller holds s.mu.
func (s *Server) callbackResponse(in *interaction, typ int) map[string]any {
	inter := map[string]any{"id": in.id, "type": in.typ, "channel_id": in.channelID, "guild_id": in.guildID}
	out := map[string]any{"interaction": inter}
	if typ != 4 && typ != 5 && typ != 7 {
		return out
	}
	m := s.st.findMessage(in.originalID)
	if m == nil {
		return out
	}
	inter["response_message_id"] = m.ID
	inter["response_message_loading"] = m.Flags&FlagLoading != 0
	inter["response_message_ephemeral"] = m.Flags&FlagEphemeral != 0
	if typ != 5 { // a deferred answer has no message yet, only its loading state
		out["resource"] = map[string]any{"type": typ, "message": public(m)}
	}
	return out
}

// boolQuery reads an optional boolean query parameter; anything but a
// boolean is Discord's 50035.
func (c *call) boolQuery(name string) (bool, error) {
	raw := c.query.Get(name)
	if raw == "" {
		return false, nil
	}
	v, err := strconv.ParseBool(raw)
	if err != nil {
		var fe formErrors
		fe.add(name, "BOOLEAN_TYPE_CONVERT", fmt.Sprintf("Value %q is not a boolean.", raw))
		return false, fe.err()
	}
	return v, nil
}

// metadata is the interaction_metadata of a message answering in.
func (in *interaction) metadata(followup bool) *InteractionMetadata {
	md := &InteractionMetadata{ID: in.id, Type: in.typ, User: in.user, Name: in.name,
		AuthorizingIntegrationOwners: map[string]string{guildInstall: in.guildID}}
	if in.typ == interactionComponent {
		md.InteractedMessageID = in.interactedID
	}
	if followup {
		md.OriginalResponseMessageID = in.originalID
	}
	return md
}

// guildInstall is the application integration type of an app installed to
// a guild, the key of authorizing_integration_owners.
const guildInstall = "0"

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// answer applies a callback. Caller holds s.mu.
func (s *Server) answer(in *interaction, typ int, d *callbackData, now time.Time) error {
	var fe formErrors
	switch typ {
	case 4:
		validateMessage(&d.messageBody, &fe, "data", interactionFlags)
		if err := fe.err(); err != nil {
			return err
		}
		if d.empty(0) {
			return errEmptyMessage()
		}
		m := s.interactionMessage(in, &d.messageBody, false, now)
		in.originalID = m.ID
	case 5:
		validateMessage(&d.messageBody, &fe, "data", interactionFlags)
		if err := fe.err(); err != nil {
			return err
		}
		m := s.interactionMessage(in, &messageBody{Flags: d.Flags}, false, now)
		m.Flags |= FlagLoading
		in.originalID, in.deferred = m.ID, true
	case 7:
		ch, m := s.st.channels[in.channelID], s.st.findMessage(in.originalID)
		if ch == nil || m == nil {
			return errUnknownMessage()
		}
		return s.editStored(ch, m, &d.messageBody, editOpts{allowed: interactionFlags, markEdited: true}, now)
	case 8:
		validateChoices(d.Choices, &fe)
		return fe.err()
	case 9:
		fe.between("data.title", runes(d.Title), 1, 45)
		fe.between("data.custom_id", runes(d.CustomID), 1, maxCustomID)
		if d.Components == nil || len(*d.Components) < 1 || len(*d.Components) > 5 {
			fe.add("data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
		}
		return fe.err()
	}
	return nil
}

func validateChoices(choices *[]CommandChoice, fe *formErrors) {
	if choices == nil {
		fe.add("data.choices", "BASE_TYPE_REQUIRED", "This field is required")
		return
	}
	fe.maxLen("data.choices", len(*choices), maxChoices)
	for i, ch := range *choices {
		p := fmt.Sprintf("data.choices.%d", i)
		fe.between(p+".name", runes(ch.Name), 1, 100)
		switch v := ch.Value.(type) {
		case string:
			fe.maxLen(p+".value", runes(v), 100)
		case float64:
		default:
			fe.add(p+".value", "BASE_TYPE_BAD_TYPE", "Choice value must be a string or a number.")
		}
	}
}

// interactionMessage creates a message answering an interaction (its
// first answer, or a followup), in the channel or, when ephemeral,
// visible only to the user. Caller holds s.mu.
func (s *Server) interactionMessage(in *interaction, b *messageBody, followup bool, now time.Time) *Message {
	st := s.st
	ch := st.channels[in.channelID]
	m := st.buildMessage(ch, st.bot, b, nil, now)
	m.Type, m.WebhookID, m.ApplicationID = 0, st.appID, st.appID
	if in.typ == interactionCommand {
		m.Type = 20
	}
	m.InteractionMetadata = in.metadata(followup)
	if b.Flags != nil {
		m.Flags |= *b.Flags & interactionFlags
	}
	if m.Flags&FlagEphemeral != 0 {
		st.ephemeral[m.ID] = m
	} else {
		s.postMessage(ch, m)
	}
	return m
}

// findMessage finds a channel or ephemeral message.
func (st *state) findMessage(id string) *Message {
	if m := st.msgByID[id]; m != nil {
		return m
	}
	return st.ephemeral[id]
}

// webhookInteraction resolves /webhooks/{application_id}/{token}: an
// unknown token is 10015, an expired one 50027.
func (c *call) webhookInteraction() (*interaction, error) {
	in := c.awaitEndpointAnswer(c.param("webhook_token"))
	st := c.s.st
	if in == nil || c.param("webhook_id") != st.appID {
		return nil, errUnknownWebhook()
	}
	if c.now.Sub(in.created) > c.s.opts.TokenLifetime {
		return nil, &apiError{Status: 401, Code: codeInvalidWebhookToken, Message: "Invalid Webhook Token"}
	}
	return in, nil
}

// webhookMessage finds @original or a followup of the interaction.
func (c *call) webhookMessage(in *interaction) (*Message, error) {
	id := c.param("message_id")
	if id == "@original" {
		id = in.originalID
	} else if id != in.originalID && !contains(in.followups, id) {
		return nil, errUnknownMessage()
	}
	m := c.s.st.findMessage(id)
	if m == nil {
		return nil, errUnknownMessage()
	}
	return m, nil
}

// executeWebhook sends a followup. After a deferred answer the first one
// fills the loading message, as Discord does.
func executeWebhook(c *call) (any, int, error) {
	var b messageBody
	if err := c.decode(&b); err != nil {
		return nil, 0, err
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := c.webhookInteraction()
	if err != nil {
		return nil, 0, err
	}
	if !in.acked {
		return nil, 0, errUnknownWebhook()
	}
	var fe formErrors
	validateMessage(&b, &fe, "", interactionFlags)
	if err := fe.err(); err != nil {
		return nil, 0, err
	}
	if b.empty(len(c.files)) {
		return nil, 0, errEmptyMessage()
	}
	var m *Message
	if orig := s.st.findMessage(in.originalID); in.deferred && !in.edited && orig != nil && orig.Flags&FlagLoading != 0 {
		if err := s.editStored(s.st.channels[orig.ChannelID], orig, &b, editOpts{allowed: interactionFlags, clear: FlagLoading}, c.now); err != nil {
			return nil, 0, err
		}
		m, in.edited = orig, true
	} else {
		m = s.interactionMessage(in, &b, true, c.now)
		in.followups = append(in.followups, m.ID)
	}
	c.notifyLogged(in)
	if wait, _ := strconv.ParseBool(c.query.Get("wait")); !wait {
		return nil, http.StatusNoContent, nil
	}
	return public(m), http.StatusOK, nil
}

func getWebhookMessage(c *call) (any, int, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	in, err := c.webhookInteraction()
	if err != nil {
		return nil, 0, err
	}
	m, err := c.webhookMessage(in)
	if err != nil {
		return nil, 0, err
	}
	return public(m), http.StatusOK, nil
}

// editWebhookMessage edits @original or a followup; the first edit of a
// deferred answer replaces the loading message.
func editWebhookMessage(c *call) (any, int, error) {
	var b messageBody
	if err := c.decode(&b); err != nil {
		return nil, 0, err
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := c.webhookInteraction()
	if err != nil {
		return nil, 0, err
	}
	m, err := c.webhookMessage(in)
	if err != nil {
		return nil, 0, err
	}
	loading := m.Flags&FlagLoading != 0
	if err := s.editStored(s.st.channels[m.ChannelID], m, &b, editOpts{allowed: interactionFlags, clear: FlagLoading, markEdited: !loading}, c.now); err != nil {
		return nil, 0, err
	}
	if m.ID == in.originalID {
		in.edited = true
	}
	c.notifyLogged(in)
	return public(m), http.StatusOK, nil
}

func deleteWebhookMessage(c *call) (any, int, error) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := c.webhookInteraction()
	if err != nil {
		return nil, 0, err
	}
	m, err := c.webhookMessage(in)
	if err != nil {
		return nil, 0, err
	}
	if s.st.ephemeral[m.ID] != nil {
		delete(s.st.ephemeral, m.ID)
	} else {
		s.removeMessage(s.st.channels[m.ChannelID], m)
	}
	if m.ID == in.originalID {
		// A deleted loading message is finished with: what the bot has to
		// say comes as followups.
		in.edited = true
	}
	c.notifyLogged(in)
	return nil, http.StatusNoContent, nil
}

// InteractionDeadline returns a channel closed when the interaction's
// first-callback deadline passes (nil for an unknown id), so a test can
// answer late without sleeping.
func (s *Server) InteractionDeadline(id string) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if in := s.st.interactions[id]; in != nil {
		return in.expired
	}
	return nil
}
