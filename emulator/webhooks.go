package emulator

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"sort"
	"strings"
)

// Channel webhooks: a bot with MANAGE_WEBHOOKS creates one in a channel,
// and anyone holding its token posts through it under any name and avatar,
// and edits or deletes what it posted. Executes carry no nonce, so a
// client that must not post twice looks for its message instead. The execute and message routes are
// shared with interaction tokens (/webhooks/{application_id}/{token}); the
// application id tells them apart.

type webhook struct {
	id, token, channelID, guildID, name string
	avatar                              *string // hash
	creator                             User
	appID                               string
}

// Discord's limits on webhooks.
const (
	maxWebhooksPerChannel = 15
	maxWebhookName        = 80
	maxAvatarURL          = 2048
	intentGuildWebhooks   = 1 << 5
)

// AvatarHash is the avatar hash the emulator shows for an avatar URL (or
// image data): webhook messages carry it as author.avatar, so a test can
// tell which avatar_url a message was posted with.
func AvatarHash(url string) string {
	sum := sha256.Sum256([]byte(url))
	return hex.EncodeToString(sum[:16])
}

// object is the webhook as Discord describes it; the creating user is
// left out when asked with the token.
func (w *webhook) object(withUser bool) map[string]any {
	out := map[string]any{
		"id": w.id, "type": 1, "guild_id": w.guildID, "channel_id": w.channelID, "name": w.name,
		"avatar": w.avatar, "application_id": nil, "token": w.token,
	}
	if w.appID != "" {
		out["application_id"] = w.appID
	}
	if withUser {
		out["user"] = w.creator
	}
	return out
}

// author is who a message executed through w shows: the webhook, under
// the name and avatar the request chose.
func (w *webhook) author(username, avatarURL *string) User {
	u := User{ID: w.id, Username: w.name, Discriminator: "0000", Avatar: w.avatar, Bot: true}
	if username != nil && *username != "" {
		u.Username = *username
	}
	if avatarURL != nil && *avatarURL != "" {
		h := AvatarHash(*avatarURL)
		u.Avatar = &h
	}
	return u
}

// checkHookName applies Discord's rules for a webhook's name and a
// username override: 1-80 characters, and never "clyde" or "discord".
func checkHookName(fe *formErrors, path, name string) {
	fe.between(path, runes(name), 1, maxWebhookName)
	lower := strings.ToLower(name)
	for _, banned := range []string{"clyde", "discord"} {
		if strings.Contains(lower, banned) {
			fe.add(path, "USERNAME_INVALID_CONTAINS", `Username cannot contain "`+banned+`"`)
		}
	}
}

// checkImageData accepts Discord's image data: a data URI with base64
// PNG, JPEG, GIF or WebP.
func checkImageData(fe *formErrors, path, data string) {
	head, payload, ok := strings.Cut(data, ";base64,")
	kind, _ := strings.CutPrefix(head, "data:image/")
	switch {
	case !ok || !strings.HasPrefix(head, "data:image/"),
		kind != "png" && kind != "jpeg" && kind != "jpg" && kind != "gif" && kind != "webp":
		fe.add(path, "IMAGE_INVALID", "Invalid image data")
	default:
		if _, err := base64.StdEncoding.DecodeString(payload); err != nil {
			fe.add(path, "IMAGE_INVALID", "Invalid image data")
		}
	}
}

type webhookSettings struct {
	Name      *string `json:"name"`
	Avatar    *string `json:"avatar"`
	ChannelID *string `json:"channel_id"`
}

func (b *webhookSettings) check(fe *formErrors, create bool) {
	switch {
	case b.Name != nil:
		checkHookName(fe, "name", *b.Name)
	case create:
		fe.add("name", "BASE_TYPE_REQUIRED", "This field is required")
	}
	if b.Avatar != nil {
		checkImageData(fe, "avatar", *b.Avatar)
	}
}

func (b *webhookSettings) apply(w *webhook) {
	if b.Name != nil {
		w.name = *b.Name
	}
	if b.Avatar != nil {
		h := AvatarHash(*b.Avatar)
		w.avatar = &h
	}
}

// hookable are the channels a webhook may live in.
func hookable(t int) bool { return t == ChannelText || t == ChannelAnnouncement || isForum(t) }

