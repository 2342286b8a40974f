package emulator

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseRateLimit(t *testing.T) {
	msgs := "POST /channels/{channel_id}/messages"
	for _, tc := range []struct {
		spec string
		want RateLimit
	}{
		{"default", RateLimit{}},
		{"off", RateLimit{Disabled: true}},
		{"discord", DiscordRateLimit()},
		{"discord, global=100", func() RateLimit { r := DiscordRateLimit(); r.Global = 100; return r }()},
		{"global=0", RateLimit{Global: -1}},
		{"requests=10/250ms,global=20," + msgs + "=5/5s",
			RateLimit{Requests: 10, Window: 250 * time.Millisecond, Global: 20, Routes: map[string]Limit{msgs: {5, 5 * time.Second}}}},
		{"post /channels/{channel_id}/messages=1/1m", RateLimit{Routes: map[string]Limit{msgs: {1, time.Minute}}}},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			got, err := ParseRateLimit(tc.spec)
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseRateLimit(%q) = %+v, %v; want %+v", tc.spec, got, err, tc.want)
			}
		})
	}
	for _, tc := range []struct{ spec, msg string }{
		{"", "empty; want a preset (default, discord, off)"},
		{"fast", `"fast" is neither a preset`},
		{"global=50,discord", `preset "discord" must come first`},
		{"global=-1", "global=-1: want a number of requests per second, 0 for none"},
		{"requests=0/1s", "want REQUESTS/WINDOW with REQUESTS a positive number"},
		{"requests=5/soon", `window "soon": want a duration`},
		{"requests=5/-1s", `window "-1s"`},
		{"GET /nowhere=1/1s", `"GET /nowhere" is not a setting (global, requests) nor a route the emulator serves`},
		{"=5/5s", `"=5/5s" is neither a preset`},
	} {
		t.Run("bad "+tc.spec, func(t *testing.T) {
			_, err := ParseRateLimit(tc.spec)
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("ParseRateLimit(%q) error %v; want one with %q", tc.spec, err, tc.msg)
			}
		})
	}
}

// FuzzParseRateLimit: any spec is read or refused with an error, and what
// is read is written back as a spec that reads the same.
func FuzzParseRateLimit(f *testing.F) {
	for _, s := range []string{"discord", "off", "default,global=7", "requests=3/2s,POST /channels/{channel_id}/messages=5/5s", "global=0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		rl, err := ParseRateLimit(spec)
		if err != nil {
			return
		}
		again, err := ParseRateLimit(rl.String())
		if err != nil {
			t.Fatalf("%q read as %+v, written %q, which does not read: %v", spec, rl, rl.String(), err)
		}
		if rl.Disabled {
			if !again.Disabled {
				t.Fatalf("%q: off written as %q", spec, rl.String())
			}
			return
		}
		rl.defaults()
		again.defaults()
		if len(rl.Routes) == 0 {
			rl.Routes = nil
		}
		if !reflect.DeepEqual(rl, again) {
			t.Fatalf("%q read as %+v, written %q, read back as %+v", spec, rl, rl.String(), again)
		}
	})
}
