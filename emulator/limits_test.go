package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

const (
	secretChannel   = "100000000000000005" // @everyone may not view
	readonlyChannel = "100000000000000006" // the bot's role may not send
)

// limitsSeed is the default world plus two channels that lock the bot out.
func limitsSeed() *Seed {
	s := DefaultSeed()
	g := &s.Guilds[0]
	g.Channels = append(g.Channels,
		SeedChannel{ID: secretChannel, Name: "secret", Overwrites: []SeedOverwrite{{ID: DefaultGuildID, Type: 0, Deny: PermViewChannel}}},
		SeedChannel{ID: readonlyChannel, Name: "readonly", Overwrites: []SeedOverwrite{{ID: defaultBotRoleID, Type: 0, Deny: PermSendMessages}}},
	)
	return &s
}

func send(ch string, m *discordgo.MessageSend) func(*discordgo.Session) error {
	return func(s *discordgo.Session) error {
		if m.AllowedMentions == nil {
			m.AllowedMentions = noMentions()
		}
		_, err := s.ChannelMessageSendComplex(ch, m)
		return err
	}
}

func embeds(es ...*discordgo.MessageEmbed) func(*discordgo.Session) error {
	return send(DefaultNewsChannel, &discordgo.MessageSend{Embeds: es})
}

func embedWith(f func(e *discordgo.MessageEmbed)) func(*discordgo.Session) error {
	e := &discordgo.MessageEmbed{Title: "t"}
	f(e)
	return embeds(e)
}

func fields(n int, name, value string) []*discordgo.MessageEmbedField {
	out := make([]*discordgo.MessageEmbedField, n)
	for i := range out {
		out[i] = &discordgo.MessageEmbedField{Name: name, Value: value}
	}
	return out
}

func commands(c ...*discordgo.ApplicationCommand) func(*discordgo.Session) error {
	return func(s *discordgo.Session) error {
		_, err := s.ApplicationCommandBulkOverwrite(DefaultApplicationID, DefaultGuildID, c)
		return err
	}
}

func stringOptions(n int) []*discordgo.ApplicationCommandOption {
	out := make([]*discordgo.ApplicationCommandOption, n)
	for i := range out {
		out[i] = &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: fmt.Sprintf("o%d", i), Description: "d"}
	}
	return out
}

func choices(n int) []*discordgo.ApplicationCommandOptionChoice {
	out := make([]*discordgo.ApplicationCommandOptionChoice, n)
	for i := range out {
		out[i] = &discordgo.ApplicationCommandOptionChoice{Name: fmt.Sprint(i), Value: fmt.Sprint(i)}
	}
	return out
}

func buttons(n int, id func(i int) string) discordgo.ActionsRow {
	row := discordgo.ActionsRow{}
	for i := range n {
		row.Components = append(row.Components, discordgo.Button{Label: "b", CustomID: id(i)})
	}
	return row
}

type limitCase struct {
	name string
	do   func(*discordgo.Session) error
	code int    // 0: must succeed
	at   string // dotted path of the field error, for 50035
}

