package config

import (
	"strconv"
	"strings"
	"testing"
)

// TestTokenInTheWrongFieldIsNotEchoed: a ${DISCORD_TOKEN} written in a
// field that rejects it is reported by reference, never by value.
func TestTokenInTheWrongFieldIsNotEchoed(t *testing.T) {
	fields := map[string]string{
		"guild_id":       "discord:\n  guild_id: ${DISCORD_TOKEN}\n",
		"application_id": "discord:\n  application_id: ${DISCORD_TOKEN}\n",
		"api_url":        "discord:\n  api_url: ${DISCORD_TOKEN}\n",
		"timezone":       "timezone: ${DISCORD_TOKEN}\n",
		"log level":      "log:\n  level: ${DISCORD_TOKEN}\n",
		"fetch timeout":  "fetch:\n  timeout: ${DISCORD_TOKEN}\n",
		"max body":       "fetch:\n  max_body: ${DISCORD_TOKEN}\n",
		"allow_private":  "fetch:\n  allow_private: ${DISCORD_TOKEN}\n",
		"channel":        "feeds:\n  - id: a\n    url: a.xml\n    channels: [\"${DISCORD_TOKEN}\"]\n",
		"feed id":        "feeds:\n  - id: ${DISCORD_TOKEN}\n    url: a.xml\n    channels: [\"100000000000000001\"]\n",
		"feed url":       "feeds:\n  - id: a\n    url: \"ftp://${DISCORD_TOKEN}\"\n    channels: [\"100000000000000001\"]\n",
		"schedule":       "feeds:\n  - id: a\n    url: a.xml\n    channels: [\"100000000000000001\"]\n    schedule: ${DISCORD_TOKEN}\n",
		"include":        "feeds:\n  - id: a\n    url: a.xml\n    channels: [\"100000000000000001\"]\n    include: [\"(${DISCORD_TOKEN}\"]\n",
		"template":       "feeds:\n  - id: a\n    url: a.xml\n    channels: [\"100000000000000001\"]\n    template: \"{{${DISCORD_TOKEN}\"\n",
		"kind":           "feeds:\n  - id: a\n    url: a.xml\n    channels: [\"100000000000000001\"]\n    kind: ${DISCORD_TOKEN}\n",
	}
	for _, token := range []string{
		"MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs",
		`tok"en\with-quotes`,
	} {
		for name, yaml := range fields {
			t.Run(name, func(t *testing.T) {
				_, err := Parse([]byte(yaml), "config.yaml", envOf(map[string]string{"DISCORD_TOKEN": token}))
				if err == nil {
					t.Fatalf("no error for the token in %s", name)
				}
				msg := err.Error()
				for _, leak := range []string{token, strings.Trim(quoteGo(token), `"`), token[:minEchoed], token[len(token)-minEchoed:]} {
					if strings.Contains(msg, leak) {
						t.Errorf("the error shows the token (%q):\n%s", leak, msg)
					}
				}
				// (The scheme error and the template parser's complaint about
				// a quote do not involve the value at all.)
				if name != "feed url" && !strings.Contains(token, `"`) && !strings.Contains(msg, "${DISCORD_TOKEN}") {
					t.Errorf("the error does not say where the value came from:\n%s", msg)
				}
			})
		}
	}
}

// TestShortValuesStayInMessages: a short, harmless value is still shown,
// so the message stays useful.
func TestShortValuesStayInMessages(t *testing.T) {
	_, err := Parse([]byte("log:\n  level: ${LEVEL}\n"), "config.yaml", envOf(map[string]string{"LEVEL": "loud"}))
	if err == nil || !strings.Contains(err.Error(), `"loud"`) {
		t.Errorf("err = %v, want it to show the value", err)
	}
}

func quoteGo(s string) string { return strconv.Quote(s) }
