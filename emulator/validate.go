package emulator

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Discord's limits (DESIGN.md, "Discord facts"). The OpenAPI description
// is looser in places (4000 characters of content, no 6000 total); these win.
const (
	maxContent          = 2000
	maxEmbeds           = 10
	maxEmbedTitle       = 256
	maxEmbedDescription = 4096
	maxEmbedFields      = 25
	maxFieldName        = 256
	maxFieldValue       = 1024
	maxFooterText       = 2048
	maxAuthorName       = 256
	maxEmbedTotal       = 6000
	maxChoices          = 25
	maxOptions          = 25
	maxNonce            = 25
	maxActionRows       = 5
	maxRowChildren      = 5
	maxCustomID         = 100
	maxButtonLabel      = 80
)

// Flags a request may set: channel messages may suppress embeds and
// notifications; interaction answers may also be ephemeral.
const (
	channelFlags     = FlagSuppressEmbeds | FlagSuppressNotifications
	interactionFlags = FlagSuppressEmbeds | FlagSuppressNotifications | FlagEphemeral
)

func runes(s string) int { return utf8.RuneCountInString(s) }

// validateMessage checks a create or edit body against Discord's limits.
// allowedFlags is the set the route accepts.
func validateMessage(b *messageBody, fe *formErrors, prefix string, allowedFlags int) {
	if b.Content != nil {
		fe.maxLen(join(prefix, "content"), runes(*b.Content), maxContent)
	}
	if b.Embeds != nil {
		validateEmbeds(*b.Embeds, fe, prefix)
	}
	if b.Components != nil {
		validateComponents(*b.Components, fe, join(prefix, "components"))
	}
	if b.AllowedMentions != nil {
		validateAllowedMentions(b.AllowedMentions, fe, join(prefix, "allowed_mentions"))
	}
	if b.Flags != nil && *b.Flags&^allowedFlags != 0 {
		fe.add(join(prefix, "flags"), "MESSAGE_FLAGS_INVALID", fmt.Sprintf("Invalid flags %d: only %d may be set here.", *b.Flags, allowedFlags))
	}
	fe.maxLen(join(prefix, "sticker_ids"), len(b.StickerIDs), 3)
}

func validateEmbeds(embeds []Embed, fe *formErrors, prefix string) {
	fe.maxLen(join(prefix, "embeds"), len(embeds), maxEmbeds)
	total := 0
	for i, e := range embeds {
		p := join(prefix, fmt.Sprintf("embeds.%d", i))
		total += validateEmbed(e, fe, p)
	}
	if total > maxEmbedTotal {
		fe.add(join(prefix, "embeds"), "MAX_EMBED_SIZE_EXCEEDED", fmt.Sprintf("Embed size exceeds maximum size of %d", maxEmbedTotal))
	}
}

// validateEmbed checks one embed and returns the characters it counts
// towards the 6000 total.
func validateEmbed(e Embed, fe *formErrors, p string) int {
	n := 0
	count := func(path, s string, limit int) {
		fe.maxLen(join(p, path), runes(s), limit)
		n += runes(s)
	}
	count("title", e.Title, maxEmbedTitle)
	count("description", e.Description, maxEmbedDescription)
	fe.maxLen(join(p, "fields"), len(e.Fields), maxEmbedFields)
	for j, f := range e.Fields {
		fp := fmt.Sprintf("fields.%d.", j)
		if f.Name == "" {
			fe.add(join(p, fp+"name"), "BASE_TYPE_REQUIRED", "This field is required")
		}
		if f.Value == "" {
			fe.add(join(p, fp+"value"), "BASE_TYPE_REQUIRED", "This field is required")
		}
		count(fp+"name", f.Name, maxFieldName)
		count(fp+"value", f.Value, maxFieldValue)
	}
	if e.Footer != nil {
		count("footer.text", e.Footer.Text, maxFooterText)
	}
	if e.Author != nil {
		count("author.name", e.Author.Name, maxAuthorName)
	}
	if e.Color < 0 || e.Color > 0xFFFFFF {
		fe.add(join(p, "color"), "NUMBER_TYPE_MAX", "int value should be less than or equal to 16777215.")
	}
	if e.Timestamp != "" {
		if _, err := time.Parse(time.RFC3339, e.Timestamp); err != nil {
			fe.add(join(p, "timestamp"), "DATE_TYPE_PARSE", fmt.Sprintf("Could not parse %s. Should be ISO8601.", e.Timestamp))
		}
	}
	checkURL(fe, join(p, "url"), e.URL)
	for name, m := range map[string]*EmbedMedia{"image": e.Image, "thumbnail": e.Thumbnail} {
		if m != nil {
			checkURL(fe, join(p, name+".url"), m.URL)
		}
	}
	return n
}