func createWebhook(c *call) (any, int, error) {
	var b webhookSettings
	if err := c.decode(&b); err != nil {
		return nil, 0, err
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	ch, err := st.channelFor(c.param("channel_id"), PermManageWebhooks)
	if err != nil {
		return nil, 0, err
	}
	if !hookable(ch.Type) {
		return nil, 0, errWrongChannelType()
	}
	var fe formErrors
	b.check(&fe, true)
	if err := fe.err(); err != nil {
		return nil, 0, err
	}
	if len(st.channelWebhooks(ch.ID)) >= maxWebhooksPerChannel {
		return nil, 0, &apiError{Status: 400, Code: codeMaxWebhooks, Message: "Maximum number of webhooks reached (15)"}
	}
	w := &webhook{id: st.newID(c.now), token: randomHex(34), channelID: ch.ID, guildID: ch.GuildID,
		creator: st.bot, appID: st.appID}
	b.apply(w)
	st.webhooks[w.id] = w
	s.webhooksUpdated(ch)
	return w.object(true), http.StatusOK, nil
}

func (s *Server) webhooksUpdated(ch *Channel) {
	s.gw.dispatch("WEBHOOKS_UPDATE", map[string]string{"guild_id": ch.GuildID, "channel_id": ch.ID}, intentGuildWebhooks)
}

// channelWebhooks lists a channel's webhooks, oldest first.
func (st *state) channelWebhooks(channelID string) []*webhook {
	var out []*webhook
	for _, w := range st.webhooks {
		if channelID == "" || w.channelID == channelID {
			out = append(out, w)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].id, out[j].id
		return len(a) < len(b) || len(a) == len(b) && a < b
	})
	return out
}

func listChannelWebhooks(c *call) (any, int, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	ch, err := c.s.st.channelFor(c.param("channel_id"), PermManageWebhooks)
	if err != nil {
		return nil, 0, err
	}
	out := []map[string]any{}
	for _, w := range c.s.st.channelWebhooks(ch.ID) {
		out = append(out, w.object(true))
	}
	return out, http.StatusOK, nil
}

func listGuildWebhooks(c *call) (any, int, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	st := c.s.st
	g, err := c.guild()
	if err != nil {
		return nil, 0, err
	}
	if st.basePermissions(g, st.bot.ID)&PermManageWebhooks == 0 {
		return nil, 0, errMissingPermissions()
	}
	out := []map[string]any{}
	for _, w := range st.channelWebhooks("") {
		if w.guildID == g.id {
			out = append(out, w.object(true))
		}
	}
	return out, http.StatusOK, nil
}

// managedWebhook finds the webhook of a bot route, which needs
// MANAGE_WEBHOOKS in its channel.
func (c *call) managedWebhook() (*webhook, error) {
	w := c.s.st.webhooks[c.param("webhook_id")]
	if w == nil {
		return nil, errUnknownWebhook()
	}
	if _, err := c.s.st.channelFor(w.channelID, PermManageWebhooks); err != nil {
		return nil, err
	}
	return w, nil
}

// tokenWebhook finds the webhook of a token route: an unknown id is
// 10015, a wrong token 50027.
func (c *call) tokenWebhook() (*webhook, error) {
	w := c.s.st.webhooks[c.param("webhook_id")]
	if w == nil {
		return nil, errUnknownWebhook()
	}
	if c.param("webhook_token") != w.token {
		return nil, &apiError{Status: 401, Code: codeInvalidWebhookToken, Message: "Invalid Webhook Token"}
	}
	return w, nil
}

func getWebhook(c *call) (any, int, error) { return c.showWebhook(c.managedWebhook, true) }

func getWebhookWithToken(c *call) (any, int, error) { return c.showWebhook(c.tokenWebhook, false) }

func (c *call) showWebhook(find func() (*webhook, error), withUser bool) (any, int, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	w, err := find()
	if err != nil {
		return nil, 0, err
	}
	return w.object(withUser), http.StatusOK, nil
}

// editWebhook renames a webhook, changes its avatar, or moves it to
// another channel of the guild where the bot may manage webhooks too.
func editWebhook(c *call) (any, int, error) {
	return c.patchWebhook(c.managedWebhook, true)
}

