package dates

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"2020-11-01T10:30:00Z", utc(2020, 11, 1, 10, 30)},
		{" Sun, 01 Nov 2020 10:30:00 +0000 ", utc(2020, 11, 1, 10, 30)},
		{"Sun, 1 Nov 2020 10:30:00 +0000", utc(2020, 11, 1, 10, 30)},
		{"2020-11-01 10:30:00", utc(2020, 11, 1, 10, 30)},
		{"2020-11-01", utc(2020, 11, 1, 0, 0)},
		{"03/04/2020", utc(2020, 3, 4, 0, 0)},
		{"November 1, 2020", utc(2020, 11, 1, 0, 0)},
		{"1 Nov 2020", utc(2020, 11, 1, 0, 0)},
	} {
		got, ok := Parse(tc.in)
		if !ok || !got.Equal(tc.want) {
			t.Errorf("Parse(%q) = %v, %v; want %v", tc.in, got, ok, tc.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "Marta K.", "32/13/2020"} {
		if got, ok := Parse(bad); ok {
			t.Errorf("Parse(%q) = %v; want no date", bad, got)
		}
	}
}
