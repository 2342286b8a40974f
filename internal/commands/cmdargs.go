package commands

import (
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// boundary is one "name:" in a command line and where its value starts.
type boundary struct {
	start, value, end int // end is set for a quoted value: just past its closing quote
	opt               *discordgo.ApplicationCommandOption
}

// findBoundaries locates every "name:" of a known option at the start of
// rest or after white space, skipping over quoted values.
func findBoundaries(rest string, opts []*discordgo.ApplicationCommandOption) []boundary {
	var bs []boundary
	for i := 0; i < len(rest); i++ {
		if i > 0 && rest[i-1] != ' ' && rest[i-1] != '\t' {
			continue
		}
		for _, o := range opts {
			if o == nil || o.Name == "" || !strings.HasPrefix(rest[i:], o.Name+":") {
				continue
			}
			b := boundary{start: i, value: i + len(o.Name) + 1, opt: o}
			if end := quotedEnd(rest, b.value); end > 0 {
				b.end = end
				i = end - 1
			}
			bs = append(bs, b)
			break
		}
	}
	return bs
}

// quotedEnd returns the index just past a double-quoted value starting at
// i, when its closing quote ends the line or is followed by white space;
// else 0.
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

// parseOptions reads the name:value pairs after a command (and its
// subcommands) against the leaf's options.
func parseOptions(rest string, opts []*discordgo.ApplicationCommandOption, where, focused string) (dataOptions, error) {
	rest = strings.TrimSpace(rest)
	bs := findBoundaries(rest, opts)
	lead := rest
	if len(bs) > 0 {
		lead = rest[:bs[0].start]
	}
	if lead = strings.TrimSpace(lead); lead != "" {
		if word, _, isOpt := strings.Cut(lead, ":"); isOpt && !strings.ContainsAny(word, " \t") {
			return nil, lineErrorf("%s has no option %q (options: %s)", where, clip(word, 40), optionNames(opts))
		}
		return nil, lineErrorf("unexpected %q after %s: options are written name:value (options: %s)", clip(lead, 40), where, optionNames(opts))
	}
	var out dataOptions
	seen := map[string]bool{}
	for n, b := range bs {
		if seen[b.opt.Name] {
			return nil, lineErrorf("%s: option %s given twice", where, b.opt.Name)
		}
		seen[b.opt.Name] = true
		raw, err := rawValue(rest, bs, n, where)
		if err != nil {
			return nil, err
		}
		if b.opt.Name == focused {
			out = append(out, &discordgo.ApplicationCommandInteractionDataOption{
				Name: b.opt.Name, Type: b.opt.Type, Value: raw, Focused: true,
			})
			continue
		}
		v, err := convert(b.opt, raw, where)
		if err != nil {
			return nil, withUnknownOption(err, raw, opts)
		}
		out = append(out, &discordgo.ApplicationCommandInteractionDataOption{Name: b.opt.Name, Type: b.opt.Type, Value: v})
	}
	return finishOptions(out, opts, seen, where, focused)
}

// rawValue is the text of the n-th option: up to the next option, or
// inside its quotes. Anything between a closing quote and the next
// option is an error rather than silently dropped.
func rawValue(rest string, bs []boundary, n int, where string) (string, error) {
	b := bs[n]
	end := len(rest)
	if n+1 < len(bs) {
		end = bs[n+1].start
	}
	if b.end == 0 {
		return strings.TrimSpace(rest[b.value:end]), nil
	}
	if extra := strings.TrimSpace(rest[b.end:end]); extra != "" {
		return "", lineErrorf("%s: unexpected %q after the quoted value of %s", where, clip(extra, 40), b.opt.Name)
	}
	return rest[b.value+1 : b.end-1], nil
}

// finishOptions adds the focused option when the line lacks it and checks
// that every required option is there (autocompletes excepted).
func finishOptions(out dataOptions, opts []*discordgo.ApplicationCommandOption, seen map[string]bool, where, focused string) (dataOptions, error) {
	if focused != "" {
		if !seen[focused] {
			var o *discordgo.ApplicationCommandOption
			for _, c := range opts {
				if c != nil && c.Name == focused {
					o = c
				}
			}
			if o == nil {
				return nil, lineErrorf("%s has no option %q to autocomplete (options: %s)", where, clip(focused, 40), optionNames(opts))
			}
			out = append(out, &discordgo.ApplicationCommandInteractionDataOption{Name: o.Name, Type: o.Type, Value: "", Focused: true})
		}
		return out, nil
	}
	var missing []string
	for _, o := range opts {
		if o != nil && o.Required && !seen[o.Name] {
			missing = append(missing, o.Name+":…")
		}
	}
	if len(missing) > 0 {
		return nil, lineErrorf("%s needs %s", where, strings.Join(missing, " "))
	}
	return out, nil
}

// withUnknownOption explains a bad value that holds " word:" where word is
// no option: most likely a misspelt option swallowed into the value.
func withUnknownOption(err error, raw string, opts []*discordgo.ApplicationCommandOption) error {
	fields := strings.Fields(raw)
	for _, f := range fields[min(1, len(fields)):] {
		if word, _, ok := strings.Cut(f, ":"); ok && word != "" {
			return fmt.Errorf("%w (%q is not an option here; options: %s)", err, clip(word, 40), optionNames(opts))
		}
	}
	return err
}
