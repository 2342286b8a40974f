package emulator

import (
	"encoding/json"
	"strings"
	"testing"
)

func f64(v float64) *float64 { return &v }
func iptr(v int) *int        { return &v }

// lineCommands covers every shape the parser handles: plain options,
// subcommands, a subcommand group, choices, and each option type.
func lineCommands() []*Command {
	return []*Command{
		{ID: "1", Type: 1, Name: "quote", Options: []CommandOption{
			{Type: OptString, Name: "story", Required: true, Autocomplete: true},
			{Type: OptString, Name: "author", MaxLength: iptr(20)},
			{Type: OptString, Name: "story_part"},
		}},
		{ID: "2", Type: 1, Name: "summarize", Options: []CommandOption{
			{Type: OptInteger, Name: "story", Required: true, Autocomplete: true},
			{Type: OptInteger, Name: "words", MinValue: f64(10), MaxValue: f64(500)},
			{Type: OptNumber, Name: "ratio"},
			{Type: OptBoolean, Name: "public"},
			{Type: OptString, Name: "style", Choices: []CommandChoice{{Name: "Short", Value: "short"}, {Name: "Long", Value: "long"}}},
		}},
		{ID: "3", Type: 1, Name: "feeds", Options: []CommandOption{
			{Type: OptSubcommand, Name: "list"},
			{Type: OptSubcommand, Name: "add", Options: []CommandOption{
				{Type: OptString, Name: "url", Required: true},
				{Type: OptChannel, Name: "channel"},
			}},
			{Type: OptSubcommandGroup, Name: "config", Options: []CommandOption{
				{Type: OptSubcommand, Name: "limit", Options: []CommandOption{{Type: OptInteger, Name: "n", Required: true}}},
			}},
		}},
		{ID: "4", Type: 1, Name: "notify", Options: []CommandOption{
			{Type: OptUser, Name: "who"}, {Type: OptRole, Name: "role"}, {Type: OptMentionable, Name: "target"},
			{Type: OptAttachment, Name: "file"},
		}},
		{ID: "5", Type: 2, Name: "Context Menu"},
	}
}

