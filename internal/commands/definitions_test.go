package commands

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

var commandName = regexp.MustCompile(`^[-_'\p{L}\p{N}]{1,32}$`)

// Every definition obeys Discord's rules for application commands, or the
// bulk registration at start-up would be refused as a whole.
func TestDefinitionsFollowDiscordRules(t *testing.T) {
	defs := (&Handler{}).Commands()
	names := map[string]bool{}
	for _, c := range defs {
		t.Run(c.Name, func(t *testing.T) {
			checkName(t, "/"+c.Name, c.Name)
			checkDescription(t, "/"+c.Name, c.Description)
			if names[c.Name] {
				t.Errorf("command /%s defined twice", c.Name)
			}
			names[c.Name] = true
			if n := checkOptions(t, "/"+c.Name, c.Options, 0); n+len(c.Name)+len(c.Description) > 4000 {
				t.Errorf("/%s has %d characters of names and descriptions, limit 4000", c.Name, n)
			}
		})
	}
	for _, want := range []string{"quote", "summarize", "feeds", "news", "story", "thread"} {
		if !names[want] {
			t.Errorf("no /%s command", want)
		}
	}
}

func checkName(t *testing.T, where, name string) {
	t.Helper()
	if !commandName.MatchString(name) || strings.ToLower(name) != name {
		t.Errorf("%s: name %q is not 1–32 lower-case letters, digits, - _ '", where, name)
	}
}

func checkDescription(t *testing.T, where, desc string) {
	t.Helper()
	if n := utf8.RuneCountInString(desc); n < 1 || n > 100 {
		t.Errorf("%s: description is %d characters, want 1–100: %q", where, n, desc)
	}
}

// checkOptions checks a level of options and returns how many characters
// of names, descriptions and choices it holds.
func checkOptions(t *testing.T, where string, opts []*discordgo.ApplicationCommandOption, depth int) int {
	t.Helper()
	if len(opts) > 25 {
		t.Errorf("%s: %d options, limit 25", where, len(opts))
	}
	total, subs, plain, optional := 0, 0, 0, false
	seen := map[string]bool{}
	for _, o := range opts {
		w := where + " " + o.Name
		checkName(t, w, o.Name)
		checkDescription(t, w, o.Description)
		total += len(o.Name) + len(o.Description)
		if seen[o.Name] {
			t.Errorf("%s: option %s twice", where, o.Name)
		}
		seen[o.Name] = true
		if isSub(o) {
			subs++
			total += checkOptions(t, w, o.Options, depth+1)
			continue
		}
		plain++
		if o.Required && optional {
			t.Errorf("%s: required option after an optional one", w)
		}
		optional = optional || !o.Required
		if o.Autocomplete && len(o.Choices) > 0 {
			t.Errorf("%s: autocomplete and choices are mutually exclusive", w)
		}
		if len(o.Choices) > 25 {
			t.Errorf("%s: %d choices, limit 25", w, len(o.Choices))
		}
		for _, c := range o.Choices {
			if n := utf8.RuneCountInString(c.Name); n < 1 || n > 100 {
				t.Errorf("%s: choice name %q is %d characters", w, c.Name, n)
			}
			total += len(c.Name) + len(fmtValue(c.Value))
		}
	}
	if subs > 0 && plain > 0 {
		t.Errorf("%s: subcommands mixed with options", where)
	}
	if depth > 2 {
		t.Errorf("%s: nested deeper than a subcommand group", where)
	}
	return total
}

func fmtValue(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Every story option is an autocompleted integer; /feeds is for Manage
// Server by default and only in servers.
func TestDefinitionsShape(t *testing.T) {
	defs := Definitions()
	stories := 0
	var walk func(string, []*discordgo.ApplicationCommandOption)
	walk = func(where string, opts []*discordgo.ApplicationCommandOption) {
		for _, o := range opts {
			if o.Name == optStory {
				stories++
				if o.Type != discordgo.ApplicationCommandOptionInteger || !o.Autocomplete || !o.Required {
					t.Errorf("%s: story option is not a required, autocompleted integer", where)
				}
			}
			walk(where+" "+o.Name, o.Options)
		}
	}
	for _, c := range defs {
		walk("/"+c.Name, c.Options)
		if c.Name != cmdFeeds {
			if c.DefaultMemberPermissions != nil {
				t.Errorf("/%s is restricted to permission %d", c.Name, *c.DefaultMemberPermissions)
			}
			continue
		}
		js, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(js), `"default_member_permissions":"32"`) || !strings.Contains(string(js), `"contexts":[0]`) {
			t.Errorf("/feeds registers as %s", js)
		}
	}
	if stories != 5 {
		t.Errorf("%d story options, want 5 (quote, summarize, thread, story show and changes)", stories)
	}
}
