package emulator

import (
	"encoding/json"
	"time"
)

// The types in this file are Discord's wire format as the emulator stores
// and serves it. They are exported so tests and the playground can assert on
// what the bot sent without decoding JSON by hand; their JSON is exactly what
// Discord (and so discordgo) expects.

// User is a Discord user object.
type User struct {
	ID            string    `json:"id"`
	Username      string    `json:"username"`
	GlobalName    *string   `json:"global_name"`
	Discriminator string    `json:"discriminator"`
	Avatar        *string   `json:"avatar"`
	Bot           bool      `json:"bot,omitempty"`
	PublicFlags   int       `json:"public_flags"`
	Flags         int       `json:"flags"`
	PrimaryGuild  *struct{} `json:"primary_guild"` // always null here
}

// Role is a guild role; Permissions is a decimal bit set, as Discord sends it.
type Role struct {
	ID           string     `json:"id"`
	Name         string     `json:"name"`
	Permissions  string     `json:"permissions"`
	Position     int        `json:"position"`
	Color        int        `json:"color"`
	Colors       RoleColors `json:"colors"`
	Hoist        bool       `json:"hoist"`
	Managed      bool       `json:"managed"`
	Mentionable  bool       `json:"mentionable"`
	Icon         *string    `json:"icon"`
	UnicodeEmoji *string    `json:"unicode_emoji"`
	Flags        int        `json:"flags"`
}

// RoleColors are a role's gradient colours; Discord sends them beside the
// older single color.
type RoleColors struct {
	Primary   int  `json:"primary_color"`
	Secondary *int `json:"secondary_color"`
	Tertiary  *int `json:"tertiary_color"`
}

// Overwrite is a channel permission overwrite: Type 0 targets a role, 1 a member.
type Overwrite struct {
	ID    string `json:"id"`
	Type  int    `json:"type"`
	Allow string `json:"allow"`
	Deny  string `json:"deny"`
}

// ThreadMetadata is the thread-only part of a channel.
type ThreadMetadata struct {
	Archived            bool   `json:"archived"`
	AutoArchiveDuration int    `json:"auto_archive_duration"`
	ArchiveTimestamp    string `json:"archive_timestamp"`
	Locked              bool   `json:"locked"`
	CreateTimestamp     string `json:"create_timestamp,omitempty"`
}

// Channel is a guild channel or thread.
type Channel struct {
	ID                   string          `json:"id"`
	Type                 int             `json:"type"`
	GuildID              string          `json:"guild_id,omitempty"`
	Name                 string          `json:"name"`
	Position             int             `json:"position"`
	ParentID             string          `json:"parent_id,omitempty"`
	Topic                string          `json:"topic,omitempty"`
	NSFW                 bool            `json:"nsfw"`
	LastMessageID        string          `json:"last_message_id,omitempty"`
	RateLimitPerUser     int             `json:"rate_limit_per_user"`
	Flags                int             `json:"flags"`
	PermissionOverwrites []Overwrite     `json:"permission_overwrites,omitempty"`
	OwnerID              string          `json:"owner_id,omitempty"`
	ThreadMetadata       *ThreadMetadata `json:"thread_metadata,omitempty"`
	MessageCount         *int            `json:"message_count,omitempty"`
	MemberCount          *int            `json:"member_count,omitempty"`
	TotalMessageSent     *int            `json:"total_message_sent,omitempty"`
	AvailableTags        []ForumTag      `json:"available_tags,omitempty"` // forum and media channels
	AppliedTags          []string        `json:"applied_tags,omitempty"`   // their threads
}

// Embed is a rich embed.
type Embed struct {
	Title       string         `json:"title,omitempty"`
	Type        string         `json:"type,omitempty"`
	Description string         `json:"description,omitempty"`
	URL         string         `json:"url,omitempty"`
	Timestamp   string         `json:"timestamp,omitempty"`
	Color       int            `json:"color,omitempty"`
	Footer      *EmbedFooter   `json:"footer,omitempty"`
	Image       *EmbedMedia    `json:"image,omitempty"`
	Thumbnail   *EmbedMedia    `json:"thumbnail,omitempty"`
	Video       *EmbedMedia    `json:"video,omitempty"`
	Provider    *EmbedProvider `json:"provider,omitempty"`
	Author      *EmbedAuthor   `json:"author,omitempty"`
	Fields      []EmbedField   `json:"fields,omitempty"`
}

// EmbedFooter is an embed's footer.
type EmbedFooter struct {
	Text    string `json:"text"`
	IconURL string `json:"icon_url,omitempty"`
}

// EmbedMedia is an embed's image, thumbnail or video.
type EmbedMedia struct {
	URL    string `json:"url"`
	Width  int    `json:"width,omitempty"`
	Height int    `json:"height,omitempty"`
}

// EmbedProvider names the site an embed came from.
type EmbedProvider struct {
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
}

// EmbedAuthor is an embed's author line.
type EmbedAuthor struct {
	Name    string `json:"name"`
	URL     string `json:"url,omitempty"`
	IconURL string `json:"icon_url,omitempty"`
}

