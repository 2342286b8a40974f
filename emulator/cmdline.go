package emulator

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// InputError is a bad request to the control API or Interact: an unknown
// command or option, a value of the wrong type, a missing user.
type InputError struct{ msg string }

func (e *InputError) Error() string { return e.msg }

func inputErr(format string, args ...any) error {
	return &InputError{msg: fmt.Sprintf(format, args...)}
}

// dataOption is one option of an interaction's data, as Discord sends it.
type dataOption struct {
	Name    string       `json:"name"`
	Type    int          `json:"type"`
	Value   any          `json:"value,omitempty"`
	Options []dataOption `json:"options,omitempty"`
	Focused bool         `json:"focused,omitempty"`
}

// optionRef is a user, channel or role an option names; the interaction
// resolves it against the state.
type optionRef struct {
	kind         int // OptUser, OptChannel, OptRole or OptMentionable
	id, option   string
	channelTypes []int
}

// parsedLine is a typed command line matched to a registered command.
type parsedLine struct {
	cmd     *Command
	options []dataOption
	refs    []optionRef
}

// parseCommandLine parses "/name [group] [subcommand] opt:value …" against
// the registered commands. A value runs until the next " name:" where name
// is an option of the (sub)command, so strings may contain spaces. With
// focused set it parses an autocomplete request: that option's text is
// passed raw and required options may be missing.
func parseCommandLine(line string, cmds []*Command, focused string) (*parsedLine, error) {
	line = strings.TrimSpace(line)
	body, ok := strings.CutPrefix(line, "/")
	if !ok {
		return nil, inputErr("command %q must start with \"/\"", line)
	}
	name, rest := cutWord(body)
	var cmd *Command
	names := make([]string, 0, len(cmds))
	for _, c := range cmds {
		if c.Type == 1 {
			names = append(names, "/"+c.Name)
			if c.Name == name {
				cmd = c
			}
		}
	}
	switch {
	case len(names) == 0:
		return nil, inputErr("unknown command /%s: the bot has registered no slash commands yet", name)
	case cmd == nil:
		return nil, inputErr("unknown command /%s (registered: %s)", name, strings.Join(names, ", "))
	}
	p := &parsedLine{cmd: cmd}
	leaf, where, wrap, rest, err := descend(cmd, rest)
	if err != nil {
		return nil, err
	}
	opts, err := p.parseOptions(rest, leaf, where, focused)
	if err != nil {
		return nil, err
	}
	p.options = wrap(opts)
	return p, nil
}

func cutWord(s string) (string, string) {
	s = strings.TrimLeft(s, " \t")
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimLeft(s[i:], " \t")
}

// descend walks into the subcommand group and subcommand the line names.
// It returns the leaf options, a name for messages, and a function that
// nests the leaf's data options inside the subcommand(s).
func descend(cmd *Command, rest string) ([]CommandOption, string, func([]dataOption) []dataOption, string, error) {
	where := "/" + cmd.Name
	wrap := func(o []dataOption) []dataOption { return o }
	opts := cmd.Options
	for depth := 0; depth < 2 && hasSubs(opts); depth++ {
		word, next := cutWord(rest)
		var sub *CommandOption
		for i := range opts {
			if opts[i].Name == word && (opts[i].Type == OptSubcommand || opts[i].Type == OptSubcommandGroup) {
				sub = &opts[i]
			}
		}
		switch {
		case sub == nil && word == "":
			return nil, "", nil, "", inputErr("%s needs a subcommand: %s", where, optionNames(opts))
		case sub == nil:
			return nil, "", nil, "", inputErr("%s has no subcommand %q (subcommands: %s)", where, word, optionNames(opts))
		}
		inner, name, typ := wrap, sub.Name, sub.Type
		wrap = func(o []dataOption) []dataOption {
			return inner([]dataOption{{Name: name, Type: typ, Options: o}})
		}
		where += " " + sub.Name
		opts, rest = sub.Options, next
		if sub.Type == OptSubcommand {
			break
		}
	}
	if hasSubs(opts) {
		return nil, "", nil, "", inputErr("%s needs a subcommand: %s", where, optionNames(opts))
	}
	return opts, where, wrap, rest, nil
}

func hasSubs(opts []CommandOption) bool {
	for _, o := range opts {
		if o.Type == OptSubcommand || o.Type == OptSubcommandGroup {
			return true
		}
	}
	return false
}