func limitCases() []limitCase {
	a := func(n int) string { return strings.Repeat("a", n) }
	cmd := func(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommand {
		return &discordgo.ApplicationCommand{Name: name, Description: desc, Options: opts}
	}
	withChoices := func(n int) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "pick", Description: "d", Choices: choices(n)}
	}
	rows := func(n int) []discordgo.MessageComponent {
		var out []discordgo.MessageComponent
		for r := range n {
			out = append(out, buttons(1, func(int) string { return fmt.Sprint("r", r) }))
		}
		return out
	}
	return []limitCase{
		{"content 2000 passes", send(DefaultNewsChannel, &discordgo.MessageSend{Content: a(2000)}), 0, ""},
		{"content 2001", send(DefaultNewsChannel, &discordgo.MessageSend{Content: a(2001)}), 50035, "content"},
		{"10 embeds pass", embeds(make10()...), 0, ""},
		{"11 embeds", embeds(append(make10(), &discordgo.MessageEmbed{Title: "x"})...), 50035, "embeds"},
		{"title 256 passes", embedWith(func(e *discordgo.MessageEmbed) { e.Title = a(256) }), 0, ""},
		{"title 257", embedWith(func(e *discordgo.MessageEmbed) { e.Title = a(257) }), 50035, "embeds.0.title"},
		{"description 4097", embedWith(func(e *discordgo.MessageEmbed) { e.Description = a(4097) }), 50035, "embeds.0.description"},
		{"25 fields pass", embedWith(func(e *discordgo.MessageEmbed) { e.Fields = fields(25, "n", "v") }), 0, ""},
		{"26 fields", embedWith(func(e *discordgo.MessageEmbed) { e.Fields = fields(26, "n", "v") }), 50035, "embeds.0.fields"},
		{"field name 257", embedWith(func(e *discordgo.MessageEmbed) { e.Fields = fields(1, a(257), "v") }), 50035, "embeds.0.fields.0.name"},
		{"field value 1025", embedWith(func(e *discordgo.MessageEmbed) { e.Fields = fields(1, "n", a(1025)) }), 50035, "embeds.0.fields.0.value"},
		{"footer 2049", embedWith(func(e *discordgo.MessageEmbed) { e.Footer = &discordgo.MessageEmbedFooter{Text: a(2049)} }), 50035, "embeds.0.footer.text"},
		{"author 257", embedWith(func(e *discordgo.MessageEmbed) { e.Author = &discordgo.MessageEmbedAuthor{Name: a(257)} }), 50035, "embeds.0.author.name"},
		{"embeds total 6000 passes", embeds(&discordgo.MessageEmbed{Description: a(4096)}, &discordgo.MessageEmbed{Description: a(1904)}), 0, ""},
		{"embeds total 6001", embeds(&discordgo.MessageEmbed{Description: a(4096)}, &discordgo.MessageEmbed{Description: a(1905)}), 50035, "embeds"},
		{"5 action rows pass", send(DefaultNewsChannel, &discordgo.MessageSend{Content: "c", Components: rows(5)}), 0, ""},
		{"6 action rows", send(DefaultNewsChannel, &discordgo.MessageSend{Content: "c", Components: rows(6)}), 50035, "components"},
		{"6 buttons in a row", send(DefaultNewsChannel, &discordgo.MessageSend{Content: "c", Components: []discordgo.MessageComponent{buttons(6, func(i int) string { return fmt.Sprint(i) })}}), 50035, "components.0.components"},
		{"duplicate custom_id", send(DefaultNewsChannel, &discordgo.MessageSend{Content: "c", Components: []discordgo.MessageComponent{buttons(2, func(int) string { return "same" })}}), 50035, "components.0.components.1.custom_id"},
		{"empty message", send(DefaultNewsChannel, &discordgo.MessageSend{}), 50006, ""},
		{"reply to unknown message", send(DefaultNewsChannel, &discordgo.MessageSend{Content: "c", Reference: &discordgo.MessageReference{MessageID: "1"}}), 50035, "message_reference"},
		{"unknown channel", send("1", &discordgo.MessageSend{Content: "c"}), 10003, ""},
		{"forum takes no messages", send(DefaultForumChannel, &discordgo.MessageSend{Content: "c"}), 50008, ""},
		{"channel hidden from the bot", send(secretChannel, &discordgo.MessageSend{Content: "c"}), 50001, ""},
		{"channel denying SEND_MESSAGES", send(readonlyChannel, &discordgo.MessageSend{Content: "c"}), 50013, ""},
		{"unknown message", func(s *discordgo.Session) error { _, err := s.ChannelMessage(DefaultNewsChannel, "1"); return err }, 10008, ""},
		{"edit unknown message", func(s *discordgo.Session) error {
			_, err := s.ChannelMessageEdit(DefaultNewsChannel, "1", "x")
			return err
		}, 10008, ""},
		{"read hidden channel", func(s *discordgo.Session) error { _, err := s.Channel(secretChannel); return err }, 50001, ""},
		{"command name lower case passes", commands(cmd("quote", "d")), 0, ""},
		{"command name with capitals", commands(cmd("Quote", "d")), 50035, "0.name"},
		{"command name of 33", commands(cmd(a(33), "d")), 50035, "0.name"},
		{"command name with a space", commands(cmd("two words", "d")), 50035, "0.name"},
		{"command description empty", commands(cmd("quote", "")), 50035, "0.description"},
		{"command description 101", commands(cmd("quote", a(101))), 50035, "0.description"},
		{"25 options pass", commands(cmd("quote", "d", stringOptions(25)...)), 0, ""},
		{"26 options", commands(cmd("quote", "d", stringOptions(26)...)), 50035, "0.options"},
		{"25 choices pass", commands(cmd("quote", "d", withChoices(25))), 0, ""},
		{"26 choices", commands(cmd("quote", "d", withChoices(26))), 50035, "0.options.0.choices"},
		{"option name with capitals", commands(cmd("quote", "d", &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "Story", Description: "d"})), 50035, "0.options.0.name"},
		{"nonce of 25 passes", sendNonce(a(25)), 0, ""},
		{"nonce of 26", sendNonce(a(26)), 50035, "nonce"},
	}
}

