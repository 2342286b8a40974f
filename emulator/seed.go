package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Seed is the world the emulator starts with: the bot, its application,
// users, and guilds with roles, channels, threads and members. It is read
// from YAML or JSON (LoadSeed) or built in Go; DefaultSeed is the world
// with no flags.
type Seed struct {
	ApplicationID string      `yaml:"application_id" json:"application_id"` // default: the bot's id
	Bot           SeedUser    `yaml:"bot" json:"bot"`
	Users         []SeedUser  `yaml:"users" json:"users"`
	Guilds        []SeedGuild `yaml:"guilds" json:"guilds"`
}

// SeedUser is a user; Bot marks bot accounts.
type SeedUser struct {
	ID       string `yaml:"id" json:"id"`
	Username string `yaml:"username" json:"username"`
	Bot      bool   `yaml:"bot" json:"bot"`
}

// SeedGuild is a guild. The @everyone role has the guild's id; when Roles
// lacks it, one is added with DefaultEveryone permissions. The bot is
// always a member.
type SeedGuild struct {
	ID       string        `yaml:"id" json:"id"`
	Name     string        `yaml:"name" json:"name"`
	OwnerID  string        `yaml:"owner_id" json:"owner_id"`
	Roles    []SeedRole    `yaml:"roles" json:"roles"`
	Channels []SeedChannel `yaml:"channels" json:"channels"`
	Members  []SeedMember  `yaml:"members" json:"members"`
}

// SeedRole is a guild role.
type SeedRole struct {
	ID          string      `yaml:"id" json:"id"`
	Name        string      `yaml:"name" json:"name"`
	Permissions Permissions `yaml:"permissions" json:"permissions"`
}

// SeedChannel is a channel (type 0 text, 4 category, 5 announcement,
// 15 forum, 16 media) or a thread (10, 11, 12) whose ParentID names its
// channel. Forum and media channels may have tags; Flags 16 (REQUIRE_TAG)
// makes every post name one.
type SeedChannel struct {
	ID            string          `yaml:"id" json:"id"`
	Name          string          `yaml:"name" json:"name"`
	Type          int             `yaml:"type" json:"type"`
	ParentID      string          `yaml:"parent_id" json:"parent_id"`
	Topic         string          `yaml:"topic" json:"topic"`
	Flags         int             `yaml:"flags" json:"flags"`
	AvailableTags []SeedTag       `yaml:"available_tags" json:"available_tags"`
	Overwrites    []SeedOverwrite `yaml:"permission_overwrites" json:"permission_overwrites"`
}

// SeedTag is a forum or media channel's tag; Moderated tags need
// MANAGE_THREADS to apply.
type SeedTag struct {
	ID        string `yaml:"id" json:"id"`
	Name      string `yaml:"name" json:"name"`
	Moderated bool   `yaml:"moderated" json:"moderated"`
	EmojiName string `yaml:"emoji_name" json:"emoji_name"`
}

// SeedOverwrite is a channel permission overwrite; Type 0 is a role, 1 a member.
type SeedOverwrite struct {
	ID    string      `yaml:"id" json:"id"`
	Type  int         `yaml:"type" json:"type"`
	Allow Permissions `yaml:"allow" json:"allow"`
	Deny  Permissions `yaml:"deny" json:"deny"`
}

// SeedMember gives a user membership and roles in a guild.
type SeedMember struct {
	UserID string   `yaml:"user_id" json:"user_id"`
	Roles  []string `yaml:"roles" json:"roles"`
}

// IDs of the default world.
const (
	DefaultApplicationID = "100000000000000099"
	DefaultBotID         = "100000000000000099"
	DefaultGuildID       = "100000000000000000"
	DefaultNewsChannel   = "100000000000000001"
	DefaultTechChannel   = "100000000000000002"
	DefaultForumChannel  = "100000000000000003"
	DefaultAnnounceChan  = "100000000000000004"
	DefaultAdminUserID   = "100000000000000010"
	DefaultMemberUserID  = "100000000000000011"
	defaultAdminRoleID   = "100000000000000020"
	defaultBotRoleID     = "100000000000000021"
)

// Tags of the default world's forum.
const (
	DefaultTagWorld    = "100000000000000030"
	DefaultTagPolitics = "100000000000000031"
	DefaultTagTech     = "100000000000000032"
	DefaultTagScience  = "100000000000000033"
	DefaultTagLocal    = "100000000000000034"
	DefaultTagStaff    = "100000000000000035" // moderated
)

// DefaultEveryone is what @everyone may do when a seed does not say:
// read, write, react, use commands and threads — but not manage anything.
const DefaultEveryone = PermViewChannel | PermSendMessages | PermEmbedLinks | PermAttachFiles |
	PermReadMessageHistory | PermAddReactions | PermUseApplicationCommands |
	PermCreatePublicThreads | PermSendMessagesInThreads