// EmbedField is one name/value field of an embed.
type EmbedField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline"` // always sent by Discord
}

// MessageReference points a reply at the message it answers.
type MessageReference struct {
	Type            int    `json:"type"`
	MessageID       string `json:"message_id"`
	ChannelID       string `json:"channel_id,omitempty"`
	GuildID         string `json:"guild_id,omitempty"`
	FailIfNotExists *bool  `json:"fail_if_not_exists,omitempty"`
}

// Attachment is a file sent with a message (its bytes are not kept).
type Attachment struct {
	ID          string `json:"id"`
	Filename    string `json:"filename"`
	Size        int    `json:"size"`
	URL         string `json:"url"`
	ProxyURL    string `json:"proxy_url"`
	ContentType string `json:"content_type,omitempty"`
}

// InteractionMetadata tells which interaction produced a message.
type InteractionMetadata struct {
	ID   string `json:"id"`
	Type int    `json:"type"`
	User User   `json:"user"`
	// AuthorizingIntegrationOwners maps how the app was installed to who
	// installed it: {"0": guild id} for a guild install.
	AuthorizingIntegrationOwners map[string]string `json:"authorizing_integration_owners"`
	// OriginalResponseMessageID is set on followups only.
	OriginalResponseMessageID string `json:"original_response_message_id,omitempty"`
	// InteractedMessageID is the message whose component was used
	// (component interactions only).
	InteractedMessageID string `json:"interacted_message_id,omitempty"`
	Name                string `json:"name,omitempty"`
}

// Message is a channel message with edits applied.
//
// Nonce is only set on the response to the create request (and the
// MESSAGE_CREATE event), as in Discord: reading a message back never shows it.
type Message struct {
	ID                  string               `json:"id"`
	Type                int                  `json:"type"`
	ChannelID           string               `json:"channel_id"`
	Author              User                 `json:"author"`
	Content             string               `json:"content"`
	Timestamp           string               `json:"timestamp"`
	EditedTimestamp     *string              `json:"edited_timestamp"`
	TTS                 bool                 `json:"tts"`
	MentionEveryone     bool                 `json:"mention_everyone"`
	Mentions            []User               `json:"mentions"`
	MentionRoles        []string             `json:"mention_roles"`
	Attachments         []Attachment         `json:"attachments"`
	Embeds              []Embed              `json:"embeds"`
	Components          []json.RawMessage    `json:"components"`
	Pinned              bool                 `json:"pinned"`
	Flags               int                  `json:"flags"`
	Nonce               json.RawMessage      `json:"nonce,omitempty"`
	WebhookID           string               `json:"webhook_id,omitempty"`
	ApplicationID       string               `json:"application_id,omitempty"`
	MessageReference    *MessageReference    `json:"message_reference,omitempty"`
	ReferencedMessage   *Message             `json:"referenced_message,omitempty"`
	InteractionMetadata *InteractionMetadata `json:"interaction_metadata,omitempty"`
	Thread              *Channel             `json:"thread,omitempty"`
	Position            *int                 `json:"position,omitempty"`
}

// Message flags the emulator interprets.
const (
	FlagCrossposted           = 1 << 0
	FlagSuppressEmbeds        = 1 << 2
	FlagHasThread             = 1 << 5
	FlagEphemeral             = 1 << 6
	FlagLoading               = 1 << 7
	FlagSuppressNotifications = 1 << 12
)

// Request is one REST request the emulator received, for assertions.
type Request struct {
	Time   time.Time       `json:"time"`
	Method string          `json:"method"`
	Path   string          `json:"path"`            // as received, with the /api/vN prefix
	Query  string          `json:"query,omitempty"` // raw query string
	Route  string          `json:"route,omitempty"` // e.g. "POST /channels/{channel_id}/messages"
	Body   json.RawMessage `json:"body"`            // the JSON body (payload_json for multipart); null when empty
	Status int             `json:"status"`
	Code   int             `json:"code,omitempty"` // Discord error code of an error answer
}

// Fault is an injected failure; see Server.Inject for the kinds.
type Fault struct {
	Kind       string  `json:"kind"`                  // 429, 5xx, slow, drop_gateway, reconnect, invalid_session, stop_heartbeat_ack
	Count      int     `json:"count,omitempty"`       // REST faults and stop_heartbeat_ack: how many hits (default 1; stop_heartbeat_ack: 0 = until the connection closes)
	Path       string  `json:"path,omitempty"`        // REST faults: substring of the path after /api/vN (empty: every route)
	Method     string  `json:"method,omitempty"`      // REST faults: only this method (empty: any)
	RetryAfter float64 `json:"retry_after,omitempty"` // 429: seconds (default 1)
	Global     bool    `json:"global,omitempty"`      // 429: a global limit instead of the route's
	Status     int     `json:"status,omitempty"`      // 5xx: status (default 500)
	DelayMS    int     `json:"delay_ms,omitempty"`    // slow: delay before handling
	Resumable  bool    `json:"resumable,omitempty"`   // invalid_session: the d field of op 9
}