func make10() []*discordgo.MessageEmbed {
	out := make([]*discordgo.MessageEmbed, 10)
	for i := range out {
		out[i] = &discordgo.MessageEmbed{Title: fmt.Sprint(i)}
	}
	return out
}

// nonceSend is the body the bot sends: discordgo's MessageSend has no nonce.
type nonceSend struct {
	discordgo.MessageSend
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

func sendWithNonce(s *discordgo.Session, ch, content, nonce string) (*discordgo.Message, error) {
	url := discordgo.EndpointChannelMessages(ch)
	body, err := s.RequestWithBucketID("POST", url, nonceSend{
		MessageSend: discordgo.MessageSend{Content: content, AllowedMentions: noMentions()}, Nonce: nonce, EnforceNonce: true,
	}, url)
	if err != nil {
		return nil, err
	}
	var m discordgo.Message
	return &m, json.Unmarshal(body, &m)
}

func sendNonce(nonce string) func(*discordgo.Session) error {
	return func(s *discordgo.Session) error {
		_, err := sendWithNonce(s, DefaultNewsChannel, "nonce test", nonce)
		return err
	}
}

// TestLimits sends the smallest request breaking each of Discord's limits
// through discordgo and expects Discord's code and the field it names, and
// the largest allowed one to pass. With the OpenAPI description present
// it runs again with body validation on, which must not change the codes.
func TestLimits(t *testing.T) {
	t.Parallel()
	for _, withSpec := range []bool{false, true} {
		opts := Options{Seed: limitsSeed()}
		var e *Emulator
		if withSpec {
			e = startEmu(t, opts)
			if e.spec == nil {
				continue
			}
		} else {
			e = Start(t, opts)
		}
		s := newSession(t, e)
		for _, tc := range limitCases() {
			t.Run(fmt.Sprintf("%s/openapi=%t", tc.name, withSpec), func(t *testing.T) {
				err := tc.do(s)
				if tc.code == 0 {
					if err != nil {
						t.Fatalf("want success, got %v", err)
					}
					return
				}
				if got := restCode(t, err); got != tc.code {
					t.Fatalf("code %d, want %d (%v)", got, tc.code, err)
				}
				if tc.at != "" && !hasFieldError(t, err, tc.at) {
					t.Errorf("no field error at %s in %v", tc.at, err)
				}
			})
		}
	}
}

// hasFieldError looks for {"errors":{…path…:{"_errors":[…]}}} in the body.
func hasFieldError(t *testing.T, err error, path string) bool {
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		return false
	}
	var body struct {
		Errors map[string]any `json:"errors"`
	}
	if json.Unmarshal(re.ResponseBody, &body) != nil {
		return false
	}
	node := any(body.Errors)
	for _, part := range strings.Split(path, ".") {
		m, ok := node.(map[string]any)
		if !ok {
			return false
		}
		node = m[part]
	}
	m, ok := node.(map[string]any)
	if !ok {
		return false
	}
	list, ok := m["_errors"].([]any)
	return ok && len(list) > 0
}
