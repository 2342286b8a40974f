package config

import (
	"strings"
	"testing"
)

const testPublicKey = "6cbd7a4a1e7d0b1b4a5c1bd9cf7f8f3e2b1ff5d1b4e29c2a0e6f1d2a3b4c5d6e"

func TestScalingKeys(t *testing.T) {
	for _, tc := range []struct {
		name   string
		yaml   string
		shards Shards
		key    string
		listen string
	}{
		{"none: one unsharded session, no endpoint", "", Shards{}, "", ""},
		{"auto", "discord: {shards: auto}\n", Shards{Auto: true}, "", ""},
		{"a number", "discord: {shards: 4}\n", Shards{Count: 4}, "", ""},
		{"from the environment", "discord: {shards: \"${SHARDS}\"}\n", Shards{Count: 2}, "", ""},
		{"an endpoint with its key", "discord: {public_key: " + strings.ToUpper(testPublicKey) + "}\ninteractions: {listen: \"127.0.0.1:8080\"}\n",
			Shards{}, testPublicKey, "127.0.0.1:8080"},
		{"a key alone", "discord: {public_key: " + testPublicKey + "}\n", Shards{}, testPublicKey, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := mustParse(t, tc.yaml+oneFeed(""), map[string]string{"SHARDS": "2"})
			if cfg.Discord.Shards != tc.shards || cfg.Discord.PublicKey != tc.key || cfg.Interactions.Listen != tc.listen {
				t.Errorf("shards %+v, public key %q, listen %q; want %+v, %q, %q",
					cfg.Discord.Shards, cfg.Discord.PublicKey, cfg.Interactions.Listen, tc.shards, tc.key, tc.listen)
			}
		})
	}
}

func TestScalingKeyErrors(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"no shards", "discord: {shards: 0}\n", `config.yaml:1: discord.shards: "0" is neither auto nor a number of shards (1 or more)`},
		{"a word", "discord: {shards: many}\n", `config.yaml:1: discord.shards: "many" is neither auto nor a number`},
		{"short key", "discord: {public_key: abc123}\n", `config.yaml:1: discord.public_key: is not an Ed25519 public key: want the 64 hex digits`},
		{"endpoint without a key", "interactions: {listen: \":8080\"}\n", `config.yaml:1: interactions.listen: needs discord.public_key`},
		{"not an address", "discord: {public_key: " + testPublicKey + "}\ninteractions: {listen: \"8080\"}\n",
			`config.yaml:2: interactions.listen: "8080" is not an address to listen on such as 127.0.0.1:8080`},
		{"a typo", "interactions: {listne: \":8080\"}\n", `config.yaml:1: interactions: unknown key "listne" (did you mean "listen"?)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml+oneFeed("")), "config.yaml", nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v; want %q", err, tc.want)
			}
		})
	}
}

func TestSummaryShowsScaling(t *testing.T) {
	cfg := mustParse(t, "discord: {shards: 2, public_key: "+testPublicKey+"}\ninteractions: {listen: \":8080\"}\n"+oneFeed(""), nil)
	s := cfg.Summary()
	for _, want := range []string{"shards    2 (`run --shard-ids`", "also received over HTTP on :8080"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	if s := mustParse(t, oneFeed(""), nil).Summary(); strings.Contains(s, "shards") || strings.Contains(s, "HTTP") {
		t.Errorf("a config without the keys mentions them:\n%s", s)
	}
}
