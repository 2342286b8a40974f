package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// Command is a registered application command.
type Command struct {
	ID                       string            `json:"id"`
	ApplicationID            string            `json:"application_id"`
	GuildID                  string            `json:"guild_id,omitempty"`
	Version                  string            `json:"version"`
	Type                     int               `json:"type"`
	Name                     string            `json:"name"`
	NameLocalizations        map[string]string `json:"name_localizations,omitempty"`
	Description              string            `json:"description"`
	DescriptionLocalizations map[string]string `json:"description_localizations,omitempty"`
	Options                  []CommandOption   `json:"options,omitempty"`
	DefaultMemberPermissions *string           `json:"default_member_permissions"`
	DMPermission             *bool             `json:"dm_permission,omitempty"`
	Contexts                 []int             `json:"contexts,omitempty"`
	IntegrationTypes         []int             `json:"integration_types,omitempty"`
	NSFW                     bool              `json:"nsfw"`
}

// CommandOption is an option, subcommand or subcommand group.
type CommandOption struct {
	Type         int             `json:"type"`
	Name         string          `json:"name"`
	Description  string          `json:"description"`
	Required     bool            `json:"required,omitempty"`
	Choices      []CommandChoice `json:"choices,omitempty"`
	Options      []CommandOption `json:"options,omitempty"`
	ChannelTypes []int           `json:"channel_types,omitempty"`
	MinValue     *float64        `json:"min_value,omitempty"`
	MaxValue     *float64        `json:"max_value,omitempty"`
	MinLength    *int            `json:"min_length,omitempty"`
	MaxLength    *int            `json:"max_length,omitempty"`
	Autocomplete bool            `json:"autocomplete,omitempty"`
}

// CommandChoice is a fixed choice of an option.
type CommandChoice struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// Application command option types.
const (
	OptSubcommand      = 1
	OptSubcommandGroup = 2
	OptString          = 3
	OptInteger         = 4
	OptBoolean         = 5
	OptUser            = 6
	OptChannel         = 7
	OptRole            = 8
	OptMentionable     = 9
	OptNumber          = 10
	OptAttachment      = 11
)

// commandInput is a command as a request sends it; default_member_permissions
// may be a string (discordgo) or a number.
type commandInput struct {
	Command
	ID                       json.RawMessage `json:"id"`
	DefaultMemberPermissions json.RawMessage `json:"default_member_permissions"`
}

var commandName = regexp.MustCompile(`^[-_'\p{L}\p{N}]{1,32}$`)

