package revision

import (
	"testing"
	"unicode/utf8"
)

func TestTitleKey(t *testing.T) {
	base := "north korea denies attacking sony offers to help investigate"
	tests := []struct{ in, want string }{
		{"North Korea denies attacking Sony, offers to help investigate", base},
		{"North Korea denies attacking Sony, offers to help investigate (updated)", base},
		{"North Korea denies attacking Sony, offers to help investigate [Update]", base},
		{"UPDATE: North Korea denies attacking Sony, offers to help investigate", base},
		{"Updated: North Korea denies attacking Sony, offers to help investigate", base},
		{"UPDATE 2: North Korea denies attacking Sony — offers to help investigate", base},
		{"North Korea denies attacking Sony, offers to help investigate (corrected)", base},
		{"Exclusive: North Korea denies attacking Sony; offers to help investigate", base},
		{"BREAKING: North Korea denies attacking Sony, offers to help investigate", base},
		{"BREAKING NEWS — North Korea denies attacking Sony, offers to help investigate", base},
		{"North Korea denies attacking Sony, offers to help investigate - Updated", base},
		{"North Korea denies attacking Sony (Updated 3:45 p.m. ET), offers to help investigate", base},
		{"  North\u00a0Korea   denies attacking Sony, offers to help investigate  ", base},
		{"“North Korea” denies attacking Sony, offers to help investigate", base},
		{"Apple releases iOS 17.1", "apple releases ios 17.1"},
		{"Apple releases iOS 17.2", "apple releases ios 17.2"},
		{"U.S. says it won't rejoin", "us says it wont rejoin"},
		{"Café owner’s crème brûlée wins", "cafe owners creme brulee wins"},
		{"ÉLECTIONS À PARIS", "elections a paris"},
		{"Update", "update"},
		{"UPDATE:", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := TitleKey(tt.in); got != tt.want {
				t.Errorf("TitleKey(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTitleChanged(t *testing.T) {
	tests := []struct {
		old, new string
		want     bool
	}{
		{"Sony ships 4.1 million Move controllers", "Sony ships 4.1 million Move controllers (updated)", false},
		{"Sony ships 4.1 million Move controllers", "Sony ships 4.1 million Move controllers to retailers", true},
		{"Apple releases iOS 17.1", "Apple releases iOS 17.2", true},
		{`Minister "resigns"`, "Minister “resigns”", false},
		{"Minister resigns", "Minister resigns, then returns", true},
	}
	for _, tt := range tests {
		if got := TitleChanged(tt.old, tt.new); got != tt.want {
			t.Errorf("TitleChanged(%q, %q) = %v, want %v", tt.old, tt.new, got, tt.want)
		}
	}
}

func FuzzTitleKey(f *testing.F) {
	for _, s := range []string{"UPDATE 2: x (updated) [Update] - Updated", "U.S. 17.1 don't", "(((((", "é\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := TitleKey(s)
		if !utf8.ValidString(k) {
			t.Fatalf("TitleKey(%q) = %q, not valid UTF-8", s, k)
		}
		if again := TitleKey(k); again != k {
			t.Fatalf("TitleKey not idempotent: %q → %q → %q", s, k, again)
		}
		if TitleChanged(s, s) {
			t.Fatalf("TitleChanged(%q, itself) = true", s)
		}
	})
}
