package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// messageBody is what message create and edit requests carry; webhook and
// interaction answers use the same fields.
type messageBody struct {
	Content          *string            `json:"content"`
	Embeds           *[]Embed           `json:"embeds"`
	Components       *[]json.RawMessage `json:"components"`
	AllowedMentions  *allowedMentions   `json:"allowed_mentions"`
	MessageReference *MessageReference  `json:"message_reference"`
	Flags            *int               `json:"flags"`
	Nonce            json.RawMessage    `json:"nonce"`
	EnforceNonce     bool               `json:"enforce_nonce"`
	TTS              bool               `json:"tts"`
	StickerIDs       []string           `json:"sticker_ids"`
	Poll             json.RawMessage    `json:"poll"`
}

type allowedMentions struct {
	Parse       *[]string `json:"parse"`
	Users       []string  `json:"users"`
	Roles       []string  `json:"roles"`
	RepliedUser bool      `json:"replied_user"`
}

// empty reports whether the body would make a message with nothing in
// it; an embed without any visible part counts as nothing.
func (b *messageBody) empty(files int) bool {
	return (b.Content == nil || *b.Content == "") && (b.Embeds == nil || !anyVisible(*b.Embeds)) &&
		(b.Components == nil || len(*b.Components) == 0) && len(b.StickerIDs) == 0 &&
		files == 0 && (len(b.Poll) == 0 || string(b.Poll) == "null")
}

func anyVisible(embeds []Embed) bool {
	for _, e := range embeds {
		if e.Title != "" || e.Description != "" || len(e.Fields) > 0 || e.Image != nil || e.Thumbnail != nil ||
			e.Author != nil || e.Footer != nil || e.Video != nil || e.URL != "" {
			return true
		}
	}
	return false
}

// channelFor finds a channel the bot can see and checks it may do need
// there: no channel is 10003, no VIEW_CHANNEL 50001, anything else 50013.
// SEND_MESSAGES in a thread means SEND_MESSAGES_IN_THREADS.
func (st *state) channelFor(id string, need Permissions) (*Channel, error) {
	c := st.channels[id]
	if c == nil {
		return nil, errUnknownChannel()
	}
	p := st.permissions(st.guilds[c.GuildID], st.bot.ID, c)
	if p&PermViewChannel == 0 {
		return nil, errMissingAccess()
	}
	if need&PermSendMessages != 0 && isThread(c.Type) {
		need = need&^PermSendMessages | PermSendMessagesInThreads
	}
	if p&need != need {
		return nil, errMissingPermissions()
	}
	return c, nil
}

func canPost(c *Channel) error {
	if isForum(c.Type) || c.Type == ChannelCategory {
		return &apiError{Status: 400, Code: codeNonTextChannel, Message: "Cannot send messages in a non-text channel"}
	}
	return nil
}

