package commands

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// testDefs adds to the real commands one with every option type, so the
// parser's typing is tested beyond what newsbot's commands use.
func testDefs() []*discordgo.ApplicationCommand {
	lo := -5.0
	return append(Definitions(), &discordgo.ApplicationCommand{
		Name: "types", Description: "every type",
		Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionSubCommandGroup, Name: "group", Description: "g",
				Options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "leaf", Description: "l",
						Options: []*discordgo.ApplicationCommandOption{
							{Type: discordgo.ApplicationCommandOptionBoolean, Name: "flag", Description: "b"},
							{Type: discordgo.ApplicationCommandOptionNumber, Name: "ratio", Description: "n", MinValue: &lo, MaxValue: 5},
							{Type: discordgo.ApplicationCommandOptionString, Name: "text", Description: "s"},
						}},
				}},
		},
	})
}

// parsed renders an interaction's data compactly: name, then options
// nested in brackets, values with their Go types.
func parsed(i *discordgo.Interaction) string {
	d := i.Data.(discordgo.ApplicationCommandInteractionData)
	var b strings.Builder
	b.WriteString("/" + d.Name)
	var walk func([]*discordgo.ApplicationCommandInteractionDataOption)
	walk = func(os []*discordgo.ApplicationCommandInteractionDataOption) {
		for _, o := range os {
			if o.Options != nil || o.Value == nil {
				b.WriteString(" " + o.Name + "[")
				walk(o.Options)
				b.WriteString("]")
				continue
			}
			v, _ := json.Marshal(o.Value)
			b.WriteString(" " + o.Name + "=" + string(v))
			if o.Focused {
				b.WriteString("*")
			}
		}
	}
	walk(d.Options)
	return b.String()
}