func optionNames(opts []CommandOption) string {
	if len(opts) == 0 {
		return "none"
	}
	names := make([]string, len(opts))
	for i, o := range opts {
		names[i] = o.Name
	}
	return strings.Join(names, ", ")
}

type boundary struct {
	start, value int
	end          int // just past the closing quote of a quoted value; 0 when unquoted
	opt          *CommandOption
}

// findBoundaries locates every "name:" of a known option at the start of
// rest or after a space, skipping over quoted values: author:"a b:c" is
// one value, typed as a member types it in Discord's client, which sends
// it without the quotes.
func findBoundaries(rest string, opts []CommandOption) []boundary {
	var bs []boundary
	for i := 0; i < len(rest); i++ {
		if i > 0 && rest[i-1] != ' ' && rest[i-1] != '\t' {
			continue
		}
		for j := range opts {
			if strings.HasPrefix(rest[i:], opts[j].Name+":") {
				b := boundary{start: i, value: i + len(opts[j].Name) + 1, opt: &opts[j]}
				if end := quotedEnd(rest, b.value); end > 0 {
					b.end = end
					i = end - 1
				}
				bs = append(bs, b)
				break
			}
		}
	}
	return bs
}

// quotedEnd returns the index just past a double-quoted value starting at
// i, when its closing quote ends the line or is followed by a space; else 0.
func quotedEnd(s string, i int) int {
	if i >= len(s) || s[i] != '"' {
		return 0
	}
	for j := i + 1; j < len(s); j++ {
		if s[j] == '"' && (j+1 == len(s) || s[j+1] == ' ' || s[j+1] == '\t') {
			return j + 1
		}
	}
	return 0
}

func (p *parsedLine) parseOptions(rest string, opts []CommandOption, where, focused string) ([]dataOption, error) {
	rest = strings.TrimSpace(rest)
	bs := findBoundaries(rest, opts)
	if lead := leadingText(rest, bs); lead != "" {
		if word, _, isOpt := strings.Cut(lead, ":"); isOpt && !strings.ContainsAny(word, " \t") {
			return nil, inputErr("unknown option %q for %s (options: %s)", word, where, optionNames(opts))
		}
		return nil, inputErr("unexpected text %q after %s: options are written name:value (options: %s)", lead, where, optionNames(opts))
	}
	var out []dataOption
	seen := map[string]bool{}
	for i, b := range bs {
		end := len(rest)
		if i+1 < len(bs) {
			end = bs[i+1].start
		}
		raw := strings.TrimSpace(rest[b.value:end])
		if b.end > 0 {
			if extra := strings.TrimSpace(rest[b.end:end]); extra != "" {
				return nil, inputErr("unexpected %q after the quoted value of %s in %s", extra, b.opt.Name, where)
			}
			raw = rest[b.value+1 : b.end-1]
		}
		if seen[b.opt.Name] {
			return nil, inputErr("option %s given twice in %s", b.opt.Name, where)
		}
		seen[b.opt.Name] = true
		if b.opt.Name == focused {
			out = append(out, dataOption{Name: b.opt.Name, Type: b.opt.Type, Value: raw, Focused: true})
			continue
		}
		v, err := p.convert(b.opt, raw, where)
		if err != nil {
			return nil, err
		}
		out = append(out, dataOption{Name: b.opt.Name, Type: b.opt.Type, Value: v})
	}
	return p.finish(out, opts, seen, where, focused)
}

func leadingText(rest string, bs []boundary) string {
	if len(bs) == 0 {
		return rest
	}
	return strings.TrimSpace(rest[:bs[0].start])
}

// finish checks required options, or for autocomplete the focused one.
func (p *parsedLine) finish(out []dataOption, opts []CommandOption, seen map[string]bool, where, focused string) ([]dataOption, error) {
	if focused == "" {
		for _, o := range opts {
			if o.Required && !seen[o.Name] {
				return nil, inputErr("missing required option %s: for %s", o.Name, where)
			}
		}
		return out, nil
	}
	for _, o := range opts {
		if o.Name != focused {
			continue
		}
		if !o.Autocomplete {
			return nil, inputErr("option %s of %s does not have autocomplete enabled", focused, where)
		}
		if !seen[focused] {
			out = append(out, dataOption{Name: o.Name, Type: o.Type, Value: "", Focused: true})
		}
		return out, nil
	}
	return nil, inputErr("focused option %q is not an option of %s (options: %s)", focused, where, optionNames(opts))
}

