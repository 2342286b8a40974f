package commands

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// ErrCommandLine is wrapped by every error of ParseCommandLine.
var ErrCommandLine = errors.New("bad command line")

// ParseCommandLine turns a line as a member would type it, such as
// "/quote story:1 author:ChrisW" or "/news search query:north korea",
// into the APPLICATION_COMMAND interaction Discord would send for it.
//
// Options are written name:value. A value runs to the next " name:" where
// name is an option of the same (sub)command, so text values may hold
// spaces; a value in double quotes may hold anything but a double quote.
// Integer, number and boolean values are checked and typed as Discord
// types them (numbers as float64, as JSON decoding gives), values of
// options with choices must be one of them, and required options must be
// present. Errors name the part of the line at fault.
func ParseCommandLine(defs []*discordgo.ApplicationCommand, line string) (*discordgo.Interaction, error) {
	return parseLine(defs, line, "")
}

// ParseAutocomplete is ParseCommandLine for an autocomplete: the focused
// option carries its text as typed (possibly empty, and added when the
// line lacks it), and required options may be missing.
func ParseAutocomplete(defs []*discordgo.ApplicationCommand, line, focused string) (*discordgo.Interaction, error) {
	if focused == "" {
		return nil, lineErrorf("no option to autocomplete given")
	}
	return parseLine(defs, line, focused)
}

func lineErrorf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCommandLine}, args...)...)
}

func parseLine(defs []*discordgo.ApplicationCommand, line, focused string) (*discordgo.Interaction, error) {
	body, ok := strings.CutPrefix(strings.TrimSpace(line), "/")
	if !ok {
		return nil, lineErrorf("%q must start with \"/\", like /summarize story:1", clip(line, 60))
	}
	word, rest := cutWord(body)
	var cmd *discordgo.ApplicationCommand
	var names []string
	for _, d := range defs {
		if d == nil || (d.Type != 0 && d.Type != discordgo.ChatApplicationCommand) {
			continue
		}
		names = append(names, "/"+d.Name)
		if d.Name == word {
			cmd = d
		}
	}
	if cmd == nil {
		return nil, lineErrorf("unknown command /%s (commands: %s)", clip(word, 40), strings.Join(names, ", "))
	}
	leaf, where, wrap, rest, err := descend(cmd, rest)
	if err != nil {
		return nil, err
	}
	opts, err := parseOptions(rest, leaf, where, focused)
	if err != nil {
		return nil, err
	}
	typ := discordgo.InteractionApplicationCommand
	if focused != "" {
		typ = discordgo.InteractionApplicationCommandAutocomplete
	}
	return &discordgo.Interaction{
		Type: typ,
		Data: discordgo.ApplicationCommandInteractionData{
			Name: cmd.Name, CommandType: discordgo.ChatApplicationCommand, Options: wrap(opts),
		},
	}, nil
}

func cutWord(s string) (string, string) {
	s = strings.TrimLeft(s, " \t")
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i], strings.TrimLeft(s[i:], " \t")
	}
	return s, ""
}

type dataOptions = []*discordgo.ApplicationCommandInteractionDataOption

// descend walks into the subcommand group and subcommand the line names,
// returning the leaf's options and a function nesting values under them.
func descend(cmd *discordgo.ApplicationCommand, rest string) ([]*discordgo.ApplicationCommandOption, string, func(dataOptions) dataOptions, string, error) {
	where := "/" + cmd.Name
	wrap := func(o dataOptions) dataOptions { return o }
	opts := cmd.Options
	for depth := 0; depth < 2 && hasSubs(opts); depth++ {
		word, next := cutWord(rest)
		var sub *discordgo.ApplicationCommandOption
		for _, o := range opts {
			if o != nil && o.Name == word && isSub(o) {
				sub = o
			}
		}
		if sub == nil {
			if word == "" {
				return nil, "", nil, "", lineErrorf("%s needs a subcommand: %s", where, optionNames(opts))
			}
			return nil, "", nil, "", lineErrorf("%s has no subcommand %q (subcommands: %s)", where, clip(word, 40), optionNames(opts))
		}
		inner, sname, styp := wrap, sub.Name, sub.Type
		wrap = func(o dataOptions) dataOptions {
			return inner(dataOptions{{Name: sname, Type: styp, Options: o}})
		}
		where += " " + sub.Name
		opts, rest = sub.Options, next
		if sub.Type == discordgo.ApplicationCommandOptionSubCommand {
			break
		}
	}
	if hasSubs(opts) {
		return nil, "", nil, "", lineErrorf("%s needs a subcommand: %s", where, optionNames(opts))
	}
	return opts, where, wrap, rest, nil
}

func isSub(o *discordgo.ApplicationCommandOption) bool {
	return o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup
}

func hasSubs(opts []*discordgo.ApplicationCommandOption) bool {
	for _, o := range opts {
		if o != nil && isSub(o) {
			return true
		}
	}
	return false
}

func optionNames(opts []*discordgo.ApplicationCommandOption) string {
	var names []string
	for _, o := range opts {
		if o != nil {
			names = append(names, o.Name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// convert types one option value as Discord would send it.
func convert(o *discordgo.ApplicationCommandOption, raw, where string) (any, error) {
	var v any
	switch o.Type {
	case discordgo.ApplicationCommandOptionInteger:
		n, err := strconv.ParseInt(strings.TrimPrefix(raw, "#"), 10, 64)
		if err != nil || n > 1<<53 || n < -(1<<53) {
			return nil, lineErrorf("%s: option %s takes a whole number, not %q", where, o.Name, clip(raw, 40))
		}
		v = float64(n)
	case discordgo.ApplicationCommandOptionNumber:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, lineErrorf("%s: option %s takes a number, not %q", where, o.Name, clip(raw, 40))
		}
		v = f
	case discordgo.ApplicationCommandOptionBoolean:
		b, err := strconv.ParseBool(strings.ToLower(raw))
		if err != nil {
			return nil, lineErrorf("%s: option %s is true or false, not %q", where, o.Name, clip(raw, 40))
		}
		v = b
	case discordgo.ApplicationCommandOptionString:
		if raw == "" {
			return nil, lineErrorf("%s: option %s has no value", where, o.Name)
		}
		v = raw
	default:
		// Users, channels and roles are snowflakes on the wire.
		v = raw
	}
	return v, checkValue(o, v, raw, where)
}

// checkValue enforces an option's choices and bounds.
func checkValue(o *discordgo.ApplicationCommandOption, v any, raw, where string) error {
	if len(o.Choices) > 0 {
		var names []string
		for _, c := range o.Choices {
			if fmt.Sprint(c.Value) == fmt.Sprint(v) || c.Name == raw {
				return nil
			}
			names = append(names, c.Name)
		}
		return lineErrorf("%s: option %s is one of %s, not %q", where, o.Name, strings.Join(names, ", "), clip(raw, 40))
	}
	f, isNum := v.(float64)
	switch {
	case isNum && o.MinValue != nil && f < *o.MinValue:
		return lineErrorf("%s: option %s must be at least %v, not %s", where, o.Name, *o.MinValue, raw)
	case isNum && o.MaxValue != 0 && f > o.MaxValue:
		return lineErrorf("%s: option %s must be at most %v, not %s", where, o.Name, o.MaxValue, raw)
	case o.Type == discordgo.ApplicationCommandOptionString && o.MaxLength > 0 && len([]rune(raw)) > o.MaxLength:
		return lineErrorf("%s: option %s takes at most %d characters", where, o.Name, o.MaxLength)
	}
	return nil
}