func TestParseCommandLine(t *testing.T) {
	tests := []struct{ line, want string }{
		{"/quote story:1 author:ChrisW", `/quote story=1 author="ChrisW"`},
		{"  /quote   author:Chris W  story:12 ", `/quote author="Chris W" story=12`},
		{"/news search query:north korea", `/news search[ query="north korea"]`},
		{"/news latest", `/news latest[]`},
		{"/news latest count:3 feed:example", `/news latest[ count=3 feed="example"]`},
		{"/quote story:1 contains:he said: no author:bob pick:latest", `/quote story=1 contains="he said: no" author="bob" pick="latest"`},
		{`/quote story:1 contains:"author:x story:2"`, `/quote story=1 contains="author:x story:2"`},
		{"/quote story:#7", `/quote story=7`},
		{"/quote story:1 contains:a\"b", `/quote story=1 contains="a\"b"`},
		{"/summarize story:1 length:detailed", `/summarize story=1 length="detailed"`},
		{"/feeds preview feed:example", `/feeds preview[ feed="example"]`},
		{"/types group leaf flag:TRUE ratio:-2.5 text:x", `/types group[ leaf[ flag=true ratio=-2.5 text="x"]]`},
		{"/types group leaf flag:0", `/types group[ leaf[ flag=false]]`},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			i, err := ParseCommandLine(testDefs(), tt.line)
			if err != nil {
				t.Fatal(err)
			}
			if i.Type != discordgo.InteractionApplicationCommand {
				t.Errorf("type %d", i.Type)
			}
			if got := parsed(i); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestParseCommandLineErrors(t *testing.T) {
	tests := []struct{ line, want string }{
		{"", `"" must start with "/"`},
		{"quote story:1", `"quote story:1" must start with "/"`},
		{"/qoute story:1", `unknown command /qoute (commands: /news, /story, /quote, /summarize, /thread, /feeds, /types)`},
		{"/quote", `/quote needs story:…`},
		{"/quote author:bob", `/quote needs story:…`},
		{"/quote story:one", `/quote: option story takes a whole number, not "one"`},
		{"/quote story:0", `/quote: option story must be at least 1, not 0`},
		{"/quote story:99999999999999999999", `option story takes a whole number`},
		{"/quote story:1 pick:best", `/quote: option pick is one of top, latest, random, not "best"`},
		{"/quote story:1 story:2", `/quote: option story given twice`},
		{"/quote story:1 colour:red", `option story takes a whole number, not "1 colour:red" ("colour" is not an option here; options: story, author, contains, pick)`},
		{"/quote colour:red", `/quote has no option "colour" (options: story, author, contains, pick)`},
		{"/quote hello story:1", `unexpected "hello" after /quote: options are written name:value`},
		{"/quote story:1 author:", `/quote: option author has no value`},
		{"/news", `/news needs a subcommand: latest, search`},
		{"/news oldest", `/news has no subcommand "oldest" (subcommands: latest, search)`},
		{"/news latest count:11", `/news latest: option count must be at most 10, not 11`},
		{"/types group", `/types group needs a subcommand: leaf`},
		{"/types group leaf flag:maybe", `option flag is true or false, not "maybe"`},
		{"/types group leaf ratio:NaN", `option ratio takes a number, not "NaN"`},
		{"/types group leaf ratio:-9", `option ratio must be at least -5, not -9`},
		{`/quote story:1 contains:"a" b`, `unexpected "b" after the quoted value of contains`},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			_, err := ParseCommandLine(testDefs(), tt.line)
			if err == nil || !errors.Is(err, ErrCommandLine) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestParseAutocomplete(t *testing.T) {
	tests := []struct{ line, focus, want string }{
		{"/quote story:north ko", "story", `/quote story="north ko"*`},
		{"/quote", "story", `/quote story=""*`},
		{"/quote story:1 author:so", "author", `/quote story=1 author="so"*`},
		{"/feeds preview", "feed", `/feeds preview[ feed=""*]`},
	}
	for _, tt := range tests {
		i, err := ParseAutocomplete(Definitions(), tt.line, tt.focus)
		if err != nil {
			t.Fatalf("%s: %v", tt.line, err)
		}
		if i.Type != discordgo.InteractionApplicationCommandAutocomplete || parsed(i) != tt.want {
			t.Errorf("%s: type %d, got %s, want %s", tt.line, i.Type, parsed(i), tt.want)
		}
	}
	if _, err := ParseAutocomplete(Definitions(), "/quote", "colour"); err == nil || !strings.Contains(err.Error(), `/quote has no option "colour" to autocomplete`) {
		t.Errorf("unknown focus: %v", err)
	}
}

// FuzzParseCommandLine: no line panics, and whatever parses names a
// defined command and only its options, typed as the definition says.
func FuzzParseCommandLine(f *testing.F) {
	for _, s := range []string{"/quote story:1 author:ChrisW", "/news search query:north korea", `/quote story:1 contains:"x y"`,
		"/types group leaf flag:true ratio:1e3 text:\"", "/feeds preview feed:", "/quote story:1 pick:top contains:\xff"} {
		f.Add(s)
	}
	defs := testDefs()
	f.Fuzz(func(t *testing.T, line string) {
		i, err := ParseCommandLine(defs, line)
		if err != nil {
			if !errors.Is(err, ErrCommandLine) {
				t.Fatalf("error %v does not wrap ErrCommandLine", err)
			}
			return
		}
		d := i.Data.(discordgo.ApplicationCommandInteractionData)
		o := optionsOf(d.Options)
		for name, v := range o.vals {
			switch v.Value.(type) {
			case float64, bool:
			case string:
				if v.Type == discordgo.ApplicationCommandOptionInteger || v.Type == discordgo.ApplicationCommandOptionNumber {
					t.Fatalf("%q: number option %s left as text", line, name)
				}
				if !utf8.ValidString(line) {
					return
				}
			default:
				t.Fatalf("%q: option %s has a %T", line, name, v.Value)
			}
		}
		if _, err := ParseAutocomplete(defs, line, "story"); err != nil && !errors.Is(err, ErrCommandLine) {
			t.Fatalf("autocomplete error %v does not wrap ErrCommandLine", err)
		}
	})
}
