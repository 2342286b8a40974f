package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunRefusesToStartWithoutWhatItNeeds(t *testing.T) {
	dir := t.TempDir()
	noToken := filepath.Join(dir, "config.yaml")
	os.WriteFile(noToken, []byte("discord:\n  token: ${NEWSBOT_TEST_UNSET_TOKEN}\ndatabase: news.db\nfeeds: []\n"), 0o644)
	typo := filepath.Join(dir, "typo.yaml")
	os.WriteFile(typo, []byte("discord:\n  token: x\nfeeds:\n  - id: world\n    urll: http://example.com/feed.xml\n"), 0o644)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no config flag", []string{"run"}, 2, "--config FILE is required"},
		{"missing file", []string{"run", "--config", filepath.Join(dir, "nope.yaml")}, 1, "nope.yaml"},
		{"typo in the file", []string{"run", "--config", typo}, 1, `typo.yaml:5`},
		{"no token", []string{"run", "--config", noToken}, 1, "no Discord token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := run(t, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, tc.code, tc.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "news.db")); err == nil {
		t.Error("a bot that refused to start still created its database")
	}
}
