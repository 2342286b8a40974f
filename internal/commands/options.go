package commands

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// options are an interaction's option values with any subcommand levels
// flattened: sub names the subcommand ("latest", or "" for none).
type options struct {
	sub     string
	vals    map[string]*discordgo.ApplicationCommandInteractionDataOption
	focused string // the option being typed, in an autocomplete
}

func optionsOf(list []*discordgo.ApplicationCommandInteractionDataOption) options {
	o := options{vals: map[string]*discordgo.ApplicationCommandInteractionDataOption{}}
	// Subcommand groups nest at most two levels deep; a hostile payload
	// nesting deeper is cut off rather than followed.
	for depth := 0; depth < 3; depth++ {
		var next []*discordgo.ApplicationCommandInteractionDataOption
		for _, opt := range list {
			if opt == nil {
				continue
			}
			switch opt.Type {
			case discordgo.ApplicationCommandOptionSubCommand, discordgo.ApplicationCommandOptionSubCommandGroup:
				o.sub = strings.TrimSpace(o.sub + " " + opt.Name)
				next = opt.Options
			default:
				if _, dup := o.vals[opt.Name]; !dup {
					o.vals[opt.Name] = opt
				}
				if opt.Focused && o.focused == "" {
					o.focused = opt.Name
				}
			}
		}
		if next == nil {
			break
		}
		list = next
	}
	return o
}

// str returns a string option, trimmed; "" when absent.
func (o options) str(name string) string {
	opt, ok := o.vals[name]
	if !ok || opt.Value == nil {
		return ""
	}
	switch v := opt.Value.(type) {
	case string:
		return strings.TrimSpace(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case json.Number:
		return v.String()
	}
	return strings.TrimSpace(fmt.Sprint(opt.Value))
}

// integer reads an integer option as Discord sends it (a JSON number, so
// float64) or as autocomplete text, refusing anything not a whole number
// Discord could have sent (|n| ≤ 2^53).
func (o options) integer(name string) (int64, bool, error) {
	opt, ok := o.vals[name]
	if !ok || opt.Value == nil {
		return 0, false, nil
	}
	var f float64
	switch v := opt.Value.(type) {
	case float64:
		f = v
	case int:
		return int64(v), true, nil
	case int64:
		return v, true, nil
	case json.Number:
		n, err := v.Int64()
		return n, err == nil, err
	case string:
		n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(v), "#"), 10, 64)
		return n, err == nil, err
	default:
		return 0, false, fmt.Errorf("option %s: value of type %T", name, opt.Value)
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false, fmt.Errorf("option %s: %v is not a whole number", name, f)
	}
	return int64(f), true, nil
}

// storyID reads the story option every story command takes, with the
// messages a member needs when it is missing or not a story number.
func (o options) storyID() (int64, error) {
	opt, ok := o.vals[optStory]
	if !ok || opt.Value == nil {
		return 0, userErrorf("Pick a story: type words of its title in the story option and choose from the list.")
	}
	id, _, err := o.integer(optStory)
	if err != nil {
		return 0, userErrorf("%s isn't a story number — type words of the title and pick the story from the list.", echo(o.str(optStory)))
	}
	if id <= 0 {
		return 0, userErrorf("Story numbers start at 1 — try /news search or the story autocomplete.")
	}
	return id, nil
}

// clip shortens text a member typed before it is echoed back.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