// DefaultSeed returns the world used when no seed is given: guild
// "Newsroom" with #news, #tech, a forum with tags and an announcement
// channel, an admin and a plain member, and the bot "newsbot".
func DefaultSeed() Seed {
	botPerms := DefaultEveryone | PermManageMessages | PermManageThreads | PermManageWebhooks
	return Seed{
		ApplicationID: DefaultApplicationID,
		Bot:           SeedUser{ID: DefaultBotID, Username: "newsbot", Bot: true},
		Users: []SeedUser{
			{ID: DefaultAdminUserID, Username: "admin"},
			{ID: DefaultMemberUserID, Username: "member"},
		},
		Guilds: []SeedGuild{{
			ID: DefaultGuildID, Name: "Newsroom", OwnerID: DefaultAdminUserID,
			Roles: []SeedRole{
				{ID: DefaultGuildID, Name: "@everyone", Permissions: DefaultEveryone},
				{ID: defaultAdminRoleID, Name: "Admin", Permissions: PermAdministrator | PermManageGuild},
				{ID: defaultBotRoleID, Name: "newsbot", Permissions: botPerms},
			},
			Channels: []SeedChannel{
				{ID: DefaultNewsChannel, Name: "news", Type: ChannelText},
				{ID: DefaultTechChannel, Name: "tech", Type: ChannelText},
				{ID: DefaultForumChannel, Name: "discussions", Type: ChannelForum, AvailableTags: []SeedTag{
					{ID: DefaultTagWorld, Name: "world"}, {ID: DefaultTagPolitics, Name: "politics"},
					{ID: DefaultTagTech, Name: "tech"}, {ID: DefaultTagScience, Name: "science"},
					{ID: DefaultTagLocal, Name: "local"}, {ID: DefaultTagStaff, Name: "staff", Moderated: true},
				}},
				{ID: DefaultAnnounceChan, Name: "announcements", Type: ChannelAnnouncement},
			},
			Members: []SeedMember{
				{UserID: DefaultBotID, Roles: []string{defaultBotRoleID}},
				{UserID: DefaultAdminUserID, Roles: []string{defaultAdminRoleID}},
				{UserID: DefaultMemberUserID},
			},
		}},
	}
}

// LoadSeed reads a seed from a YAML or JSON file.
func LoadSeed(path string) (Seed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Seed{}, fmt.Errorf("read seed: %w", err)
	}
	s, err := ParseSeed(data)
	if err != nil {
		return Seed{}, fmt.Errorf("seed %s: %w", path, err)
	}
	return s, nil
}

// ParseSeed decodes a seed from YAML or JSON (JSON is YAML) and checks it.
// Unknown keys are errors, so a typo does not silently drop a channel.
func ParseSeed(data []byte) (Seed, error) {
	var s Seed
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		if errors.Is(err, io.EOF) {
			return Seed{}, errors.New("empty seed")
		}
		return Seed{}, err
	}
	if err := s.check(); err != nil {
		return Seed{}, err
	}
	return s, nil
}

// check validates references inside the seed and fills defaults.
func (s *Seed) check() error {
	if err := checkID("bot id", s.Bot.ID); err != nil {
		return err
	}
	if s.Bot.Username == "" {
		return fmt.Errorf("bot %s: username is empty", s.Bot.ID)
	}
	if s.ApplicationID == "" {
		s.ApplicationID = s.Bot.ID
	} else if err := checkID("application_id", s.ApplicationID); err != nil {
		return err
	}
	users := map[string]bool{s.Bot.ID: true}
	for _, u := range s.Users {
		if err := checkID("user id", u.ID); err != nil {
			return err
		}
		if u.Username == "" {
			return fmt.Errorf("user %s: username is empty", u.ID)
		}
		if users[u.ID] {
			return fmt.Errorf("user %s: listed twice", u.ID)
		}
		users[u.ID] = true
	}
	channels := map[string]bool{}
	for i := range s.Guilds {
		if err := s.Guilds[i].check(users, channels); err != nil {
			return fmt.Errorf("guild %s: %w", s.Guilds[i].ID, err)
		}
	}
	return nil
}

func (g *SeedGuild) check(users, allChannels map[string]bool) error {
	if err := checkID("guild id", g.ID); err != nil {
		return err
	}
	if g.Name == "" {
		return errors.New("name is empty")
	}
	if g.OwnerID != "" && !users[g.OwnerID] {
		return fmt.Errorf("owner_id %s is not a known user", g.OwnerID)
	}
	roles := map[string]bool{}
	for _, r := range g.Roles {
		if err := checkID("role id", r.ID); err != nil {
			return err
		}
		if roles[r.ID] {
			return fmt.Errorf("role %s: listed twice", r.ID)
		}
		roles[r.ID] = true
	}
	if !roles[g.ID] {
		g.Roles = append([]SeedRole{{ID: g.ID, Name: "@everyone", Permissions: DefaultEveryone}}, g.Roles...)
		roles[g.ID] = true
	}
	if err := g.checkChannels(users, roles, allChannels); err != nil {
		return err
	}
	return g.checkMembers(users, roles)
}

