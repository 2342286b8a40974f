package page

import (
	"testing"
	"time"
)

func TestParseCommentTime(t *testing.T) {
	ago := func(d time.Duration) time.Time { return testNow.Add(-d) }
	date := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time // zero: not a time
	}{
		{"2020-10-19T08:00:00+02:00", date(2020, 10, 19, 6, 0)},
		{"2020-10-19T08:00:00.123Z", date(2020, 10, 19, 8, 0).Add(123 * time.Millisecond)},
		{"2020-10-19 08:00:00", date(2020, 10, 19, 8, 0)},
		{"2020-10-19 08:00", date(2020, 10, 19, 8, 0)},
		{"October 19, 2020 at 8:00 am", date(2020, 10, 19, 8, 0)},
		{"October 19, 2020 at 8:00 pm", date(2020, 10, 19, 20, 0)},
		{"Mon, Oct 19, 2020 8:00PM", date(2020, 10, 19, 20, 0)},
		{"Oct. 19, 2020, 3:05 p.m.", date(2020, 10, 19, 15, 5)},
		{"Sept 19 2020", time.Time{}}, // "Sept" is no abbreviation Go knows; refused, not guessed
		{"19 October 2020 14:30", date(2020, 10, 19, 14, 30)},
		{"19 Oct 2020", date(2020, 10, 19, 0, 0)},
		{"10/19/2020 8:00 AM", date(2020, 10, 19, 8, 0)},
		{"19/10/2020", date(2020, 10, 19, 0, 0)},
		{"Tue, 20 Oct 2020 09:00:00 GMT", date(2020, 10, 20, 9, 0)},
		{"1603094400", time.Unix(1603094400, 0).UTC()},
		{"1603094400123", time.UnixMilli(1603094400123).UTC()},
		{"3 hours ago", ago(3 * time.Hour)},
		{"2d ago", ago(48 * time.Hour)},
		{"45m ago", ago(45 * time.Minute)},
		{"an hour ago", ago(time.Hour)},
		{"a day ago", ago(24 * time.Hour)},
		{"Posted 3 hours ago", ago(3 * time.Hour)},
		{"2 days, 3 hours ago", ago(51 * time.Hour)},
		{"1 week and 2 days ago", ago(9 * 24 * time.Hour)},
		{"3\u00a0hours ago", ago(3 * time.Hour)},
		{"just now", testNow},
		{"Yesterday", ago(24 * time.Hour)},
		{"a few minutes ago", time.Time{}},
		{"99999 years ago", time.Time{}},
		{"ago", time.Time{}},
		{"2020", time.Time{}},
		{"sometime last week", time.Time{}},
		{"", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseCommentTime(tt.in, testNow)
			if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
				t.Errorf("parseCommentTime(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
			}
			if ok && got.Location() != time.UTC {
				t.Errorf("parseCommentTime(%q) is in %v, want UTC", tt.in, got.Location())
			}
		})
	}
}