// toCommand validates an input command; errors go under prefix.
func (in *commandInput) toCommand(fe *formErrors, prefix string) Command {
	c := in.Command
	if c.Type == 0 {
		c.Type = 1
	}
	c.DefaultMemberPermissions = nil
	if raw := strings.Trim(string(in.DefaultMemberPermissions), `"`); raw != "" && raw != "null" {
		if v, err := strconv.ParseInt(raw, 10, 64); err != nil || v < 0 {
			fe.add(join(prefix, "default_member_permissions"), "BASE_TYPE_BAD_TYPE", "Must be a permission bit set.")
		} else {
			c.DefaultMemberPermissions = &raw
		}
	}
	switch c.Type {
	case 1:
		checkName(fe, join(prefix, "name"), c.Name, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
		fe.between(join(prefix, "description"), runes(c.Description), 1, 100)
		checkOptions(fe, prefix, c.Options, 0)
	case 2, 3:
		fe.between(join(prefix, "name"), runes(c.Name), 1, 32)
		if c.Description != "" || len(c.Options) > 0 {
			fe.add(join(prefix, "description"), "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION", "Context menu commands cannot have a description or options.")
		}
	default:
		fe.add(join(prefix, "type"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3}.")
	}
	if n := commandSize(c); n > 8000 {
		fe.add(prefix, "APPLICATION_COMMAND_TOO_LARGE", fmt.Sprintf("Command exceeds maximum size (8000), got %d", n))
	}
	return c
}

func checkName(fe *formErrors, path, name, code, msg string) {
	if !commandName.MatchString(name) || strings.ToLower(name) != name {
		fe.add(path, code, msg)
	}
}

// checkOptions validates an options list at nesting depth (0 top level,
// 1 inside a group or subcommand, 2 inside a subcommand of a group).
func checkOptions(fe *formErrors, prefix string, opts []CommandOption, depth int) {
	p := join(prefix, "options")
	fe.maxLen(p, len(opts), maxOptions)
	names := map[string]bool{}
	subs, plain, optionalSeen := 0, 0, false
	for i, o := range opts {
		op := join(p, strconv.Itoa(i))
		checkName(fe, join(op, "name"), o.Name, "APPLICATION_COMMAND_OPTION_INVALID_NAME", "Option name is invalid")
		fe.between(join(op, "description"), runes(o.Description), 1, 100)
		if names[o.Name] {
			fe.add(join(op, "name"), "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique")
		}
		names[o.Name] = true
		switch o.Type {
		case OptSubcommand, OptSubcommandGroup:
			subs++
			checkSub(fe, op, o, depth)
		case OptString, OptInteger, OptBoolean, OptUser, OptChannel, OptRole, OptMentionable, OptNumber, OptAttachment:
			plain++
			if o.Required && optionalSeen {
				fe.add(join(op, "required"), "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options")
			}
			optionalSeen = optionalSeen || !o.Required
			checkValueOption(fe, op, o)
		default:
			fe.add(join(op, "type"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.")
		}
	}
	if subs > 0 && plain > 0 {
		fe.add(p, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Subcommands and subcommand groups cannot be mixed with other options")
	}
}

func checkSub(fe *formErrors, op string, o CommandOption, depth int) {
	switch {
	case o.Type == OptSubcommandGroup && depth > 0:
		fe.add(join(op, "type"), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Subcommand groups can only be nested at the top level")
	case o.Type == OptSubcommand && depth > 1:
		fe.add(join(op, "type"), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Subcommands cannot be nested this deep")
	case o.Type == OptSubcommandGroup:
		for j, sub := range o.Options {
			if sub.Type != OptSubcommand {
				fe.add(join(op, fmt.Sprintf("options.%d.type", j)), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Subcommand groups may only contain subcommands")
			}
		}
		checkOptions(fe, op, o.Options, depth+1)
	default:
		for j, sub := range o.Options {
			if sub.Type == OptSubcommand || sub.Type == OptSubcommandGroup {
				fe.add(join(op, fmt.Sprintf("options.%d.type", j)), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Subcommands cannot contain subcommands")
			}
		}
		checkOptions(fe, op, o.Options, depth+2)
	}
}

func checkValueOption(fe *formErrors, op string, o CommandOption) {
	fe.maxLen(join(op, "choices"), len(o.Choices), maxChoices)
	if len(o.Choices) > 0 && o.Autocomplete {
		fe.add(join(op, "autocomplete"), "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_CHOICES", "Autocomplete cannot be enabled with choices")
	}
	if len(o.Choices) > 0 && o.Type != OptString && o.Type != OptInteger && o.Type != OptNumber {
		fe.add(join(op, "choices"), "APPLICATION_COMMAND_OPTION_CHOICES_INVALID", "Only string, integer and number options may have choices")
	}
	if o.Autocomplete && o.Type != OptString && o.Type != OptInteger && o.Type != OptNumber {
		fe.add(join(op, "autocomplete"), "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID", "Only string, integer and number options may autocomplete")
	}
	for k, ch := range o.Choices {
		cp := join(op, fmt.Sprintf("choices.%d", k))
		fe.between(join(cp, "name"), runes(ch.Name), 1, 100)
		checkChoiceValue(fe, join(cp, "value"), o.Type, ch.Value)
	}
	if o.MinLength != nil && (*o.MinLength < 0 || *o.MinLength > 6000) {
		fe.add(join(op, "min_length"), "NUMBER_TYPE_MAX", "int value should be between 0 and 6000.")
	}
	if o.MaxLength != nil && (*o.MaxLength < 1 || *o.MaxLength > 6000) {
		fe.add(join(op, "max_length"), "NUMBER_TYPE_MAX", "int value should be between 1 and 6000.")
	}
}

func checkChoiceValue(fe *formErrors, path string, typ int, v any) {
	switch typ {
	case OptString:
		s, ok := v.(string)
		if !ok {
			fe.add(path, "BASE_TYPE_BAD_TYPE", "Choice value must be a string for a string option.")
			return
		}
		fe.between(path, runes(s), 1, 100)
	case OptInteger:
		f, ok := v.(float64)
		if !ok || f != float64(int64(f)) {
			fe.add(path, "BASE_TYPE_BAD_TYPE", "Choice value must be an integer for an integer option.")
		}
	case OptNumber:
		if _, ok := v.(float64); !ok {
			fe.add(path, "BASE_TYPE_BAD_TYPE", "Choice value must be a number for a number option.")
		}
	}
}

// commandSize is the characters Discord counts towards a command's size.
func commandSize(c Command) int {
	n := runes(c.Name) + runes(c.Description)
	var walk func(opts []CommandOption)
	walk = func(opts []CommandOption) {
		for _, o := range opts {
			n += runes(o.Name) + runes(o.Description)
			for _, ch := range o.Choices {
				n += runes(ch.Name) + runes(fmt.Sprint(ch.Value))
			}
			walk(o.Options)
		}
	}
	walk(c.Options)
	return n
}

// scope checks the application (and guild) of a command route and returns
// the key commands are stored under.
func (c *call) scope() (string, error) {
	if c.param("application_id") != c.s.st.appID {
		return "", &apiError{Status: 403, Code: 50001, Message: "Missing Access"}
	}
	if gid := c.param("guild_id"); gid != "" {
		if c.s.st.guilds[gid] == nil {
			return "", &apiError{Status: 403, Code: 50001, Message: "Missing Access"}
		}
		return gid, nil
	}
	return "", nil
}

// overwriteCommands is the bulk overwrite: the list replaces the scope's
// commands; a command whose name and type match an old one keeps its id.
func overwriteCommands(c *call) (any, int, error) {
	var in []commandInput
	if err := c.decode(&in); err != nil {
		return nil, 0, err
	}
	var fe formErrors
	cmds := make([]Command, len(in))
	seen := map[string]bool{}
	for i := range in {
		cmds[i] = in[i].toCommand(&fe, strconv.Itoa(i))
		key := fmt.Sprintf("%d/%s", cmds[i].Type, cmds[i].Name)
		if seen[key] {
			fe.add(strconv.Itoa(i)+".name", "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
		}
		seen[key] = true
	}
	if len(cmds) > 100 {
		fe.add("", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	scope, err := c.scope()
	if err != nil {
		return nil, 0, err
	}
	if err := fe.err(); err != nil {
		return nil, 0, err
	}
	old := c.s.st.commands[scope]
	stored := make([]*Command, len(cmds))
	for i := range cmds {
		stored[i] = c.s.st.register(cmds[i], scope, old, c)
	}
	c.s.st.commands[scope] = stored
	out := make([]Command, len(stored))
	for i, cmd := range stored {
		out[i] = *cmd
	}
	return out, http.StatusOK, nil
}

// register assigns ids to a validated command, keeping the id of an old
// command with the same type and name.
func (st *state) register(cmd Command, scope string, old []*Command, c *call) *Command {
	cmd.ID = ""
	for _, o := range old {
		if o.Type == cmd.Type && o.Name == cmd.Name {
			cmd.ID = o.ID
		}
	}
	if cmd.ID == "" {
		cmd.ID = st.newID(c.now)
	}
	cmd.ApplicationID, cmd.GuildID, cmd.Version = st.appID, scope, st.newID(c.now)
	return &cmd
}

func listCommands(c *call) (any, int, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	scope, err := c.scope()
	if err != nil {
		return nil, 0, err
	}
	out := []Command{}
	for _, cmd := range c.s.st.commands[scope] {
		out = append(out, *cmd)
	}
	return out, http.StatusOK, nil
}

func createCommand(c *call) (any, int, error) {
	var in commandInput
	if err := c.decode(&in); err != nil {
		return nil, 0, err
	}
	var fe formErrors
	cmd := in.toCommand(&fe, "")
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	scope, err := c.scope()
	if err != nil {
		return nil, 0, err
	}
	if err := fe.err(); err != nil {
		return nil, 0, err
	}
	st := c.s.st
	list := st.commands[scope]
	stored := st.register(cmd, scope, list, c)
	for i, o := range list {
		if o.ID == stored.ID {
			list[i] = stored
			return *stored, http.StatusOK, nil
		}
	}
	st.commands[scope] = append(list, stored)
	return *stored, http.StatusCreated, nil
}

func (c *call) findCommand() (string, int, error) {
	scope, err := c.scope()
	if err != nil {
		return "", 0, err
	}
	for i, cmd := range c.s.st.commands[scope] {
		if cmd.ID == c.param("command_id") {
			return scope, i, nil
		}
	}
	return "", 0, &apiError{Status: 404, Code: codeUnknownCommand, Message: "Unknown application command"}
}

func getCommand(c *call) (any, int, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	scope, i, err := c.findCommand()
	if err != nil {
		return nil, 0, err
	}
	return *c.s.st.commands[scope][i], http.StatusOK, nil
}

func editCommand(c *call) (any, int, error) {
	var in commandInput
	if err := c.decode(&in); err != nil {
		return nil, 0, err
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	scope, i, err := c.findCommand()
	if err != nil {
		return nil, 0, err
	}
	list := c.s.st.commands[scope]
	if in.Name == "" {
		in.Name = list[i].Name
	}
	if in.Type == 0 {
		in.Type = list[i].Type
	}
	var fe formErrors
	cmd := in.toCommand(&fe, "")
	if err := fe.err(); err != nil {
		return nil, 0, err
	}
	cmd.ID, cmd.ApplicationID, cmd.GuildID, cmd.Version = list[i].ID, list[i].ApplicationID, scope, c.s.st.newID(c.now)
	list[i] = &cmd
	return cmd, http.StatusOK, nil
}

func deleteCommand(c *call) (any, int, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	scope, i, err := c.findCommand()
	if err != nil {
		return nil, 0, err
	}
	list := c.s.st.commands[scope]
	c.s.st.commands[scope] = append(list[:i:i], list[i+1:]...)
	return nil, http.StatusNoContent, nil
}

// Commands returns the commands registered for a guild ("" for global).
func (s *Server) Commands(guildID string) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Command{}
	for _, c := range s.st.commands[guildID] {
		out = append(out, *c)
	}
	return out
}
