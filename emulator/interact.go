package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// InteractionRequest is what a user does in Discord: type a slash command,
// type into an autocompleting option, or click a button.
type InteractionRequest struct {
	Type        string   `json:"type,omitempty"`        // "command" (default), "autocomplete", "component" or "ping"
	GuildID     string   `json:"guild_id,omitempty"`    // default: the channel's guild, else the first guild
	ChannelID   string   `json:"channel_id,omitempty"`  // default: the message's channel, else the guild's first text channel
	UserID      string   `json:"user_id,omitempty"`     // default: the first seeded user
	Permissions Decimal  `json:"permissions,omitempty"` // the member's permissions, decimal; default: from roles and overwrites
	Command     string   `json:"command,omitempty"`     // "/quote story:1 author:ChrisW"
	Focused     string   `json:"focused,omitempty"`     // autocomplete: the option being typed
	MessageID   string   `json:"message_id,omitempty"`  // component: the message with the button
	CustomID    string   `json:"custom_id,omitempty"`   // component: the button's custom_id
	Values      []string `json:"values,omitempty"`      // component: a select menu's chosen values
	Followups   int      `json:"followups,omitempty"`   // also wait for this many followup messages
	TimeoutMS   int      `json:"timeout_ms,omitempty"`  // bound on waiting after the first callback (default Options.ResponseWait)
}

// Decimal is a number given in decimal, which JSON may write as "2048" (as
// Discord writes permission bit sets) or as 2048.
type Decimal string

func (d *Decimal) UnmarshalJSON(b []byte) error {
	var n json.Number
	if len(b) == 0 || b[0] != '"' {
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("want a decimal number or a string holding one, not %s", b)
		}
	} else if err := json.Unmarshal(b, (*string)(&n)); err != nil {
		return err
	}
	*d = Decimal(n)
	return nil
}

// InteractionResult is how the bot answered.
type InteractionResult struct {
	InteractionID string          `json:"interaction_id"`
	Token         string          `json:"token"`
	CallbackType  int             `json:"callback_type"`
	Callback      json.RawMessage `json:"callback"` // the callback body as the bot sent it
	Messages      []Message       `json:"messages"` // the original response, then followups
	ElapsedMS     int64           `json:"elapsed_ms"`
}

var (
	// ErrNoBot: nothing is connected to the gateway to receive the interaction.
	ErrNoBot = errors.New("no bot is connected to the gateway")
	// ErrTimeout: the bot did not answer (or finish answering) in time.
	ErrTimeout = errors.New("timed out waiting for the bot")
)

// Interact dispatches an interaction to the connected bot and waits for
// its answer: the first callback (within the interaction deadline), then
// for a deferred answer the @original edit, then any requested followups.
// Bad requests are *InputError; no bot is ErrNoBot; a late or missing
// answer wraps ErrTimeout.
func (s *Server) Interact(ctx context.Context, req InteractionRequest) (InteractionResult, error) {
	if s.InteractionsEndpoint() == "" && !s.gw.hasSession() {
		return InteractionResult{}, ErrNoBot
	}
	in, err := func() (*interaction, error) {
		s.mu.Lock()
		defer s.mu.Unlock() // even if building it panics: the server must go on
		return s.newInteraction(req, time.Now())
	}()
	if err != nil {
		return InteractionResult{}, err
	}
	wait := s.opts.ResponseWait
	if req.TimeoutMS > 0 {
		wait = time.Duration(req.TimeoutMS) * time.Millisecond
	}
	for {
		s.mu.Lock()
		done, err := in.progress(req.Followups, s.opts.InteractionDeadline)
		changed, acked, ackedAt := in.changed, in.acked, in.ackedAt
		if done {
			res := s.result(in)
			s.mu.Unlock()
			return res, nil
		}
		s.mu.Unlock()
		if err != nil {
			return InteractionResult{}, err
		}
		// Before the first callback the deadline timer wakes us; after it,
		// the bot has wait to finish (edit @original, send followups).
		timeout := make(<-chan time.Time)
		var timer *time.Timer
		if acked {
			timer = time.NewTimer(time.Until(ackedAt.Add(wait)))
			timeout = timer.C
		}
		select {
		case <-changed:
		case <-timeout:
			s.mu.Lock()
			err = in.stalled(req.Followups, wait)
			s.mu.Unlock()
		case <-ctx.Done():
			err = fmt.Errorf("waiting for the bot to answer interaction %s: %w", in.id, ctx.Err())
		}
		if timer != nil {
			timer.Stop()
		}
		if err != nil {
			return InteractionResult{}, err
		}
	}
}