func createMessage(c *call) (any, int, error) {
	var b messageBody
	if err := c.decode(&b); err != nil {
		return nil, 0, err
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	ch, err := st.channelFor(c.param("channel_id"), PermSendMessages)
	if err != nil {
		return nil, 0, err
	}
	if err := canPost(ch); err != nil {
		return nil, 0, err
	}
	var fe formErrors
	validateMessage(&b, &fe, "", channelFlags)
	key := nonceKey(b.Nonce, &fe)
	ref := st.checkReference(ch, b.MessageReference, &fe)
	if err := fe.err(); err != nil {
		return nil, 0, err
	}
	if b.empty(len(c.files)) {
		return nil, 0, errEmptyMessage()
	}
	nk := ch.ID + "|" + st.bot.ID + "|" + key
	if e, ok := st.nonces[nk]; ok && b.EnforceNonce && key != "" && c.now.Sub(e.at) < s.opts.NonceWindow {
		if m := st.msgByID[e.messageID]; m != nil {
			return copyMessage(m), http.StatusOK, nil
		}
	}
	if err := s.openForMessage(ch, st.botManages(ch), c.now); err != nil {
		return nil, 0, err
	}
	m := st.buildMessage(ch, st.bot, &b, c.files, c.now)
	if ref != nil {
		m.Type = 19
		m.MessageReference = &MessageReference{Type: 0, MessageID: ref.ID, ChannelID: ref.ChannelID, GuildID: ch.GuildID}
		r := public(ref)
		r.ReferencedMessage = nil
		m.ReferencedMessage = &r
		st.mentionRepliedUser(m, ref, b.AllowedMentions)
	}
	if key != "" {
		m.Nonce = append(json.RawMessage{}, b.Nonce...)
		st.rememberNonce(nk, m.ID, c.now, s.opts.NonceWindow)
	}
	s.postMessage(ch, m)
	return copyMessage(m), http.StatusOK, nil
}

// checkReference validates message_reference; it returns the referenced
// message, or nil when there is none (or it may be missing).
func (st *state) checkReference(ch *Channel, ref *MessageReference, fe *formErrors) *Message {
	if ref == nil || ref.MessageID == "" {
		return nil
	}
	target := ref.ChannelID
	if target == "" {
		target = ch.ID
	}
	m := st.msgByID[ref.MessageID]
	if m == nil || m.ChannelID != target {
		if ref.FailIfNotExists == nil || *ref.FailIfNotExists {
			fe.add("message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
		}
		return nil
	}
	return m
}

func (st *state) rememberNonce(key, id string, now time.Time, window time.Duration) {
	if len(st.nonces) > 1000 {
		for k, e := range st.nonces {
			if now.Sub(e.at) >= window {
				delete(st.nonces, k)
			}
		}
	}
	st.nonces[key] = nonceEntry{messageID: id, at: now}
}

// buildMessage makes a message from a request body; it is not stored yet.
func (st *state) buildMessage(ch *Channel, author User, b *messageBody, files []Attachment, now time.Time) *Message {
	m := &Message{
		ID: st.newID(now), ChannelID: ch.ID, Author: author, Timestamp: discordTime(now),
		TTS: b.TTS, Mentions: []User{}, MentionRoles: []string{}, Attachments: []Attachment{},
		Embeds: []Embed{}, Components: []json.RawMessage{},
	}
	st.applyBody(m, b, ch)
	for _, f := range files {
		f.ID = st.newID(now)
		f.URL = "https://cdn.discordapp.com/attachments/" + ch.ID + "/" + f.ID + "/" + f.Filename
		f.ProxyURL = f.URL
		m.Attachments = append(m.Attachments, f)
	}
	return m
}

// applyBody sets what a create or edit body says on m.
func (st *state) applyBody(m *Message, b *messageBody, ch *Channel) {
	if b.Content != nil {
		m.Content = *b.Content
		st.applyMentions(m, ch, b.AllowedMentions)
	}
	if b.Embeds != nil {
		m.Embeds = make([]Embed, len(*b.Embeds))
		for i, e := range *b.Embeds {
			if e.Type == "" {
				e.Type = "rich"
			}
			m.Embeds[i] = e
		}
	}
	if b.Components != nil {
		m.Components = numberComponents(*b.Components)
	}
	if b.Flags != nil {
		// Only the suppress flags change after creation; ephemeral is fixed.
		const mutable = FlagSuppressEmbeds | FlagSuppressNotifications
		m.Flags = m.Flags&^mutable | *b.Flags&mutable
	}
}

// postMessage stores a channel message, updates the channel and tells the
// gateway. Caller holds s.mu.
func (s *Server) postMessage(ch *Channel, m *Message) {
	st := s.st
	if isThread(ch.Type) {
		n, total := derefInt(ch.MessageCount), derefInt(ch.TotalMessageSent)
		m.Position = intPtr(total)
		ch.MessageCount, ch.TotalMessageSent = intPtr(n+1), intPtr(total+1)
	}
	ch.LastMessageID = m.ID
	st.messages[ch.ID] = append(st.messages[ch.ID], m)
	st.msgByID[m.ID] = m
	s.gw.dispatchMessage("MESSAGE_CREATE", ch, m)
}

func derefInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func intPtr(n int) *int { return &n }

// channelMessage finds a message in a channel, or 10008.
func (st *state) channelMessage(ch *Channel, id string) (*Message, error) {
	m := st.msgByID[id]
	if m == nil || m.ChannelID != ch.ID {
		return nil, errUnknownMessage()
	}
	return m, nil
}

func getMessage(c *call) (any, int, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	ch, err := c.s.st.channelFor(c.param("channel_id"), PermReadMessageHistory)
	if err != nil {
		return nil, 0, err
	}
	m, err := c.s.st.channelMessage(ch, c.param("message_id"))
	if err != nil {
		return nil, 0, err
	}
	return public(m), http.StatusOK, nil
}

// listMessages answers newest first, as Discord does; without
// READ_MESSAGE_HISTORY the list is empty.
func listMessages(c *call) (any, int, error) {
	limit := 50
	if v := c.query.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			var fe formErrors
			fe.add("limit", "NUMBER_TYPE_MAX", "int value should be between 1 and 100.")
			return nil, 0, fe.err()
		}
		limit = n
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	st := c.s.st
	ch, err := st.channelFor(c.param("channel_id"), 0)
	if err != nil {
		return nil, 0, err
	}
	out := []Message{}
	if st.permissions(st.guilds[ch.GuildID], st.bot.ID, ch)&PermReadMessageHistory == 0 {
		return out, http.StatusOK, nil
	}
	for _, m := range pageMessages(st.messages[ch.ID], c.query.Get("before"), c.query.Get("after"), c.query.Get("around"), limit) {
		out = append(out, public(m))
	}
	return out, http.StatusOK, nil
}

// pageMessages selects a page of msgs (oldest first) and returns it newest first.
func pageMessages(msgs []*Message, before, after, around string, limit int) []*Message {
	less := func(a, b string) bool { return len(a) < len(b) || len(a) == len(b) && a < b }
	var sel []*Message
	switch {
	case around != "":
		i := 0
		for i < len(msgs) && less(msgs[i].ID, around) {
			i++
		}
		lo := max(0, i-limit/2)
		sel = msgs[lo:min(len(msgs), lo+limit)]
	case after != "":
		for _, m := range msgs {
			if less(after, m.ID) && len(sel) < limit {
				sel = append(sel, m)
			}
		}
	default:
		for _, m := range msgs {
			if before == "" || less(m.ID, before) {
				sel = append(sel, m)
			}
		}
		sel = sel[max(0, len(sel)-limit):]
	}
	out := make([]*Message, len(sel))
	for i, m := range sel {
		out[len(sel)-1-i] = m
	}
	return out
}

func editMessage(c *call) (any, int, error) {
	var b messageBody
	if err := c.decode(&b); err != nil {
		return nil, 0, err
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, err := s.st.channelFor(c.param("channel_id"), 0)
	if err != nil {
		return nil, 0, err
	}
	m, err := s.st.channelMessage(ch, c.param("message_id"))
	if err != nil {
		return nil, 0, err
	}
	if m.Author.ID != s.st.bot.ID {
		return nil, 0, &apiError{Status: 403, Code: codeCannotEditOther, Message: "Cannot edit a message authored by another user"}
	}
	if err := s.openForEdit(ch, c.now); err != nil {
		return nil, 0, err
	}
	if err := s.editStored(ch, m, &b, editOpts{allowed: channelFlags, markEdited: true}, c.now); err != nil {
		return nil, 0, err
	}
	return public(m), http.StatusOK, nil
}

// editOpts say how an edit applies: the flags the body may carry, flags
// the edit clears (loading, when a deferred answer is filled) and whether
// it sets edited_timestamp (not when a deferred answer is first filled).
type editOpts struct {
	allowed, clear int
	markEdited     bool
}

// editStored validates and applies an edit to a stored message.
func (s *Server) editStored(ch *Channel, m *Message, b *messageBody, o editOpts, now time.Time) error {
	var fe formErrors
	validateMessage(b, &fe, "", o.allowed|m.Flags)
	if err := fe.err(); err != nil {
		return err
	}
	next := copyMessage(m)
	s.st.applyBody(&next, b, ch)
	if next.Content == "" && len(next.Embeds) == 0 && len(next.Components) == 0 && len(next.Attachments) == 0 {
		return errEmptyMessage()
	}
	if o.markEdited {
		ts := discordTime(now)
		next.EditedTimestamp = &ts
	}
	next.Flags &^= o.clear
	*m = next
	if m.Flags&FlagEphemeral == 0 {
		s.gw.dispatchMessage("MESSAGE_UPDATE", ch, m)
	}
	return nil
}

func deleteMessage(c *call) (any, int, error) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	ch, err := st.channelFor(c.param("channel_id"), 0)
	if err != nil {
		return nil, 0, err
	}
	m, err := st.channelMessage(ch, c.param("message_id"))
	if err != nil {
		return nil, 0, err
	}
	if m.Author.ID != st.bot.ID && st.permissions(st.guilds[ch.GuildID], st.bot.ID, ch)&PermManageMessages == 0 {
		return nil, 0, errMissingPermissions()
	}
	s.removeMessage(ch, m)
	return nil, http.StatusNoContent, nil
}

// removeMessage deletes a stored channel message. Caller holds s.mu.
func (s *Server) removeMessage(ch *Channel, m *Message) {
	st := s.st
	list := st.messages[ch.ID]
	for i, x := range list {
		if x == m {
			st.messages[ch.ID] = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	delete(st.msgByID, m.ID)
	s.gw.dispatch("MESSAGE_DELETE", map[string]string{"id": m.ID, "channel_id": ch.ID, "guild_id": ch.GuildID}, intentGuildMessages)
}

// Messages returns a channel's stored messages, oldest first, edits
// applied and without nonces (as a read from Discord would show them).
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Message{}
	for _, m := range s.st.messages[channelID] {
		out = append(out, public(m))
	}
	return out
}

// Message returns one stored message (channel or ephemeral) by id.
func (s *Server) Message(id string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.st.msgByID[id]
	if m == nil {
		m = s.st.ephemeral[id]
	}
	if m == nil {
		return Message{}, false
	}
	return public(m), true
}
