package main

import (
	"flag"
	"io"
	"strings"
	"testing"
)

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		args     []string
		undo     bool
		db, rest string
	}{
		{[]string{"3", "--undo"}, true, "x.db", "3"},
		{[]string{"--undo", "3"}, true, "x.db", "3"},
		{[]string{"3", "--db", "y.db", "4"}, false, "y.db", "3 4"},
		{[]string{"3", "--", "--undo"}, false, "x.db", "3 --undo"},
		{[]string{"--", "-5"}, false, "x.db", "-5"},
		{nil, false, "x.db", ""},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		undo := fs.Bool("undo", false, "")
		db := fs.String("db", "x.db", "")
		if err := parseInterspersed(fs, tt.args); err != nil {
			t.Fatalf("%q: %v", tt.args, err)
		}
		if *undo != tt.undo || *db != tt.db || strings.Join(fs.Args(), " ") != tt.rest {
			t.Errorf("%q: undo %v db %q args %q; want %v %q %q", tt.args, *undo, *db, fs.Args(), tt.undo, tt.db, tt.rest)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := parseInterspersed(fs, []string{"3", "--nope"}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown flag after an argument: %v", err)
	}
}
