package web

import (
	"github.com/newsbot-dev/newsbot/emulator"
)

// stateView is the page's starting point: the first guild (the page
// shows one server, as the playground has), who can act in it, its
// channels and their recent messages.
type stateView struct {
	Bot      userView                 `json:"bot"`
	Guild    guildView                `json:"guild"`
	Members  []memberView             `json:"members"`
	Channels []channelView            `json:"channels"`
	Messages map[string][]messageView `json:"messages"`
}

type guildView struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// memberView is someone the page can act as; Permissions is a decimal
// bit set, compared with a command's default_member_permissions.
type memberView struct {
	userView
	Permissions string   `json:"permissions"`
	Roles       []string `json:"roles"` // role names, for the switch's label
	Owner       bool     `json:"owner,omitempty"`
}

func viewState(s emulator.Snapshot) stateView {
	v := stateView{Bot: viewUser(s.Bot), Members: []memberView{}, Channels: []channelView{}, Messages: map[string][]messageView{}}
	if len(s.Guilds) == 0 {
		return v
	}
	g := s.Guilds[0]
	v.Guild = guildView{ID: g.ID, Name: g.Name}
	roles := map[string]string{}
	for _, r := range g.Roles {
		roles[r.ID] = r.Name
	}
	for _, m := range g.Members {
		if m.User.ID == s.Bot.ID {
			continue
		}
		mv := memberView{userView: viewUser(m.User), Permissions: m.Permissions, Roles: []string{}, Owner: m.User.ID == g.OwnerID}
		for _, r := range m.Roles {
			if name, ok := roles[r]; ok {
				mv.Roles = append(mv.Roles, name)
			}
		}
		v.Members = append(v.Members, mv)
	}
	for _, c := range s.Channels {
		if c.GuildID != g.ID {
			continue
		}
		v.Channels = append(v.Channels, viewChannel(c))
		msgs := make([]messageView, 0, len(s.Messages[c.ID]))
		for _, m := range s.Messages[c.ID] {
			msgs = append(msgs, viewMessage(m))
		}
		v.Messages[c.ID] = msgs
	}
	return v
}

// commandView is one entry of the "/" list. Subcommands are entries of
// their own ("news latest"), as Discord's picker shows them.
type commandView struct {
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Options     []optionView `json:"options"`
	Permissions string       `json:"permissions,omitempty"` // default_member_permissions: who sees it
}

type optionView struct {
	Name         string       `json:"name"`
	Description  string       `json:"description"`
	Type         int          `json:"type"`
	Required     bool         `json:"required,omitempty"`
	Autocomplete bool         `json:"autocomplete,omitempty"`
	Choices      []choiceView `json:"choices,omitempty"`
}

type choiceView struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// viewCommands flattens the registered chat commands into the entries a
// member can pick, in registration order.
func viewCommands(cmds []emulator.Command) []commandView {
	out := []commandView{}
	var walk func(name, desc, perms string, opts []emulator.CommandOption)
	walk = func(name, desc, perms string, opts []emulator.CommandOption) {
		leaf := commandView{Name: name, Description: desc, Options: []optionView{}, Permissions: perms}
		for _, o := range opts {
			if o.Type == emulator.OptSubcommand || o.Type == emulator.OptSubcommandGroup {
				walk(name+" "+o.Name, o.Description, perms, o.Options)
				continue
			}
			ov := optionView{Name: o.Name, Description: o.Description, Type: o.Type, Required: o.Required, Autocomplete: o.Autocomplete}
			for _, c := range o.Choices {
				ov.Choices = append(ov.Choices, choiceView(c))
			}
			leaf.Options = append(leaf.Options, ov)
		}
		if len(leaf.Options) > 0 || !hasSubcommands(opts) {
			out = append(out, leaf)
		}
	}
	for _, c := range cmds {
		if c.Type != 1 {
			continue
		}
		perms := ""
		if c.DefaultMemberPermissions != nil {
			perms = *c.DefaultMemberPermissions
		}
		walk(c.Name, c.Description, perms, c.Options)
	}
	return out
}

func hasSubcommands(opts []emulator.CommandOption) bool {
	for _, o := range opts {
		if o.Type == emulator.OptSubcommand || o.Type == emulator.OptSubcommandGroup {
			return true
		}
	}
	return false
}
