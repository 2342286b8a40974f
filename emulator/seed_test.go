package emulator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const seedYAML = `
bot: {id: "200", username: "reporter"}
users:
  - {id: "300", username: "ed"}
  - {id: "301", username: "reader"}
guilds:
  - id: "400"
    name: Desk
    owner_id: "300"
    roles:
      - {id: "400", name: "@everyone", permissions: [VIEW_CHANNEL, SEND_MESSAGES, read_message_history]}
      - {id: "410", name: mods, permissions: "8192"}
    channels:
      - {id: "500", name: general}
      - {id: "501", name: staff, permission_overwrites: [{id: "400", type: 0, deny: [VIEW_CHANNEL]}, {id: "410", type: 0, allow: [VIEW_CHANNEL]}]}
      - {id: "502", name: ideas, type: 15}
      - {id: "503", name: old-thread, type: 11, parent_id: "500"}
    members:
      - {user_id: "301", roles: ["410"]}
`

func TestParseSeed(t *testing.T) {
	s, err := ParseSeed([]byte(seedYAML))
	if err != nil {
		t.Fatal(err)
	}
	if s.ApplicationID != "200" {
		t.Errorf("application id defaults to the bot's, got %q", s.ApplicationID)
	}
	st := newState(s, testTime)
	g := st.guilds["400"]
	general, staff, thread := st.channels["500"], st.channels["501"], st.channels["503"]
	cases := []struct {
		name string
		user string
		ch   *Channel
		want Permissions
	}{
		{"everyone in general", "200", general, PermViewChannel | PermSendMessages | PermReadMessageHistory},
		{"bot hidden from staff", "200", staff, 0},
		{"mod sees staff", "301", staff, PermViewChannel | PermSendMessages | PermReadMessageHistory | PermManageMessages},
		{"owner has everything", "300", staff, permAll},
		{"thread takes its parent's", "200", thread, PermViewChannel | PermSendMessages | PermReadMessageHistory},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := st.permissions(g, tc.user, tc.ch); got != tc.want {
				t.Errorf("permissions = %d; want %d", got, tc.want)
			}
		})
	}
}

func TestParseSeedErrors(t *testing.T) {
	base := `bot: {id: "1", username: b}
users: [{id: "2", username: u}]
guilds:
  - id: "3"
    name: g
`
	cases := []struct{ yaml, want string }{
		{"", "empty seed"},
		{`bot: {id: "x1", username: b}`, `bot id "x1" is not a snowflake`},
		{`bot: {id: "1", username: b}` + "\nbots: []", "field bots not found"},
		{base + `    channels: [{id: "4", name: t, type: 11}]`, "channel 4 (#t): thread needs parent_id"},
		{base + `    channels: [{id: "4", name: c, type: 2}]`, "type 2 is not supported"},
		{base + `    channels: [{id: "4", name: c}, {id: "4", name: d}]`, "channel 4: listed twice"},
		{base + `    members: [{user_id: "9"}]`, "member 9: not a known user"},
		{base + `    members: [{user_id: "2", roles: ["7"]}]`, "role 7 is not a role of this guild"},
		{base + `    roles: [{id: "5", name: r, permissions: [FLY]}]`, `unknown permission "FLY"`},
		{base + `    roles: [{id: "5", name: r, permissions: "-1"}]`, "want a non-negative number"},
		{base + `    channels: [{id: "4", name: c, permission_overwrites: [{id: "8", type: 0}]}]`, "overwrite for role 8: no such role"},
		{base + `    owner_id: "9"`, "owner_id 9 is not a known user"},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			_, err := ParseSeed([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v; want %q", err, tc.want)
			}
		})
	}
}

func TestSeedFileDrivesTheServer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "world.json")
	json := `{"bot":{"id":"200","username":"reporter"},"guilds":[{"id":"400","name":"Desk","channels":[{"id":"500","name":"general"}]}]}`
	if err := os.WriteFile(path, []byte(json), 0o600); err != nil {
		t.Fatal(err)
	}
	e := startEmu(t, Options{SeedFile: path})
	if chans := e.Channels(); len(chans) != 1 || chans[0].Name != "general" || e.BotUser().Username != "reporter" {
		t.Errorf("channels %+v, bot %+v", chans, e.BotUser())
	}
	if _, err := New(Options{SeedFile: filepath.Join(t.TempDir(), "missing.yaml")}); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing seed file: %v", err)
	}
}

func FuzzParseSeed(f *testing.F) {
	f.Add([]byte(seedYAML))
	f.Add([]byte(`{"bot":{"id":"1","username":"b"},"guilds":[{"id":"2","name":"g","channels":[{"id":"3","name":"c","type":11,"parent_id":"3"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSeed(data)
		if err != nil {
			return
		}
		st := newState(s, testTime) // a seed that parses must build a world
		for _, g := range st.guilds {
			for _, id := range g.channels {
				st.permissions(g, st.bot.ID, st.channels[id])
			}
		}
	})
}
