package emulator

import (
	"encoding/json"
	"strconv"
	"time"
)

// Channel types the emulator knows.
const (
	ChannelText               = 0
	ChannelCategory           = 4
	ChannelAnnouncement       = 5
	ChannelAnnouncementThread = 10
	ChannelPublicThread       = 11
	ChannelPrivateThread      = 12
	ChannelForum              = 15
	ChannelMedia              = 16
)

func isThread(t int) bool { return t == 10 || t == 11 || t == 12 }

// isForum reports a channel that holds posts (threads) rather than messages.
func isForum(t int) bool { return t == ChannelForum || t == ChannelMedia }

func canHoldThreads(t int) bool {
	return t == ChannelText || t == ChannelAnnouncement || isForum(t)
}

// Permission bits the emulator checks or seeds.
const (
	PermCreateInstantInvite    Permissions = 1 << 0
	PermAdministrator          Permissions = 1 << 3
	PermManageChannels         Permissions = 1 << 4
	PermManageGuild            Permissions = 1 << 5
	PermAddReactions           Permissions = 1 << 6
	PermViewChannel            Permissions = 1 << 10
	PermSendMessages           Permissions = 1 << 11
	PermManageMessages         Permissions = 1 << 13
	PermEmbedLinks             Permissions = 1 << 14
	PermAttachFiles            Permissions = 1 << 15
	PermReadMessageHistory     Permissions = 1 << 16
	PermMentionEveryone        Permissions = 1 << 17
	PermManageRoles            Permissions = 1 << 28
	PermManageWebhooks         Permissions = 1 << 29
	PermUseApplicationCommands Permissions = 1 << 31
	PermManageThreads          Permissions = 1 << 34
	PermCreatePublicThreads    Permissions = 1 << 35
	PermCreatePrivateThreads   Permissions = 1 << 36
	PermSendMessagesInThreads  Permissions = 1 << 38
	permAll                    Permissions = 1<<51 - 1
)

var permissionNames = map[string]Permissions{
	"CREATE_INSTANT_INVITE": PermCreateInstantInvite, "ADMINISTRATOR": PermAdministrator,
	"MANAGE_CHANNELS": PermManageChannels, "MANAGE_GUILD": PermManageGuild,
	"ADD_REACTIONS": PermAddReactions, "VIEW_CHANNEL": PermViewChannel,
	"SEND_MESSAGES": PermSendMessages, "MANAGE_MESSAGES": PermManageMessages,
	"EMBED_LINKS": PermEmbedLinks, "ATTACH_FILES": PermAttachFiles,
	"READ_MESSAGE_HISTORY": PermReadMessageHistory, "MENTION_EVERYONE": PermMentionEveryone,
	"MANAGE_ROLES": PermManageRoles, "MANAGE_WEBHOOKS": PermManageWebhooks, "USE_APPLICATION_COMMANDS": PermUseApplicationCommands,
	"MANAGE_THREADS": PermManageThreads, "CREATE_PUBLIC_THREADS": PermCreatePublicThreads,
	"CREATE_PRIVATE_THREADS": PermCreatePrivateThreads, "SEND_MESSAGES_IN_THREADS": PermSendMessagesInThreads,
}

type guild struct {
	id, name, ownerID string
	roles             []Role
	members           map[string]*member
	memberOrder       []string
	channels          []string
	joinedAt          string
}

type member struct {
	userID   string
	roles    []string
	joinedAt string
}

type nonceEntry struct {
	messageID string
	at        time.Time
}

// state is everything Discord would remember. Server.mu guards it; every
// method here assumes the lock is held.
type state struct {
	appID        string
	bot          User
	users        map[string]User
	guilds       map[string]*guild
	guildOrder   []string
	channels     map[string]*Channel
	channelOrder []string
	messages     map[string][]*Message // by channel, oldest first
	msgByID      map[string]*Message
	ephemeral    map[string]*Message
	nonces       map[string]nonceEntry
	commands     map[string][]*Command // "" holds global commands, else the guild id
	interactions map[string]*interaction
	tokens       map[string]*interaction
	webhooks     map[string]*webhook // channel webhooks by id
	lastID       uint64
}

func newState(seed Seed, now time.Time) *state {
	st := &state{
		appID:        seed.ApplicationID,
		users:        map[string]User{},
		guilds:       map[string]*guild{},
		channels:     map[string]*Channel{},
		messages:     map[string][]*Message{},
		msgByID:      map[string]*Message{},
		ephemeral:    map[string]*Message{},
		nonces:       map[string]nonceEntry{},
		commands:     map[string][]*Command{},
		interactions: map[string]*interaction{},
		tokens:       map[string]*interaction{},
		webhooks:     map[string]*webhook{},
	}
	st.bot = newUser(seed.Bot)
	st.bot.Bot = true
	st.users[st.bot.ID] = st.bot
	for _, u := range seed.Users {
		st.users[u.ID] = newUser(u)
	}
	joined := discordTime(now)
	for _, sg := range seed.Guilds {
		st.addGuild(sg, joined)
	}
	return st
}