func editWebhookWithToken(c *call) (any, int, error) {
	return c.patchWebhook(c.tokenWebhook, false)
}

func (c *call) patchWebhook(find func() (*webhook, error), withUser bool) (any, int, error) {
	var b webhookSettings
	if err := c.decode(&b); err != nil {
		return nil, 0, err
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	w, err := find()
	if err != nil {
		return nil, 0, err
	}
	var fe formErrors
	b.check(&fe, false)
	var move *Channel
	if b.ChannelID != nil && *b.ChannelID != w.channelID {
		if !withUser {
			fe.add("channel_id", "BASE_TYPE_BAD_TYPE", "A webhook is moved with the bot's token, not its own.")
		} else if move, err = s.st.channelFor(*b.ChannelID, PermManageWebhooks); err != nil {
			return nil, 0, err
		} else if move.GuildID != w.guildID || !hookable(move.Type) {
			fe.add("channel_id", "CHANNEL_INVALID", "Not a channel of this webhook's guild that takes webhooks.")
		}
	}
	if err := fe.err(); err != nil {
		return nil, 0, err
	}
	b.apply(w)
	if move != nil {
		w.channelID = move.ID
		s.webhooksUpdated(move)
	}
	s.webhooksUpdated(s.st.channels[w.channelID])
	return w.object(withUser), http.StatusOK, nil
}

func deleteWebhook(c *call) (any, int, error) { return c.removeWebhook(c.managedWebhook) }

func deleteWebhookWithToken(c *call) (any, int, error) { return c.removeWebhook(c.tokenWebhook) }

func (c *call) removeWebhook(find func() (*webhook, error)) (any, int, error) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	w, err := find()
	if err != nil {
		return nil, 0, err
	}
	delete(s.st.webhooks, w.id)
	if ch := s.st.channels[w.channelID]; ch != nil {
		s.webhooksUpdated(ch)
	}
	return nil, http.StatusNoContent, nil
}

// webhookBody is an execute request: a message, who it shows as, and in
// a forum or media channel the post it starts.
type webhookBody struct {
	messageBody
	Username    *string  `json:"username"`
	AvatarURL   *string  `json:"avatar_url"`
	ThreadName  *string  `json:"thread_name"`
	AppliedTags []string `json:"applied_tags"`
}

// isInteractionHook tells the interaction token routes from a channel
// webhook's: interactions answer under the application's id.
func (c *call) isInteractionHook() bool { return c.param("webhook_id") == c.s.seed.ApplicationID }

func executeAnyWebhook(c *call) (any, int, error) {
	if c.isInteractionHook() {
		return executeWebhook(c)
	}
	return executeChannelWebhook(c)
}

func getAnyWebhookMessage(c *call) (any, int, error) {
	if c.isInteractionHook() {
		return getWebhookMessage(c)
	}
	return c.withHookMessage(func(*Channel, *Message) (any, int, error) { return nil, 0, nil })
}

func editAnyWebhookMessage(c *call) (any, int, error) {
	if c.isInteractionHook() {
		return editWebhookMessage(c)
	}
	var b messageBody
	if err := c.decode(&b); err != nil {
		return nil, 0, err
	}
	return c.withHookMessage(func(ch *Channel, m *Message) (any, int, error) {
		if err := c.s.openForEdit(ch, c.now); err != nil {
			return nil, 0, err
		}
		return nil, 0, c.s.editStored(ch, m, &b, editOpts{allowed: channelFlags, markEdited: true}, c.now)
	})
}

func deleteAnyWebhookMessage(c *call) (any, int, error) {
	if c.isInteractionHook() {
		return deleteWebhookMessage(c)
	}
	return c.withHookMessage(func(ch *Channel, m *Message) (any, int, error) {
		c.s.removeMessage(ch, m)
		return nil, http.StatusNoContent, nil
	})
}