func TestParseCommandLine(t *testing.T) {
	cases := []struct {
		line, focused string
		want          string // the data options as JSON, or "error: <substring>"
	}{
		{"/quote story:1 author:ChrisW", "", `[{"name":"story","type":3,"value":"1"},{"name":"author","type":3,"value":"ChrisW"}]`},
		{"  /quote   story:north korea talks   author:Chris W ", "", `[{"name":"story","type":3,"value":"north korea talks"},{"name":"author","type":3,"value":"Chris W"}]`},
		{"/quote story:the author:x said", "", `[{"name":"story","type":3,"value":"the"},{"name":"author","type":3,"value":"x said"}]`},
		{"/quote story:a colour:red", "", `[{"name":"story","type":3,"value":"a colour:red"}]`},
		{"/quote story:x story_part:y", "", `[{"name":"story","type":3,"value":"x"},{"name":"story_part","type":3,"value":"y"}]`},
		{"/quote story:café ☕", "", `[{"name":"story","type":3,"value":"café ☕"}]`},
		{`/quote story:1 author:"Chris W"`, "", `[{"name":"story","type":3,"value":"1"},{"name":"author","type":3,"value":"Chris W"}]`},
		{`/quote story:"a author:b" author:x`, "", `[{"name":"story","type":3,"value":"a author:b"},{"name":"author","type":3,"value":"x"}]`},
		{`/quote story:"say "hi" now"`, "", `error: unexpected "now\"" after the quoted value of story`},
		{`/quote story:"unclosed`, "", `[{"name":"story","type":3,"value":"\"unclosed"}]`},
		{`/quote story:"1"x author:y`, "", `[{"name":"story","type":3,"value":"\"1\"x"},{"name":"author","type":3,"value":"y"}]`},
		{`/quote story:"1" x author:y`, "", `error: unexpected "x" after the quoted value of story`},
		{"/summarize story:7 words:120 ratio:0.5 public:TRUE style:long", "", `[{"name":"story","type":4,"value":7},{"name":"words","type":4,"value":120},{"name":"ratio","type":10,"value":0.5},{"name":"public","type":5,"value":true},{"name":"style","type":3,"value":"long"}]`},
		{"/summarize story:7 style:Short", "", `[{"name":"story","type":4,"value":7},{"name":"style","type":3,"value":"short"}]`},
		{"/feeds list", "", `[{"name":"list","type":1}]`},
		{"/feeds add url:https://x.test/feed channel:<#100000000000000001>", "", `[{"name":"add","type":1,"options":[{"name":"url","type":3,"value":"https://x.test/feed"},{"name":"channel","type":7,"value":"100000000000000001"}]}]`},
		{"/feeds config limit n:3", "", `[{"name":"config","type":2,"options":[{"name":"limit","type":1,"options":[{"name":"n","type":4,"value":3}]}]}]`},
		{"/notify who:<@!100000000000000010> role:<@&100000000000000020> target:100000000000000011", "", `[{"name":"who","type":6,"value":"100000000000000010"},{"name":"role","type":8,"value":"100000000000000020"},{"name":"target","type":9,"value":"100000000000000011"}]`},
		{"/quote story:north korea", "story", `[{"name":"story","type":3,"value":"north korea","focused":true}]`},
		{"/quote author:x", "story", `[{"name":"author","type":3,"value":"x"},{"name":"story","type":3,"value":"","focused":true}]`},
		{"/summarize story:4", "story", `[{"name":"story","type":4,"value":"4","focused":true}]`},

		{"quote story:1", "", `error: must start with "/"`},
		{"/nope", "", "error: unknown command /nope (registered: /quote, /summarize, /feeds, /notify)"},
		{"/Context", "", "error: unknown command /Context"},
		{"/quote colour:red", "", `error: unknown option "colour" for /quote (options: story, author, story_part)`},
		{"/quote hello story:1", "", `error: unexpected text "hello" after /quote`},
		{"/quote author:x", "", "error: missing required option story: for /quote"},
		{"/quote story:", "", "error: option story of /quote has no value after story:"},
		{"/quote story:1 story:2", "", "error: option story given twice"},
		{"/quote story:1 author:" + strings.Repeat("a", 21), "", "error: option author of /quote is 21 characters"},
		{"/summarize story:seven", "", `error: option story of /summarize wants an integer, got "seven"`},
		{"/summarize story:1.5", "", "error: wants an integer"},
		{"/summarize story:99999999999999999", "", "error: wants an integer"},
		{"/summarize story:1 words:5", "", "error: option words of /summarize must be at least 10, got 5"},
		{"/summarize story:1 words:501", "", "error: must be at most 500"},
		{"/summarize story:1 ratio:NaN", "", "error: wants a number"},
		{"/summarize story:1 public:yes", "", "error: wants true or false"},
		{"/summarize story:1 style:medium", "", "error: must be one of the choices Short, Long"},
		{"/feeds", "", "error: /feeds needs a subcommand: list, add, config"},
		{"/feeds remove", "", `error: /feeds has no subcommand "remove"`},
		{"/feeds config", "", "error: /feeds config needs a subcommand: limit"},
		{"/feeds list extra:1", "", `error: unknown option "extra" for /feeds list (options: none)`},
		{"/notify who:<#1>", "", "error: wants a mention or an id"},
		{"/notify file:x", "", "error: attachment"},
		{"/quote author:x", "author", "error: option author of /quote does not have autocomplete enabled"},
		{"/quote story:x", "nope", `error: focused option "nope" is not an option of /quote`},
	}
	for _, tc := range cases {
		t.Run(tc.line+"|"+tc.focused, func(t *testing.T) {
			p, err := parseCommandLine(tc.line, lineCommands(), tc.focused)
			if want, isErr := strings.CutPrefix(tc.want, "error: "); isErr {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("error %v; want one containing %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.Marshal(p.options)
			if string(got) != tc.want {
				t.Errorf("options\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestParseCommandLineWithoutCommands(t *testing.T) {
	_, err := parseCommandLine("/quote story:1", nil, "")
	if err == nil || !strings.Contains(err.Error(), "registered no slash commands") {
		t.Errorf("error = %v", err)
	}
}

// FuzzParseCommandLine: no input panics, and whatever parses names only
// options the command defines.
func FuzzParseCommandLine(f *testing.F) {
	for _, s := range []string{"/quote story:1 author:ChrisW", "/feeds config limit n:3", "/summarize story:4 public:true",
		"/notify who:<@1>", "/quote story: author:", "/feeds add url:x channel:<#1>", "/"} {
		f.Add(s, "")
		f.Add(s, "story")
	}
	f.Fuzz(func(t *testing.T, line, focused string) {
		cmds := lineCommands()
		p, err := parseCommandLine(line, cmds, focused)
		if err != nil {
			return
		}
		known := map[string]bool{}
		var walk func([]CommandOption)
		walk = func(opts []CommandOption) {
			for _, o := range opts {
				known[o.Name] = true
				walk(o.Options)
			}
		}
		walk(p.cmd.Options)
		var check func([]dataOption)
		check = func(opts []dataOption) {
			for _, o := range opts {
				if !known[o.Name] {
					t.Fatalf("%q parsed to unknown option %q", line, o.Name)
				}
				check(o.Options)
			}
		}
		check(p.options)
	})
}
