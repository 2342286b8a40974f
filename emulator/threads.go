package emulator

import (
	"net/http"
	"time"
)

type threadBody struct {
	Name                string       `json:"name"`
	AutoArchiveDuration *int         `json:"auto_archive_duration"`
	RateLimitPerUser    *int         `json:"rate_limit_per_user"`
	Type                *int         `json:"type"`
	AppliedTags         []string     `json:"applied_tags"`
	Message             *messageBody `json:"message"`

	owner string // who starts it, when not the bot (a webhook)
}

func validateThread(b *threadBody, fe *formErrors) {
	fe.between("name", runes(b.Name), 1, 100)
	if d := b.AutoArchiveDuration; d != nil && !validArchive(*d) {
		fe.add("auto_archive_duration", "BASE_TYPE_CHOICES", "Value must be one of {60, 1440, 4320, 10080}.")
	}
	if r := b.RateLimitPerUser; r != nil && (*r < 0 || *r > 21600) {
		fe.add("rate_limit_per_user", "NUMBER_TYPE_MAX", "int value should be between 0 and 21600.")
	}
}

func getChannel(c *call) (any, int, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	ch, err := c.s.st.channelFor(c.param("channel_id"), 0)
	if err != nil {
		return nil, 0, err
	}
	if isThread(ch.Type) {
		c.s.expireThread(ch, c.now)
	}
	return *ch, http.StatusOK, nil
}

// newThread makes a thread channel under parent with the given id.
func (s *Server) newThread(parent *Channel, id string, typ int, b *threadBody, now time.Time) *Channel {
	archive := 1440
	if b.AutoArchiveDuration != nil {
		archive = *b.AutoArchiveDuration
	}
	owner := s.st.bot.ID
	if b.owner != "" {
		owner = b.owner
	}
	t := &Channel{
		ID: id, Type: typ, GuildID: parent.GuildID, Name: b.Name, ParentID: parent.ID,
		OwnerID: owner, MessageCount: intPtr(0), MemberCount: intPtr(1), TotalMessageSent: intPtr(0),
		ThreadMetadata: &ThreadMetadata{AutoArchiveDuration: archive, ArchiveTimestamp: discordTime(now), CreateTimestamp: discordTime(now)},
	}
	if b.RateLimitPerUser != nil {
		t.RateLimitPerUser = *b.RateLimitPerUser
	}
	if isForum(parent.Type) {
		t.AppliedTags = append([]string{}, b.AppliedTags...)
	}
	s.st.addChannel(t)
	if g := s.st.guilds[parent.GuildID]; g != nil {
		g.channels = append(g.channels, t.ID)
	}
	s.gw.dispatch("THREAD_CREATE", struct {
		Channel
		NewlyCreated bool `json:"newly_created"`
	}{*t, true}, intentGuilds)
	return t
}

// startThreadFromMessage starts a public thread whose id is the message's,
// as Discord does.
func startThreadFromMessage(c *call) (any, int, error) {
	var b threadBody
	if err := c.decode(&b); err != nil {
		return nil, 0, err
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, err := s.st.channelFor(c.param("channel_id"), PermCreatePublicThreads)
	if err != nil {
		return nil, 0, err
	}
	if ch.Type != ChannelText && ch.Type != ChannelAnnouncement {
		return nil, 0, errWrongChannelType()
	}
	m, err := s.st.channelMessage(ch, c.param("message_id"))
	if err != nil {
		return nil, 0, err
	}
	var fe formErrors
	validateThread(&b, &fe)
	if err := fe.err(); err != nil {
		return nil, 0, err
	}
	if m.Thread != nil {
		return nil, 0, &apiError{Status: 400, Code: codeThreadExists, Message: "A thread has already been created for this message"}
	}
	typ := ChannelPublicThread
	if ch.Type == ChannelAnnouncement {
		typ = ChannelAnnouncementThread
	}
	t := s.newThread(ch, m.ID, typ, &b, c.now)
	tc := *t
	m.Thread = &tc
	m.Flags |= FlagHasThread
	return *t, http.StatusCreated, nil
}

// startThread creates a forum post (with its first message) or a thread
// without a starter message in a text or announcement channel.
func startThread(c *call) (any, int, error) {
	var b threadBody
	if err := c.decode(&b); err != nil {
		return nil, 0, err
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.st.channels[c.param("channel_id")]
	if ch == nil {
		return nil, 0, errUnknownChannel()
	}
	if isForum(ch.Type) {
		return s.startForumPost(c, ch, &b)
	}
	typ, need := ChannelPrivateThread, PermCreatePrivateThreads
	switch {
	case ch.Type == ChannelAnnouncement:
		typ, need = ChannelAnnouncementThread, PermCreatePublicThreads
	case b.Type != nil && *b.Type == ChannelPublicThread:
		typ, need = ChannelPublicThread, PermCreatePublicThreads
	case ch.Type != ChannelText:
		return nil, 0, errWrongChannelType()
	}
	if _, err := s.st.channelFor(ch.ID, need); err != nil {
		return nil, 0, err
	}
	var fe formErrors
	validateThread(&b, &fe)
	if err := fe.err(); err != nil {
		return nil, 0, err
	}
	t := s.newThread(ch, s.st.newID(c.now), typ, &b, c.now)
	return *t, http.StatusCreated, nil
}
