package emulator

import (
	"net/http"
	"sort"
	"strconv"
	"time"
)

// Threads archive themselves after auto_archive_duration minutes without
// activity (a message, an unarchive, a new duration). Nothing but deleting
// happens in an archived thread: edits answer 50083, while a new message
// unarchives it - unless a moderator locked it (160005).

const discordEpochMS = 1420070400000

// snowflakeTime is when a snowflake was made.
func snowflakeTime(id string) time.Time {
	v, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.UnixMilli(int64(v>>22) + discordEpochMS)
}

// lastActive is a thread's latest activity.
func lastActive(t *Channel) time.Time {
	at, _ := time.Parse(time.RFC3339Nano, t.ThreadMetadata.ArchiveTimestamp)
	if m := snowflakeTime(t.LastMessageID); m.After(at) {
		at = m
	}
	return at
}

// expireThread archives t when it has been idle past its duration, as
// Discord's sweep would have by now. Caller holds s.mu.
func (s *Server) expireThread(t *Channel, now time.Time) {
	md := t.ThreadMetadata
	if md == nil || md.Archived {
		return
	}
	idle := time.Duration(md.AutoArchiveDuration) * time.Minute
	if at := lastActive(t); idle > 0 && !now.Before(at.Add(idle)) {
		md.Archived, md.ArchiveTimestamp = true, discordTime(at.Add(idle))
		s.threadUpdated(t)
	}
}

// openForMessage readies ch for a new message: an archived thread is
// unarchived, as sending does on Discord, unless it is locked and the
// sender may not manage threads.
func (s *Server) openForMessage(ch *Channel, manage bool, now time.Time) error {
	if !isThread(ch.Type) {
		return nil
	}
	s.expireThread(ch, now)
	md := ch.ThreadMetadata
	if !md.Archived {
		return nil
	}
	if md.Locked && !manage {
		return errThreadLocked()
	}
	md.Archived, md.ArchiveTimestamp = false, discordTime(now)
	s.threadUpdated(ch)
	return nil
}

// openForEdit refuses changes in an archived thread.
func (s *Server) openForEdit(ch *Channel, now time.Time) error {
	if !isThread(ch.Type) {
		return nil
	}
	s.expireThread(ch, now)
	if ch.ThreadMetadata.Archived {
		return errThreadArchived()
	}
	return nil
}

func (s *Server) threadUpdated(t *Channel) {
	s.gw.dispatch("THREAD_UPDATE", *t, intentGuilds)
}

// botManages reports whether the bot has MANAGE_THREADS in ch.
func (st *state) botManages(ch *Channel) bool {
	return st.permissions(st.guilds[ch.GuildID], st.bot.ID, ch)&PermManageThreads != 0
}

type channelPatch struct {
	Name                *string   `json:"name"`
	Topic               *string   `json:"topic"`
	Archived            *bool     `json:"archived"`
	Locked              *bool     `json:"locked"`
	AutoArchiveDuration *int      `json:"auto_archive_duration"`
	AppliedTags         *[]string `json:"applied_tags"`
}

// patchChannel edits a thread (name, archived, locked, auto-archive
// duration, a forum post's tags) or a guild channel (name, topic).
func patchChannel(c *call) (any, int, error) {
	var b channelPatch
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
	if !isThread(ch.Type) {
		return s.patchGuildChannel(ch, &b)
	}
	if err := s.patchThread(ch, &b, c.now); err != nil {
		return nil, 0, err
	}
	return *ch, http.StatusOK, nil
}

func (s *Server) patchGuildChannel(ch *Channel, b *channelPatch) (any, int, error) {
	if _, err := s.st.channelFor(ch.ID, PermManageChannels); err != nil {
		return nil, 0, err
	}
	var fe formErrors
	if b.Name != nil {
		fe.between("name", runes(*b.Name), 1, 100)
	}
	if b.Topic != nil {
		fe.maxLen("topic", runes(*b.Topic), 1024)
	}
	if b.Archived != nil || b.Locked != nil || b.AutoArchiveDuration != nil || b.AppliedTags != nil {
		return nil, 0, errWrongChannelType()
	}
	if err := fe.err(); err != nil {
		return nil, 0, err
	}
	if b.Name != nil {
		ch.Name = *b.Name
	}
	if b.Topic != nil {
		ch.Topic = *b.Topic
	}
	s.gw.dispatch("CHANNEL_UPDATE", *ch, intentGuilds)
	return *ch, http.StatusOK, nil
}