// progress reports whether the answer is complete, or an error once the
// deadline passed without a callback. Caller holds s.mu.
func (in *interaction) progress(followups int, deadline time.Duration) (bool, error) {
	if in.endpointErr != nil {
		return false, in.endpointErr
	}
	if !in.acked {
		if in.isExpired {
			return false, fmt.Errorf("%w: the bot did not answer interaction %s within %v (Discord shows \"The application did not respond\")", ErrTimeout, in.id, deadline)
		}
		return false, nil
	}
	if in.deferred && !in.edited {
		return false, nil
	}
	return len(in.followups) >= followups, nil
}

// stalled explains what the bot still owed when the wait ran out.
func (in *interaction) stalled(followups int, wait time.Duration) error {
	if in.deferred && !in.edited {
		return fmt.Errorf("%w: the bot deferred interaction %s but did not edit @original within %v", ErrTimeout, in.id, wait)
	}
	return fmt.Errorf("%w: interaction %s got %d of %d followups within %v", ErrTimeout, in.id, len(in.followups), followups, wait)
}

func (s *Server) result(in *interaction) InteractionResult {
	res := InteractionResult{
		InteractionID: in.id, Token: in.token, CallbackType: in.callbackType,
		Callback: in.callback, Messages: []Message{}, ElapsedMS: time.Since(in.created).Milliseconds(),
	}
	for _, id := range append([]string{in.originalID}, in.followups...) {
		if m := s.st.findMessage(id); m != nil {
			res.Messages = append(res.Messages, public(m))
		}
	}
	return res
}

// newInteraction resolves the request against the state, registers the
// interaction with its deadline and dispatches INTERACTION_CREATE.
// Caller holds s.mu.
func (s *Server) newInteraction(req InteractionRequest, now time.Time) (*interaction, error) {
	st := s.st
	ctx, err := st.interactionContext(req)
	if err != nil {
		return nil, err
	}
	if err := s.noBotFor(ctx.g.id); err != nil {
		return nil, err
	}
	in := &interaction{
		id: st.newID(now), token: "emu." + randomHex(32), guildID: ctx.g.id, channelID: ctx.ch.ID, user: ctx.user,
		created: now, expired: make(chan struct{}), changed: make(chan struct{}),
	}
	var data any
	switch req.Type {
	case "", "command", "autocomplete":
		data, err = st.commandData(req, ctx, in)
	case "component":
		data, err = st.componentData(req, ctx, in)
	case "ping":
		in.typ = interactionPing
	default:
		err = inputErr("unknown interaction type %q (want command, autocomplete, component or ping)", req.Type)
	}
	if err != nil {
		return nil, err
	}
	st.interactions[in.id], st.tokens[in.token] = in, in
	in.timer = time.AfterFunc(s.opts.InteractionDeadline, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		in.expire()
	})
	payload := map[string]any{
		"id": in.id, "application_id": st.appID, "type": in.typ, "data": data,
		"guild_id": ctx.g.id, "channel_id": ctx.ch.ID, "channel": ctx.channelJSON(),
		"member": st.memberJSON(ctx.g, ctx.m, true, ctx.perms.String()), "token": in.token, "version": 1,
		"app_permissions": st.permissions(ctx.g, st.bot.ID, ctx.ch).String(), "locale": "en-US",
		"guild_locale": "en-US", "entitlements": []any{}, "context": 0,
		"authorizing_integration_owners": map[string]string{guildInstall: ctx.g.id},
	}
	if in.typ == interactionComponent {
		payload["message"] = public(st.findMessage(in.interactedID))
	}
	s.deliverInteraction(in, payload)
	return in, nil
}

// interactionContext is who acts where.
type interactionContext struct {
	g     *guild
	ch    *Channel
	user  User
	m     *member
	perms Permissions
}