// convert turns the typed text of an option into its JSON value.
func (p *parsedLine) convert(o *CommandOption, raw, where string) (any, error) {
	if raw == "" {
		return nil, inputErr("option %s of %s has no value after %s:", o.Name, where, o.Name)
	}
	bad := func(want string) error {
		return inputErr("option %s of %s wants %s, got %q", o.Name, where, want, raw)
	}
	switch o.Type {
	case OptString:
		return convertString(o, raw, where)
	case OptInteger:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n > 1<<53 || n < -(1<<53) {
			if v, ok := matchChoice(o, raw); ok {
				return v, nil
			}
			return nil, bad("an integer")
		}
		return checkNumber(o, float64(n), n, where)
	case OptNumber:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			if v, ok := matchChoice(o, raw); ok {
				return v, nil
			}
			return nil, bad("a number")
		}
		return checkNumber(o, f, f, where)
	case OptBoolean:
		switch strings.ToLower(raw) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, bad("true or false")
	case OptUser, OptChannel, OptRole, OptMentionable:
		return p.convertRef(o, raw, where)
	}
	return nil, inputErr("option %s of %s is an attachment, which the emulator cannot send", o.Name, where)
}

func convertString(o *CommandOption, raw, where string) (any, error) {
	if len(o.Choices) > 0 {
		if v, ok := matchChoice(o, raw); ok {
			return v, nil
		}
		return nil, inputErr("option %s of %s must be one of the choices %s, got %q", o.Name, where, choiceNames(o), raw)
	}
	n := runes(raw)
	if o.MinLength != nil && n < *o.MinLength {
		return nil, inputErr("option %s of %s must be at least %d characters, got %d", o.Name, where, *o.MinLength, n)
	}
	if (o.MaxLength != nil && n > *o.MaxLength) || n > 6000 {
		return nil, inputErr("option %s of %s is %d characters, more than allowed", o.Name, where, n)
	}
	return raw, nil
}

func checkNumber(o *CommandOption, f float64, v any, where string) (any, error) {
	if len(o.Choices) > 0 {
		for _, c := range o.Choices {
			if cv, ok := c.Value.(float64); ok && cv == f {
				return v, nil
			}
		}
		return nil, inputErr("option %s of %s must be one of the choices %s", o.Name, where, choiceNames(o))
	}
	if o.MinValue != nil && f < *o.MinValue {
		return nil, inputErr("option %s of %s must be at least %v, got %v", o.Name, where, *o.MinValue, f)
	}
	if o.MaxValue != nil && f > *o.MaxValue {
		return nil, inputErr("option %s of %s must be at most %v, got %v", o.Name, where, *o.MaxValue, f)
	}
	return v, nil
}

// matchChoice accepts a choice by its name (as the user picks it) or value.
func matchChoice(o *CommandOption, raw string) (any, bool) {
	for _, c := range o.Choices {
		if strings.EqualFold(c.Name, raw) || fmt.Sprint(c.Value) == raw {
			return c.Value, true
		}
	}
	return nil, false
}

func choiceNames(o *CommandOption) string {
	names := make([]string, len(o.Choices))
	for i, c := range o.Choices {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// convertRef reads a mention (<@id>, <@!id>, <#id>, <@&id>) or a bare id.
func (p *parsedLine) convertRef(o *CommandOption, raw, where string) (any, error) {
	id := raw
	kind := o.Type
	forms := map[int][]string{OptUser: {"<@!", "<@"}, OptChannel: {"<#"}, OptRole: {"<@&"}, OptMentionable: {"<@&", "<@!", "<@"}}
	for _, prefix := range forms[o.Type] {
		if inner, ok := strings.CutPrefix(raw, prefix); ok && strings.HasSuffix(inner, ">") {
			id = strings.TrimSuffix(inner, ">")
			if o.Type == OptMentionable {
				kind = OptUser
				if prefix == "<@&" {
					kind = OptRole
				}
			}
			break
		}
	}
	if !isSnowflake(id) {
		return nil, inputErr("option %s of %s wants a mention or an id, got %q", o.Name, where, raw)
	}
	p.refs = append(p.refs, optionRef{kind: kind, id: id, option: o.Name, channelTypes: o.ChannelTypes})
	return id, nil
}