// patchThread applies Discord's rules: the thread's owner or a moderator
// may rename, (un)archive and set the duration; only a moderator may lock
// or unarchive a locked thread; an archived thread takes nothing but
// being unarchived.
func (s *Server) patchThread(t *Channel, b *channelPatch, now time.Time) error {
	st := s.st
	s.expireThread(t, now)
	manage := st.botManages(t)
	md := t.ThreadMetadata
	var fe formErrors
	if b.Name != nil {
		fe.between("name", runes(*b.Name), 1, 100)
	}
	if d := b.AutoArchiveDuration; d != nil && !validArchive(*d) {
		fe.add("auto_archive_duration", "BASE_TYPE_CHOICES", "Value must be one of {60, 1440, 4320, 10080}.")
	}
	parent := st.channels[t.ParentID]
	if b.AppliedTags != nil {
		if parent == nil || !isForum(parent.Type) {
			return errWrongChannelType()
		}
		if err := st.checkAppliedTags(parent, *b.AppliedTags, &fe, "applied_tags"); err != nil {
			return err
		}
	}
	if err := fe.err(); err != nil {
		return err
	}
	switch {
	case (b.Locked != nil || md.Locked && b.Archived != nil && !*b.Archived) && !manage:
		if b.Locked == nil {
			return errThreadLocked()
		}
		return errMissingPermissions()
	case t.OwnerID != st.bot.ID && !manage && (b.Name != nil || b.Archived != nil || b.AutoArchiveDuration != nil || b.AppliedTags != nil):
		return errMissingPermissions()
	case md.Archived && (b.Archived == nil || *b.Archived) && (b.Name != nil || b.AutoArchiveDuration != nil || b.AppliedTags != nil):
		return errThreadArchived()
	}
	if b.Name != nil {
		t.Name = *b.Name
	}
	if b.AppliedTags != nil {
		t.AppliedTags = append([]string{}, *b.AppliedTags...)
	}
	if b.Locked != nil {
		md.Locked = *b.Locked
	}
	if b.AutoArchiveDuration != nil && *b.AutoArchiveDuration != md.AutoArchiveDuration {
		md.AutoArchiveDuration, md.ArchiveTimestamp = *b.AutoArchiveDuration, discordTime(now)
	}
	if b.Archived != nil && *b.Archived != md.Archived {
		md.Archived, md.ArchiveTimestamp = *b.Archived, discordTime(now)
	}
	s.threadUpdated(t)
	return nil
}

func validArchive(d int) bool { return d == 60 || d == 1440 || d == 4320 || d == 10080 }

// threadList is Discord's answer to the thread listing routes.
type threadList struct {
	Threads []Channel `json:"threads"`
	Members []any     `json:"members"`
	HasMore bool      `json:"has_more"`
}

// listActiveThreads lists the guild's unarchived threads the bot can see.
func listActiveThreads(c *call) (any, int, error) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := c.guild()
	if err != nil {
		return nil, 0, err
	}
	out := threadList{Threads: []Channel{}, Members: []any{}}
	for _, id := range g.channels {
		t := s.st.channels[id]
		if !isThread(t.Type) || s.st.permissions(g, s.st.bot.ID, t)&PermViewChannel == 0 {
			continue
		}
		if s.expireThread(t, c.now); !t.ThreadMetadata.Archived {
			out.Threads = append(out.Threads, *t)
		}
	}
	return out, http.StatusOK, nil
}

// listArchivedThreads lists a channel's archived public threads, most
// recently archived first, before an optional ISO8601 timestamp.
func listArchivedThreads(c *call) (any, int, error) {
	limit := 50
	if v := c.query.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2 || n > 100 {
			var fe formErrors
			fe.add("limit", "NUMBER_TYPE_MAX", "int value should be between 2 and 100.")
			return nil, 0, fe.err()
		}
		limit = n
	}
	var before time.Time
	if v := c.query.Get("before"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			var fe formErrors
			fe.add("before", "DATE_TYPE_PARSE", "Could not parse "+v+". Should be ISO8601.")
			return nil, 0, fe.err()
		}
		before = t
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, err := s.st.channelFor(c.param("channel_id"), PermReadMessageHistory)
	if err != nil {
		return nil, 0, err
	}
	if !canHoldThreads(ch.Type) {
		return nil, 0, errWrongChannelType()
	}
	var found []*Channel
	for _, id := range s.st.guilds[ch.GuildID].channels {
		t := s.st.channels[id]
		if !isThread(t.Type) || t.Type == ChannelPrivateThread || t.ParentID != ch.ID {
			continue
		}
		s.expireThread(t, c.now)
		at, _ := time.Parse(time.RFC3339Nano, t.ThreadMetadata.ArchiveTimestamp)
		if t.ThreadMetadata.Archived && (before.IsZero() || at.Before(before)) {
			found = append(found, t)
		}
	}
	sort.SliceStable(found, func(i, j int) bool {
		return found[i].ThreadMetadata.ArchiveTimestamp > found[j].ThreadMetadata.ArchiveTimestamp
	})
	out := threadList{Threads: []Channel{}, Members: []any{}, HasMore: len(found) > limit}
	for _, t := range found[:min(limit, len(found))] {
		out.Threads = append(out.Threads, *t)
	}
	return out, http.StatusOK, nil
}
