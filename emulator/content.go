package emulator

import (
	"encoding/json"
	"regexp"
	"strconv"
)

// What Discord derives from a message's content: component ids and mentions.

// numberComponents gives every component without one a numeric id, in
// order, as Discord does when it stores a message.
func numberComponents(rows []json.RawMessage) []json.RawMessage {
	next := 1
	var walk func(raw json.RawMessage) json.RawMessage
	walk = func(raw json.RawMessage) json.RawMessage {
		var c map[string]json.RawMessage
		if json.Unmarshal(raw, &c) != nil || c == nil {
			return raw
		}
		if _, ok := c["id"]; !ok {
			c["id"] = json.RawMessage(strconv.Itoa(next))
		}
		next++
		var children []json.RawMessage
		if json.Unmarshal(c["components"], &children) == nil && children != nil {
			for i := range children {
				children[i] = walk(children[i])
			}
			c["components"] = mustJSON(children)
		}
		return mustJSON(c)
	}
	out := make([]json.RawMessage, len(rows))
	for i, r := range rows {
		out[i] = walk(r)
	}
	return out
}

var mentionRE = regexp.MustCompile(`<@!?(\d+)>|<@&(\d+)>|@everyone|@here`)

// applyMentions fills mentions from content as Discord does, honouring
// allowed_mentions (absent: everything may ping).
func (st *state) applyMentions(m *Message, ch *Channel, am *allowedMentions) {
	allow := func(kind string, list []string, id string) bool {
		if am == nil {
			return true
		}
		if am.Parse != nil && contains(*am.Parse, kind) {
			return true
		}
		return contains(list, id)
	}
	g := st.guilds[ch.GuildID]
	m.Mentions, m.MentionRoles, m.MentionEveryone = []User{}, []string{}, false
	for _, sm := range mentionRE.FindAllStringSubmatch(m.Content, -1) {
		switch {
		case sm[1] != "":
			if u, ok := st.users[sm[1]]; ok && allow("users", amUsers(am), u.ID) && !hasUser(m.Mentions, u.ID) {
				m.Mentions = append(m.Mentions, u)
			}
		case sm[2] != "":
			if g != nil && roleIndex(g, sm[2]) >= 0 && allow("roles", amRoles(am), sm[2]) && !contains(m.MentionRoles, sm[2]) {
				m.MentionRoles = append(m.MentionRoles, sm[2])
			}
		default:
			everyone := am == nil || am.Parse != nil && contains(*am.Parse, "everyone")
			if everyone && g != nil && st.permissions(g, m.Author.ID, ch)&PermMentionEveryone != 0 {
				m.MentionEveryone = true
			}
		}
	}
}

func amUsers(am *allowedMentions) []string {
	if am == nil {
		return nil
	}
	return am.Users
}

func amRoles(am *allowedMentions) []string {
	if am == nil {
		return nil
	}
	return am.Roles
}

func hasUser(list []User, id string) bool {
	for _, u := range list {
		if u.ID == id {
			return true
		}
	}
	return false
}

func (st *state) mentionRepliedUser(m, ref *Message, am *allowedMentions) {
	if (am == nil || am.RepliedUser) && !hasUser(m.Mentions, ref.Author.ID) {
		m.Mentions = append(m.Mentions, ref.Author)
	}
}
