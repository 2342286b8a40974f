package emulator

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Forum and media channels hold posts: threads that start with a message.
// Their tags are the channel's available_tags; a post applies up to five.

// ForumTag is one of a forum or media channel's tags.
type ForumTag struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Moderated bool    `json:"moderated"`
	EmojiID   *string `json:"emoji_id"`
	EmojiName *string `json:"emoji_name"`
}

// Discord's limits on tags.
const (
	maxAppliedTags   = 5
	maxAvailableTags = 20
	maxTagName       = 20
	// ChannelFlagRequireTag makes every post in a forum or media channel
	// apply at least one tag.
	ChannelFlagRequireTag = 1 << 4
)

func forumTags(seed []SeedTag) []ForumTag {
	var out []ForumTag
	for _, t := range seed {
		ft := ForumTag{ID: t.ID, Name: t.Name, Moderated: t.Moderated}
		if t.EmojiName != "" {
			e := t.EmojiName
			ft.EmojiName = &e
		}
		out = append(out, ft)
	}
	return out
}

// checkSeedTags checks a seed channel's tags: only forum and media
// channels have them, up to 20, each named (1–20 characters) once.
func checkSeedTags(c SeedChannel) error {
	if len(c.AvailableTags) == 0 {
		if c.Flags&ChannelFlagRequireTag != 0 && isForum(c.Type) {
			return fmt.Errorf("flags require a tag (16) but available_tags is empty")
		}
		return nil
	}
	if !isForum(c.Type) {
		return fmt.Errorf("available_tags: only forum (15) and media (16) channels have tags")
	}
	if len(c.AvailableTags) > maxAvailableTags {
		return fmt.Errorf("available_tags: %d tags; a channel has at most %d", len(c.AvailableTags), maxAvailableTags)
	}
	seen := map[string]bool{}
	for _, t := range c.AvailableTags {
		if n := runes(t.Name); n < 1 || n > maxTagName {
			return fmt.Errorf("tag %q: name must be 1-%d characters", t.Name, maxTagName)
		}
		if seen[strings.ToLower(t.Name)] {
			return fmt.Errorf("tag %q: listed twice", t.Name)
		}
		seen[strings.ToLower(t.Name)] = true
		if t.ID != "" {
			if err := checkID("tag id", t.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// numberTags gives tags without an id one derived from the channel's, so
// a seed's tags keep their ids across resets and runs.
func numberTags(c *SeedChannel) {
	base, _ := strconv.ParseUint(c.ID, 10, 64)
	for i := range c.AvailableTags {
		if c.AvailableTags[i].ID == "" {
			c.AvailableTags[i].ID = strconv.FormatUint(base+uint64(i+1)<<12, 10)
		}
	}
}

// checkAppliedTags checks the tags a post applies: at most five, each one
// of the forum's, moderated ones only with MANAGE_THREADS, and at least
// one when the forum requires it.
func (st *state) checkAppliedTags(forum *Channel, tags []string, fe *formErrors, path string) error {
	if len(tags) > maxAppliedTags {
		fe.add(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxAppliedTags))
		return nil
	}
	perms := st.permissions(st.guilds[forum.GuildID], st.bot.ID, forum)
	for i, id := range tags {
		tag := findTag(forum, id)
		if tag == nil {
			fe.add(fmt.Sprintf("%s.%d", path, i), "BASE_TYPE_CHOICES", "Value must be one of the channel's available tags.")
			continue
		}
		if tag.Moderated && perms&PermManageThreads == 0 {
			return errMissingPermissions()
		}
	}
	if len(tags) == 0 && forum.Flags&ChannelFlagRequireTag != 0 {
		return &apiError{Status: 400, Code: codeTagRequired, Message: "A tag is required to create a forum post in this channel"}
	}
	return nil
}

func findTag(forum *Channel, id string) *ForumTag {
	for i := range forum.AvailableTags {
		if forum.AvailableTags[i].ID == id {
			return &forum.AvailableTags[i]
		}
	}
	return nil
}

// startForumPost creates a post in a forum or media channel: a public
// thread and its first message, which share an id. It needs
// SEND_MESSAGES (CREATE_PUBLIC_THREADS does not count here).
func (s *Server) startForumPost(c *call, forum *Channel, b *threadBody) (any, int, error) {
	if _, err := s.st.channelFor(forum.ID, PermSendMessages); err != nil {
		return nil, 0, err
	}
	var fe formErrors
	validateThread(b, &fe)
	if b.Message == nil {
		fe.add("message", "BASE_TYPE_REQUIRED", "This field is required")
	} else {
		validateMessage(b.Message, &fe, "message", channelFlags)
	}
	if err := s.st.checkAppliedTags(forum, b.AppliedTags, &fe, "applied_tags"); err != nil {
		return nil, 0, err
	}
	if err := fe.err(); err != nil {
		return nil, 0, err
	}
	if b.Message.empty(len(c.files)) {
		return nil, 0, errEmptyMessage()
	}
	t, m := s.forumPost(forum, b, s.st.bot, nil, c.files, c.now)
	return struct {
		Channel
		Message Message `json:"message"`
	}{*t, copyMessage(m)}, http.StatusCreated, nil
}

// forumPost makes the thread and its first message by author, through
// hook when one posts it. Caller holds s.mu and has validated b.
func (s *Server) forumPost(forum *Channel, b *threadBody, author User, hook *webhook, files []Attachment, now time.Time) (*Channel, *Message) {
	id := s.st.newID(now)
	b.owner = author.ID
	t := s.newThread(forum, id, ChannelPublicThread, b, now)
	m := s.st.buildMessage(t, author, b.Message, files, now)
	m.ID = id
	if hook != nil {
		m.WebhookID, m.ApplicationID = hook.id, hook.appID
	}
	s.postMessage(t, m)
	return t, m
}