func (ic *interactionContext) channelJSON() map[string]any {
	return channelWithPermissions(ic.ch, ic.perms)
}

// channelWithPermissions is a channel as interactions carry it: the whole
// channel, with what the member (or, in resolved, the bot) may do in it.
func channelWithPermissions(c *Channel, perms Permissions) map[string]any {
	var out map[string]any
	_ = json.Unmarshal(mustJSON(c), &out)
	out["permissions"] = perms.String()
	return out
}

func (st *state) interactionContext(req InteractionRequest) (*interactionContext, error) {
	ic := &interactionContext{}
	chID := req.ChannelID
	if chID == "" && req.MessageID != "" {
		if m := st.findMessage(req.MessageID); m != nil {
			chID = m.ChannelID
		}
	}
	if err := st.pickChannel(ic, req.GuildID, chID); err != nil {
		return nil, err
	}
	uid := req.UserID
	if uid == "" {
		for _, id := range ic.g.memberOrder {
			if id != st.bot.ID {
				uid = id
				break
			}
		}
	}
	u, ok := st.users[uid]
	if !ok {
		if len(uid) < 17 || len(uid) > 20 || !isSnowflake(uid) {
			return nil, inputErr("unknown user_id %q: give a seeded user's id or any snowflake (17-20 digits)", uid)
		}
		// Anyone may turn up in a server: an unseeded user joins the guild
		// as a plain member, with @everyone's permissions unless the
		// request gives their own.
		u = newUser(SeedUser{ID: uid, Username: "user" + uid[len(uid)-4:]})
		st.users[uid] = u
	}
	if ic.g.members[uid] == nil && uid != st.bot.ID {
		ic.g.members[uid] = &member{userID: uid, joinedAt: time.Now().UTC().Format(time.RFC3339)}
		ic.g.memberOrder = append(ic.g.memberOrder, uid)
	}
	ic.user, ic.m = u, ic.g.members[uid]
	ic.perms = st.permissions(ic.g, uid, ic.ch)
	if req.Permissions != "" {
		v, err := strconv.ParseInt(string(req.Permissions), 10, 64)
		if err != nil || v < 0 {
			return nil, inputErr("permissions %q: want a decimal bit set such as \"2147483648\"", req.Permissions)
		}
		ic.perms = Permissions(v)
	}
	return ic, nil
}

func (st *state) pickChannel(ic *interactionContext, guildID, channelID string) error {
	if channelID != "" {
		ic.ch = st.channels[channelID]
		if ic.ch == nil {
			return inputErr("unknown channel_id %q", channelID)
		}
		if guildID != "" && guildID != ic.ch.GuildID {
			return inputErr("channel %s is in guild %s, not guild_id %s", channelID, ic.ch.GuildID, guildID)
		}
		guildID = ic.ch.GuildID
	}
	if guildID == "" && len(st.guildOrder) > 0 {
		guildID = st.guildOrder[0]
	}
	ic.g = st.guilds[guildID]
	if ic.g == nil {
		return inputErr("unknown guild_id %q", guildID)
	}
	if ic.ch == nil {
		for _, id := range ic.g.channels {
			if c := st.channels[id]; c.Type == ChannelText {
				ic.ch = c
				break
			}
		}
		if ic.ch == nil {
			return inputErr("guild %s has no text channel; give channel_id", guildID)
		}
	}
	if isForum(ic.ch.Type) || ic.ch.Type == ChannelCategory {
		return inputErr("channel %s (#%s) is a forum or category: commands are used in text channels and threads", ic.ch.ID, ic.ch.Name)
	}
	return nil
}