func newUser(u SeedUser) User {
	name := u.Username
	return User{ID: u.ID, Username: u.Username, GlobalName: &name, Discriminator: "0", Bot: u.Bot}
}

func (st *state) addGuild(sg SeedGuild, joined string) {
	g := &guild{id: sg.ID, name: sg.Name, ownerID: sg.OwnerID, members: map[string]*member{}, joinedAt: joined}
	for i, r := range sg.Roles {
		g.roles = append(g.roles, Role{ID: r.ID, Name: r.Name, Permissions: r.Permissions.String(), Position: i})
	}
	add := func(userID string, roles []string) {
		if _, ok := g.members[userID]; ok {
			return
		}
		g.members[userID] = &member{userID: userID, roles: append([]string{}, roles...), joinedAt: joined}
		g.memberOrder = append(g.memberOrder, userID)
	}
	for _, m := range sg.Members {
		add(m.UserID, m.Roles)
	}
	add(st.bot.ID, nil)
	for i, sc := range sg.Channels {
		c := &Channel{ID: sc.ID, Type: sc.Type, GuildID: sg.ID, Name: sc.Name, Position: i, ParentID: sc.ParentID, Topic: sc.Topic,
			Flags: sc.Flags, AvailableTags: forumTags(sc.AvailableTags)}
		for _, o := range sc.Overwrites {
			c.PermissionOverwrites = append(c.PermissionOverwrites, Overwrite{ID: o.ID, Type: o.Type, Allow: o.Allow.String(), Deny: o.Deny.String()})
		}
		if isThread(sc.Type) {
			c.Position = 0
			c.OwnerID = st.bot.ID
			c.ThreadMetadata = &ThreadMetadata{AutoArchiveDuration: 1440, ArchiveTimestamp: joined}
			c.MessageCount, c.MemberCount, c.TotalMessageSent = new(int), new(int), new(int)
		}
		st.addChannel(c)
		g.channels = append(g.channels, c.ID)
	}
	st.guilds[g.id] = g
	st.guildOrder = append(st.guildOrder, g.id)
}

func (st *state) addChannel(c *Channel) {
	st.channels[c.ID] = c
	st.channelOrder = append(st.channelOrder, c.ID)
}

// newID returns a real snowflake for now, strictly greater than the last.
func (st *state) newID(now time.Time) string {
	const discordEpoch = 1420070400000
	id := uint64(now.UnixMilli()-discordEpoch)<<22 | 1<<17
	if id <= st.lastID {
		id = st.lastID + 1
	}
	st.lastID = id
	return strconv.FormatUint(id, 10)
}

// discordTime formats t the way Discord's API does.
func discordTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000+00:00")
}

func roleIndex(g *guild, id string) int {
	for i, r := range g.roles {
		if r.ID == id {
			return i
		}
	}
	return -1
}

func parsePerm(s string) Permissions {
	v, _ := strconv.ParseInt(s, 10, 64)
	return Permissions(v)
}

// basePermissions is what a member may do guild-wide, before overwrites.
func (st *state) basePermissions(g *guild, userID string) Permissions {
	if userID == g.ownerID {
		return permAll
	}
	var p Permissions
	if i := roleIndex(g, g.id); i >= 0 {
		p = parsePerm(g.roles[i].Permissions)
	}
	if m := g.members[userID]; m != nil {
		for _, r := range m.roles {
			if i := roleIndex(g, r); i >= 0 {
				p |= parsePerm(g.roles[i].Permissions)
			}
		}
	}
	if p&PermAdministrator != 0 {
		return permAll
	}
	return p
}