// withHookMessage finds a message the webhook posted and runs fn on it;
// fn's zero answer means "the message as it now is". A message in a
// thread is only found with that thread's thread_id, as on Discord.
func (c *call) withHookMessage(fn func(ch *Channel, m *Message) (any, int, error)) (any, int, error) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	w, err := c.tokenWebhook()
	if err != nil {
		return nil, 0, err
	}
	m := s.st.msgByID[c.param("message_id")]
	if m == nil || m.WebhookID != w.id {
		return nil, 0, errUnknownMessage()
	}
	ch := s.st.channels[m.ChannelID]
	if tid := c.query.Get("thread_id"); ch.ID != w.channelID && tid != ch.ID || ch.ID == w.channelID && tid != "" {
		return nil, 0, errUnknownMessage()
	}
	v, status, err := fn(ch, m)
	if err != nil || status != 0 {
		return v, status, err
	}
	return public(m), http.StatusOK, nil
}

// executeChannelWebhook posts through a channel webhook: into its channel,
// into one of the channel's threads (thread_id, unarchiving it), or as a
// new post of a forum or media channel (thread_name).
func executeChannelWebhook(c *call) (any, int, error) {
	var b webhookBody
	if err := c.decode(&b); err != nil {
		return nil, 0, err
	}
	wait, err := c.boolQuery("wait")
	if err != nil {
		return nil, 0, err
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	w, err := c.tokenWebhook()
	if err != nil {
		return nil, 0, err
	}
	ch := s.st.channels[w.channelID]
	if ch == nil {
		return nil, 0, errUnknownWebhook()
	}
	target, post, err := s.hookTarget(c, ch, &b)
	if err != nil {
		return nil, 0, err
	}
	author := w.author(b.Username, b.AvatarURL)
	var m *Message
	if post != nil {
		_, m = s.forumPost(ch, post, author, w, c.files, c.now)
	} else {
		if err := s.openForMessage(target, false, c.now); err != nil {
			return nil, 0, err
		}
		m = s.st.buildMessage(target, author, &b.messageBody, c.files, c.now)
		m.WebhookID, m.ApplicationID = w.id, w.appID
		s.postMessage(target, m)
	}
	if !wait {
		return nil, http.StatusNoContent, nil
	}
	return public(m), http.StatusOK, nil
}

// hookTarget validates an execute request and says where it posts: a
// channel or thread, or (post set) a new forum post.
func (s *Server) hookTarget(c *call, ch *Channel, b *webhookBody) (*Channel, *threadBody, error) {
	threadID := c.query.Get("thread_id")
	naming := b.ThreadName != nil && *b.ThreadName != ""
	switch {
	case isForum(ch.Type) && threadID == "" && !naming:
		return nil, nil, &apiError{Status: 400, Code: codeForumHookNeedsThread, Message: "Webhooks posted to forum channels must have a thread_name or thread_id"}
	case isForum(ch.Type) && threadID != "" && naming:
		return nil, nil, &apiError{Status: 400, Code: codeForumHookBoth, Message: "Webhooks posted to forum channels cannot have both a thread_name and thread_id"}
	case !isForum(ch.Type) && naming:
		return nil, nil, &apiError{Status: 400, Code: codeHookThreadNotForum, Message: "Webhooks can only create threads in forum channels"}
	}
	target := ch
	if threadID != "" {
		t := s.st.channels[threadID]
		if t == nil || !isThread(t.Type) || t.ParentID != ch.ID {
			return nil, nil, errUnknownChannel()
		}
		target = t
	}
	var fe formErrors
	validateMessage(&b.messageBody, &fe, "", channelFlags)
	if b.Username != nil {
		checkHookName(&fe, "username", *b.Username)
	}
	if b.AvatarURL != nil {
		fe.maxLen("avatar_url", runes(*b.AvatarURL), maxAvatarURL)
		checkURL(&fe, "avatar_url", *b.AvatarURL)
	}
	var post *threadBody
	if naming {
		fe.between("thread_name", runes(*b.ThreadName), 1, 100)
		if err := s.st.checkAppliedTags(ch, b.AppliedTags, &fe, "applied_tags"); err != nil {
			return nil, nil, err
		}
		post = &threadBody{Name: *b.ThreadName, AppliedTags: b.AppliedTags, Message: &b.messageBody}
	}
	if err := fe.err(); err != nil {
		return nil, nil, err
	}
	if b.empty(len(c.files)) {
		return nil, nil, errEmptyMessage()
	}
	return target, post, nil
}