// checkURL accepts empty, http(s) and attachment:// URLs, as Discord does.
func checkURL(fe *formErrors, path, raw string) {
	if raw == "" {
		return
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" && u.Scheme != "attachment" ||
		(u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "attachment") {
		fe.add(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.")
	}
}

func validateAllowedMentions(am *allowedMentions, fe *formErrors, p string) {
	if am.Parse != nil {
		for i, v := range *am.Parse {
			if v != "users" && v != "roles" && v != "everyone" {
				fe.add(join(p, fmt.Sprintf("parse.%d", i)), "BASE_TYPE_CHOICES", "Value must be one of {'users', 'roles', 'everyone'}.")
			}
			if v == "users" && len(am.Users) > 0 || v == "roles" && len(am.Roles) > 0 {
				fe.add(p, "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", fmt.Sprintf("parse:[%q] is mutually exclusive with %s.", v, v))
			}
		}
	}
	fe.maxLen(join(p, "users"), len(am.Users), 100)
	fe.maxLen(join(p, "roles"), len(am.Roles), 100)
}

// component is the part of a message component the emulator checks.
type component struct {
	Type       int               `json:"type"`
	Style      int               `json:"style"`
	CustomID   string            `json:"custom_id"`
	Label      string            `json:"label"`
	URL        string            `json:"url"`
	Disabled   bool              `json:"disabled"`
	Components []json.RawMessage `json:"components"`
	Options    []json.RawMessage `json:"options"`
}

func isSelect(t int) bool { return t == 3 || (t >= 5 && t <= 8) }

// validateComponents checks action rows of buttons and select menus.
func validateComponents(rows []json.RawMessage, fe *formErrors, p string) {
	fe.maxLen(p, len(rows), maxActionRows)
	seen := map[string]bool{}
	for i, raw := range rows {
		rp := join(p, fmt.Sprint(i))
		var row component
		if err := json.Unmarshal(raw, &row); err != nil || row.Type != 1 {
			fe.add(join(rp, "type"), "UNION_TYPE_CHOICES", "Value of field \"type\" must be one of (1,): only action rows may be top-level components.")
			continue
		}
		if len(row.Components) == 0 || len(row.Components) > maxRowChildren {
			fe.between(join(rp, "components"), len(row.Components), 1, maxRowChildren)
		}
		for j, craw := range row.Components {
			validateChild(craw, fe, join(rp, fmt.Sprintf("components.%d", j)), seen, len(row.Components))
		}
	}
}

func validateChild(raw json.RawMessage, fe *formErrors, p string, seen map[string]bool, siblings int) {
	var c component
	if err := json.Unmarshal(raw, &c); err != nil {
		fe.add(p, "BASE_TYPE_BAD_TYPE", "Invalid component.")
		return
	}
	switch {
	case c.Type == 2:
		validateButton(c, fe, p)
	case isSelect(c.Type):
		if siblings > 1 {
			fe.add(p, "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "A select menu must be alone in its action row.")
		}
		if c.CustomID == "" {
			fe.add(join(p, "custom_id"), "BASE_TYPE_REQUIRED", "This field is required")
		}
		if c.Type == 3 {
			fe.between(join(p, "options"), len(c.Options), 1, 25)
		}
	default:
		fe.add(join(p, "type"), "UNION_TYPE_CHOICES", fmt.Sprintf("Component type %d is not allowed in an action row.", c.Type))
	}
	fe.maxLen(join(p, "custom_id"), runes(c.CustomID), maxCustomID)
	if c.CustomID != "" {
		if seen[c.CustomID] {
			fe.add(join(p, "custom_id"), "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
		}
		seen[c.CustomID] = true
	}
}

func validateButton(c component, fe *formErrors, p string) {
	fe.maxLen(join(p, "label"), runes(c.Label), maxButtonLabel)
	switch {
	case c.Style < 1 || c.Style > 6:
		fe.add(join(p, "style"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6}.")
	case c.Style == 5:
		if c.URL == "" {
			fe.add(join(p, "url"), "BUTTON_COMPONENT_URL_REQUIRED", "A url is required")
		}
		if c.CustomID != "" {
			fe.add(join(p, "custom_id"), "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED", "A custom id cannot be used with a link button")
		}
		checkURL(fe, join(p, "url"), c.URL)
	case c.Style != 6 && c.CustomID == "":
		fe.add(join(p, "custom_id"), "BUTTON_COMPONENT_CUSTOM_ID_REQUIRED", "A custom id is required")
	}
}

// findComponent looks for a component with customID in a message's
// components and returns its type.
func findComponent(rows []json.RawMessage, customID string) (int, bool, bool) {
	for _, raw := range rows {
		var row component
		if json.Unmarshal(raw, &row) != nil {
			continue
		}
		for _, craw := range row.Components {
			var c component
			if json.Unmarshal(craw, &c) == nil && c.CustomID == customID {
				return c.Type, c.Disabled, true
			}
		}
	}
	return 0, false, false
}

// nonceKey validates a nonce (a string of at most 25 characters or an
// integer) and returns the key it is remembered by.
func nonceKey(raw json.RawMessage, fe *formErrors) string {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return ""
	}
	var str string
	if json.Unmarshal(raw, &str) == nil {
		fe.maxLen("nonce", runes(str), maxNonce)
		return "s:" + str
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		if _, err := n.Int64(); err == nil {
			return "i:" + n.String()
		}
	}
	fe.add("nonce", "BASE_TYPE_BAD_TYPE", "Nonce must be a string of at most 25 characters or an integer.")
	return ""
}