// commandData parses the typed command line into APPLICATION_COMMAND (or
// autocomplete) data.
func (st *state) commandData(req InteractionRequest, ic *interactionContext, in *interaction) (any, error) {
	in.typ = interactionCommand
	if req.Type == "autocomplete" {
		in.typ = interactionAutocomplete
		if req.Focused == "" {
			return nil, inputErr("autocomplete needs \"focused\": the option being typed")
		}
	}
	cmds := append(append([]*Command{}, st.commands[ic.g.id]...), st.commands[""]...)
	p, err := parseCommandLine(req.Command, cmds, req.Focused)
	if err != nil {
		return nil, err
	}
	// default_member_permissions only hides a command in Discord's clients;
	// a server can grant it to anyone in its integration settings, so the
	// interaction is dispatched whatever the member's permissions, and a
	// bot must check them again itself - which is what this lets tests see.
	in.name = p.cmd.Name
	data := map[string]any{"id": p.cmd.ID, "name": p.cmd.Name, "type": p.cmd.Type}
	if len(p.options) > 0 {
		data["options"] = p.options
	}
	if p.cmd.GuildID != "" {
		data["guild_id"] = p.cmd.GuildID
	}
	resolved, err := st.resolve(p.refs, ic.g, ic.user.ID)
	if err != nil {
		return nil, err
	}
	if len(resolved) > 0 {
		data["resolved"] = resolved
	}
	return data, nil
}

// resolve fills data.resolved for the users, channels and roles options
// name; a channel carries what the invoking user may do in it.
func (st *state) resolve(refs []optionRef, g *guild, invoker string) (map[string]map[string]any, error) {
	out := map[string]map[string]any{}
	put := func(kind, id string, v any) {
		if out[kind] == nil {
			out[kind] = map[string]any{}
		}
		out[kind][id] = v
	}
	for _, r := range refs {
		u, isUser := st.users[r.id]
		ri := roleIndex(g, r.id)
		switch {
		case (r.kind == OptUser || r.kind == OptMentionable) && isUser:
			put("users", r.id, u)
			if m := g.members[r.id]; m != nil {
				mj := st.memberJSON(g, m, false, st.basePermissions(g, r.id).String())
				put("members", r.id, mj)
			}
		case (r.kind == OptRole || r.kind == OptMentionable) && ri >= 0:
			put("roles", r.id, g.roles[ri])
		case r.kind == OptChannel:
			c := st.channels[r.id]
			if c == nil || c.GuildID != g.id {
				return nil, inputErr("option %s: unknown channel %s in guild %s", r.option, r.id, g.id)
			}
			if len(r.channelTypes) > 0 && !containsInt(r.channelTypes, c.Type) {
				return nil, inputErr("option %s: channel %s has type %d, the option allows %v", r.option, r.id, c.Type, r.channelTypes)
			}
			put("channels", r.id, channelWithPermissions(c, st.permissions(g, invoker, c)))
		default:
			what := map[int]string{OptUser: "user", OptRole: "role", OptMentionable: "user or role"}[r.kind]
			return nil, inputErr("option %s: unknown %s %s", r.option, what, r.id)
		}
	}
	return out, nil
}

// componentData builds MESSAGE_COMPONENT data for a click on a button (or
// a choice in a select menu) of a message the bot sent.
func (st *state) componentData(req InteractionRequest, ic *interactionContext, in *interaction) (any, error) {
	in.typ = interactionComponent
	if req.MessageID == "" || req.CustomID == "" {
		return nil, inputErr("a component interaction needs message_id and custom_id")
	}
	m := st.findMessage(req.MessageID)
	if m == nil || m.ChannelID != ic.ch.ID {
		return nil, inputErr("unknown message_id %q in channel %s", req.MessageID, ic.ch.ID)
	}
	typ, disabled, ok := findComponent(m.Components, req.CustomID)
	switch {
	case !ok:
		return nil, inputErr("message %s has no component with custom_id %q", m.ID, req.CustomID)
	case disabled:
		return nil, inputErr("component %q of message %s is disabled", req.CustomID, m.ID)
	case isSelect(typ) && len(req.Values) == 0:
		return nil, inputErr("component %q is a select menu: give values", req.CustomID)
	}
	// Until the bot answers with a new message, @original is the message
	// the component belongs to: an update (type 6 or 7) edits it.
	in.originalID, in.interactedID = m.ID, m.ID
	data := map[string]any{"custom_id": req.CustomID, "component_type": typ}
	if isSelect(typ) {
		data["values"] = req.Values
	}
	if len(req.Values) > 0 && !isSelect(typ) {
		return nil, inputErr("component %q is a button: values are for select menus (%s)", req.CustomID, strings.Join(req.Values, ", "))
	}
	return data, nil
}
