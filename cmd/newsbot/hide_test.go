package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/store"
)

func TestHide(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	if code, _, errOut := run(t, "import", "--db", db, "--now", now, fixture("council.txt")); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	deleted := func() bool {
		t.Helper()
		s, err := store.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		st, err := s.Story(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		return st.Deleted
	}

	steps := []struct {
		args        []string
		code        int
		out, errOut string
		deleted     bool
	}{
		{[]string{"1"}, 0, "story 1 hidden: City council approves the new bridge", "", true},
		{[]string{"--undo", "1"}, 0, "story 1 restored: City council approves the new bridge", "", false},
		{[]string{"99"}, 1, "", "story 99", false},
		{[]string{"abc"}, 2, "", `not "abc"`, false},
		{[]string{}, 2, "", "exactly one STORY", false},
	}
	for _, st := range steps {
		t.Run(strings.Join(st.args, " "), func(t *testing.T) {
			code, out, errOut := run(t, append([]string{"hide", "--db", db}, st.args...)...)
			if code != st.code || !strings.Contains(out, st.out) || !strings.Contains(errOut, st.errOut) {
				t.Errorf("exit %d, out %q, err %q; want exit %d, out with %q, err with %q",
					code, out, errOut, st.code, st.out, st.errOut)
			}
			if got := deleted(); got != st.deleted {
				t.Errorf("story 1 deleted = %v, want %v", got, st.deleted)
			}
		})
	}
}

// TestMissingDatabase: a mistyped --db is named, and no empty database is
// left behind in its place.
func TestMissingDatabase(t *testing.T) {
	for _, cmd := range []string{"comments", "hide", "ask"} {
		t.Run(cmd, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "typo.db")
			arg := "1"
			if cmd == "ask" {
				arg = "/quote story:1"
			}
			code, _, errOut := run(t, cmd, "--db", db, arg)
			if code != 1 || !strings.Contains(errOut, "typo.db does not exist") {
				t.Errorf("exit %d, stderr %q; want exit 1 naming typo.db", code, errOut)
			}
			if _, err := os.Stat(db); !os.IsNotExist(err) {
				t.Errorf("%s was created: %v", db, err)
			}
		})
	}
}

// Flags may follow the story id, as people type them.
func TestHideUndoAfterTheArgument(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	if code, _, errOut := run(t, "import", "--db", db, "--now", now, fixture("council.txt")); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	for _, args := range [][]string{{"hide", "1", "--db", db}, {"hide", "1", "--undo", "--db", db}} {
		code, out, errOut := run(t, args...)
		if code != 0 {
			t.Fatalf("%q: exit %d: %s", args, code, errOut)
		}
		if want := map[bool]string{false: "story 1 hidden", true: "story 1 restored"}[args[2] == "--undo"]; !strings.HasPrefix(out, want) {
			t.Errorf("%q: %q, want %q", args, out, want)
		}
	}
}