// permissions computes a member's permissions in a channel the way Discord
// does: base role permissions, then the @everyone overwrite, then role
// overwrites together, then the member's own overwrite. Threads use their
// parent's overwrites.
func (st *state) permissions(g *guild, userID string, c *Channel) Permissions {
	p := st.basePermissions(g, userID)
	if p == permAll || c == nil {
		return p
	}
	if isThread(c.Type) {
		if parent := st.channels[c.ParentID]; parent != nil {
			c = parent
		}
	}
	var roles []string
	if m := g.members[userID]; m != nil {
		roles = m.roles
	}
	apply := func(match func(o Overwrite) bool) {
		var allow, deny Permissions
		for _, o := range c.PermissionOverwrites {
			if match(o) {
				allow |= parsePerm(o.Allow)
				deny |= parsePerm(o.Deny)
			}
		}
		p = p&^deny | allow
	}
	apply(func(o Overwrite) bool { return o.Type == 0 && o.ID == g.id })
	apply(func(o Overwrite) bool { return o.Type == 0 && o.ID != g.id && contains(roles, o.ID) })
	apply(func(o Overwrite) bool { return o.Type == 1 && o.ID == userID })
	if p&PermViewChannel == 0 {
		return 0
	}
	return p
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// memberJSON is a guild member as Discord sends it.
func (st *state) memberJSON(g *guild, m *member, withUser bool, perms string) map[string]any {
	out := map[string]any{
		"roles": nonNil(m.roles), "joined_at": m.joinedAt, "deaf": false, "mute": false,
		"flags": 0, "pending": false, "nick": nil, "avatar": nil, "banner": nil, "premium_since": nil,
		"communication_disabled_until": nil,
	}
	if withUser {
		out["user"] = st.users[m.userID]
	}
	if perms != "" {
		out["permissions"] = perms
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// guildCreate is the GUILD_CREATE payload: the full guild with channels,
// active threads, roles and members.
func (st *state) guildCreate(g *guild) map[string]any {
	var channels, threads []Channel
	for _, id := range g.channels {
		c := *st.channels[id]
		if isThread(c.Type) {
			threads = append(threads, c)
			continue
		}
		c.GuildID = ""
		channels = append(channels, c)
	}
	members := make([]map[string]any, 0, len(g.memberOrder))
	for _, id := range g.memberOrder {
		members = append(members, st.memberJSON(g, g.members[id], true, ""))
	}
	full := guildObject(g)
	for k, v := range map[string]any{
		"joined_at": g.joinedAt, "large": false, "unavailable": false, "member_count": len(members),
		"channels": nonNilChannels(channels), "threads": nonNilChannels(threads), "members": members,
		"voice_states": []any{}, "presences": []any{}, "stage_instances": []any{},
		"guild_scheduled_events": []any{}, "soundboard_sounds": []any{},
	} {
		full[k] = v
	}
	return full
}

// guildObject is the guild as GET /guilds/{id} shows it: every field
// Discord always sends, most of them unset in the emulated world.
func guildObject(g *guild) map[string]any {
	return map[string]any{
		"id": g.id, "name": g.name, "owner_id": g.ownerID, "roles": g.roles,
		"icon": nil, "description": nil, "home_header": nil, "splash": nil, "discovery_splash": nil,
		"banner": nil, "features": []string{}, "emojis": []any{}, "stickers": []any{},
		"application_id": nil, "region": "deprecated", "afk_channel_id": nil, "afk_timeout": 300,
		"system_channel_id": nil, "system_channel_flags": 0, "widget_enabled": false, "widget_channel_id": nil,
		"verification_level": 0, "default_message_notifications": 1, "mfa_level": 0,
		"explicit_content_filter": 0, "max_presences": nil, "max_members": 500000,
		"max_stage_video_channel_users": 50, "max_video_channel_users": 25, "vanity_url_code": nil,
		"premium_tier": 0, "premium_subscription_count": 0, "preferred_locale": "en-US",
		"rules_channel_id": nil, "safety_alerts_channel_id": nil, "public_updates_channel_id": nil,
		"premium_progress_bar_enabled": false, "nsfw": false, "nsfw_level": 0, "incidents_data": nil,
	}
}

func nonNilChannels(c []Channel) []Channel {
	if c == nil {
		return []Channel{}
	}
	return c
}

// copyMessage returns a deep enough copy to hand out without the lock.
func copyMessage(m *Message) Message {
	c := *m
	c.Mentions = append([]User{}, m.Mentions...)
	c.MentionRoles = append([]string{}, m.MentionRoles...)
	c.Attachments = append([]Attachment{}, m.Attachments...)
	c.Embeds = append([]Embed{}, m.Embeds...)
	c.Components = append([]json.RawMessage{}, m.Components...)
	if m.Thread != nil {
		t := *m.Thread
		c.Thread = &t
	}
	if m.ReferencedMessage != nil {
		r := copyMessage(m.ReferencedMessage)
		r.ReferencedMessage = nil
		c.ReferencedMessage = &r
	}
	return c
}

// public is the message as a read returns it: without the nonce.
func public(m *Message) Message {
	c := copyMessage(m)
	c.Nonce = nil
	return c
}