func (g *SeedGuild) checkChannels(users, roles, allChannels map[string]bool) error {
	types := map[string]int{}
	for _, c := range g.Channels {
		if err := checkID("channel id", c.ID); err != nil {
			return err
		}
		if allChannels[c.ID] {
			return fmt.Errorf("channel %s: listed twice", c.ID)
		}
		allChannels[c.ID] = true
		types[c.ID] = c.Type
	}
	for i, c := range g.Channels {
		if err := checkSeedChannel(c, types, users, roles); err != nil {
			return fmt.Errorf("channel %s (#%s): %w", c.ID, c.Name, err)
		}
		numberTags(&g.Channels[i])
	}
	return nil
}

func checkSeedChannel(c SeedChannel, types map[string]int, users, roles map[string]bool) error {
	if c.Name == "" {
		return errors.New("name is empty")
	}
	parentType, hasParent := types[c.ParentID]
	switch {
	case isThread(c.Type):
		if !hasParent || !canHoldThreads(parentType) {
			return fmt.Errorf("thread needs parent_id naming a text, announcement or forum channel of this guild (got %q)", c.ParentID)
		}
		if len(c.Overwrites) > 0 {
			return errors.New("threads take their parent's permission overwrites; remove permission_overwrites")
		}
	case c.Type == ChannelText, c.Type == ChannelAnnouncement, isForum(c.Type), c.Type == ChannelCategory:
		if c.ParentID != "" && (!hasParent || parentType != ChannelCategory) {
			return fmt.Errorf("parent_id %s is not a category of this guild", c.ParentID)
		}
	default:
		return fmt.Errorf("type %d is not supported (0 text, 4 category, 5 announcement, 10/11/12 thread, 15 forum, 16 media)", c.Type)
	}
	if err := checkSeedTags(c); err != nil {
		return err
	}
	for _, o := range c.Overwrites {
		switch {
		case o.Type == 0 && !roles[o.ID]:
			return fmt.Errorf("overwrite for role %s: no such role", o.ID)
		case o.Type == 1 && !users[o.ID]:
			return fmt.Errorf("overwrite for member %s: no such user", o.ID)
		case o.Type != 0 && o.Type != 1:
			return fmt.Errorf("overwrite %s: type %d is neither 0 (role) nor 1 (member)", o.ID, o.Type)
		}
	}
	return nil
}

func (g *SeedGuild) checkMembers(users, roles map[string]bool) error {
	seen := map[string]bool{}
	for _, m := range g.Members {
		if !users[m.UserID] {
			return fmt.Errorf("member %s: not a known user", m.UserID)
		}
		if seen[m.UserID] {
			return fmt.Errorf("member %s: listed twice", m.UserID)
		}
		seen[m.UserID] = true
		for _, r := range m.Roles {
			if !roles[r] {
				return fmt.Errorf("member %s: role %s is not a role of this guild", m.UserID, r)
			}
		}
	}
	return nil
}

func checkID(what, id string) error {
	if !isSnowflake(id) {
		return fmt.Errorf("%s %q is not a snowflake (decimal digits)", what, id)
	}
	return nil
}

func isSnowflake(id string) bool {
	if id == "" || len(id) > 20 || (len(id) > 1 && id[0] == '0') {
		return false
	}
	_, err := strconv.ParseUint(id, 10, 64)
	return err == nil
}

// Permissions is a permission bit set. In a seed it may be written as a
// number, a decimal string, or a list of names such as [VIEW_CHANNEL,
// SEND_MESSAGES].
type Permissions int64

// String is the decimal form Discord uses on the wire.
func (p Permissions) String() string { return strconv.FormatInt(int64(p), 10) }

// UnmarshalYAML accepts a number, a decimal string or a list of names.
func (p *Permissions) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.SequenceNode {
		var names []string
		if err := n.Decode(&names); err != nil {
			return err
		}
		v, err := permissionsFromNames(names)
		if err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		*p = v
		return nil
	}
	v, err := strconv.ParseInt(strings.TrimSpace(n.Value), 10, 64)
	if err != nil || v < 0 {
		return fmt.Errorf("line %d: permissions %q: want a non-negative number or a list of names", n.Line, n.Value)
	}
	*p = Permissions(v)
	return nil
}

// UnmarshalJSON accepts a number, a decimal string or a list of names.
func (p *Permissions) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err == nil {
		v, err := permissionsFromNames(names)
		*p = v
		return err
	}
	s := strings.Trim(string(b), `"`)
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		return fmt.Errorf("permissions %s: want a non-negative number or a list of names", b)
	}
	*p = Permissions(v)
	return nil
}

func permissionsFromNames(names []string) (Permissions, error) {
	var v Permissions
	for _, n := range names {
		bit, ok := permissionNames[strings.ToUpper(strings.TrimSpace(n))]
		if !ok {
			known := make([]string, 0, len(permissionNames))
			for k := range permissionNames {
				known = append(known, k)
			}
			sort.Strings(known)
			return 0, fmt.Errorf("unknown permission %q (known: %s)", n, strings.Join(known, ", "))
		}
		v |= bit
	}
	return v, nil
}
