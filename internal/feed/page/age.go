package page

import (
	"strconv"
	"strings"
	"time"
)

// day, and the calendar lengths ages are counted in: pages that say "3mo
// ago" or "1y ago" round anyway, so a month is 30 days and a year 365.
const (
	day   = 24 * time.Hour
	week  = 7 * day
	month = 30 * day
	year  = 365 * day
)

// maxAge is the oldest a comment can be: comment threads on the web are not
// older than about thirty years, so "9892138d" cannot be an age.
const maxAge = 11000 * day

// ageUnit is one way pages write a unit of relative age.
type ageUnit struct {
	suffix  string
	size    time.Duration
	natural int // largest count a site shows before it moves to the next unit
}

// ageUnits lists the spellings, longest first so "mo" wins over "m" and
// "min" over "m".
var ageUnits = func() []ageUnit {
	var us []ageUnit
	add := func(size time.Duration, natural int, suffixes ...string) {
		for _, s := range suffixes {
			us = append(us, ageUnit{s, size, natural})
		}
	}
	add(time.Second, 59, "seconds", "second", "secs", "sec", "s")
	add(time.Minute, 59, "minutes", "minute", "mins", "min", "m")
	add(time.Hour, 47, "hours", "hour", "hrs", "hr", "h")
	add(day, int(maxAge/day), "days", "day", "d")
	add(week, 52, "weeks", "week", "wks", "wk", "w")
	add(month, 24, "months", "month", "mos", "mo")
	add(year, 30, "years", "year", "yrs", "yr", "y")
	// Longest first, so the shorter spellings only match what is left.
	for i := 1; i < len(us); i++ {
		for k := i; k > 0 && len(us[k].suffix) > len(us[k-1].suffix); k-- {
			us[k], us[k-1] = us[k-1], us[k]
		}
	}
	return us
}()

// cutUnit splits s ("sonic9892138d", "ChrisW3 hours") into what comes before
// the unit and the unit. The unit must follow a digit, perhaps after one
// space.
func cutUnit(s string) (string, ageUnit, bool) {
	lower := strings.ToLower(s)
	for _, u := range ageUnits {
		if !strings.HasSuffix(lower, u.suffix) {
			continue
		}
		rest := strings.TrimSuffix(s[:len(s)-len(u.suffix)], " ")
		if rest != "" && isDigit(rest[len(rest)-1]) {
			return rest, u, true
		}
	}
	return "", ageUnit{}, false
}

// parseAge reads a standalone relative age such as "2138d" or "3 hours".
func parseAge(s string) (time.Duration, bool) {
	digits, u, ok := cutUnit(strings.TrimSpace(s))
	if !ok {
		return 0, false
	}
	return count(digits, u)
}

// count converts a digit string in unit u into a duration, refusing leading
// zeros and anything older than maxAge.
func count(digits string, u ageUnit) (time.Duration, bool) {
	if digits == "" || len(digits) > maxAgeDigits || (len(digits) > 1 && digits[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	// Compare counts, not durations: 822176 days overflows a Duration.
	if err != nil || n < 0 || n > int64(maxAge/u.size) {
		return 0, false
	}
	return time.Duration(n) * u.size, true
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
