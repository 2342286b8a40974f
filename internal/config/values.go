package config

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"
)

var feedIDPattern = regexp.MustCompile(`^[a-z0-9_-]{1,32}$`)

func (d *decoder) feedID(n *yaml.Node, path string) (string, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return "", false
	}
	if !feedIDPattern.MatchString(s) {
		d.errorf(n, path, "%q is not a feed id (1–32 of a-z, 0-9, _ and -)", s)
		return "", false
	}
	return s, true
}

var schemePattern = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9+.-]*)://`)

// feedURL reads an http(s) URL or a local file path; relative paths are
// resolved against dir, the config file's directory.
func (d *decoder) feedURL(n *yaml.Node, path, dir string) (string, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return "", false
	}
	s = strings.TrimSpace(s)
	m := schemePattern.FindStringSubmatch(s)
	switch {
	case s == "":
		d.errorf(n, path, "must not be empty (an http(s) URL or a file path)")
	case isHTTP(s):
		return d.httpURL(n, path, s), checkHTTP(s) == nil
	case m == nil:
		return resolvePath(s, dir), true
	case strings.EqualFold(m[1], "file"):
		u, err := url.Parse(s)
		if err == nil && (u.Host == "" || u.Host == "localhost") && filepath.IsAbs(u.Path) {
			return filepath.Clean(u.Path), true
		}
		d.errorf(n, path, "%q: a file URL needs an absolute path (file:///path/to/feed.xml)", s)
	default:
		d.errorf(n, path, "unsupported URL scheme %q (want http, https or a file path)", m[1])
	}
	return "", false
}

func resolvePath(p, dir string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

func (d *decoder) schedule(n *yaml.Node, path string) (string, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return "", false
	}
	s = strings.TrimSpace(s)
	sched, err := parseSchedule(s)
	if err == nil && neverFires(sched) {
		err = errors.New("it never fires")
	}
	if err != nil {
		d.wrap(n, path, fmt.Sprintf("bad cron expression %q", s), err)
		return "", false
	}
	return s, true
}

// parseSchedule is cron.ParseStandard with the inputs it mishandles
// caught first: it panics on a bare "CRON_TZ=zone", and runs "@every -5s"
// every second. (It also rounds "@every 100ms" up to 1s, which is allowed:
// any spec cron accepts is a valid schedule.)
func parseSchedule(spec string) (s cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("cannot parse: %v", r)
		}
	}()
	if (strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=")) && !strings.Contains(spec, " ") {
		return nil, errors.New("a schedule must follow the time zone (CRON_TZ=Europe/Berlin 0 9 * * *)")
	}
	if rest, ok := strings.CutPrefix(spec, "@every "); ok {
		if d, err := time.ParseDuration(strings.TrimSpace(rest)); err == nil && d <= 0 {
			return nil, fmt.Errorf("@every needs a positive duration, got %s", d)
		}
	}
	if err := checkSteps(spec); err != nil {
		return nil, err
	}
	return cron.ParseStandard(spec)
}

// neverFires reports a day-of-month that no listed month has ("0 0 30 2
// *"). It reads the schedule rather than calling Next, because Next can
// loop forever around some time zones' skipped days (Pacific/Apia, 2011).
func neverFires(s cron.Schedule) bool {
	spec, ok := s.(*cron.SpecSchedule)
	const star = 1 << 63
	if !ok || spec.Dom&star != 0 || spec.Dow&star == 0 {
		return false // cron ORs a restricted day-of-week with the day of month
	}
	daysIn := [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	for m := 1; m <= 12; m++ {
		for d := 1; d <= daysIn[m]; d++ {
			if spec.Month&(1<<m) != 0 && spec.Dom&(1<<d) != 0 {
				return false
			}
		}
	}
	return true
}

var cronFields = []struct {
	name string
	max  int // largest step that can fire more than once
}{{"minute", 59}, {"hour", 23}, {"day-of-month", 30}, {"month", 11}, {"day-of-week", 6}}

// checkSteps rejects steps that cron accepts but that cannot mean what
// was meant: "*/61" in the minute field fires once an hour, at minute 0.
func checkSteps(spec string) error {
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		_, spec, _ = strings.Cut(spec, " ")
	}
	fields := strings.Fields(spec)
	if len(fields) != len(cronFields) {
		return nil
	}
	for i, field := range fields {
		for _, part := range strings.Split(field, ",") {
			_, step, ok := strings.Cut(part, "/")
			if n, err := strconv.Atoi(step); ok && err == nil && n > cronFields[i].max {
				return fmt.Errorf("%s step %d is too large (at most %d)", cronFields[i].name, n, cronFields[i].max)
			}
		}
	}
	return nil
}

// NextRun returns when the feed's schedule next fires after t, in t's
// location (pass now.In(cfg.Location)) unless the spec names its own
// CRON_TZ. It is the zero time when the schedule never fires.
func (f Feed) NextRun(t time.Time) (time.Time, error) {
	s, err := parseSchedule(f.Schedule)
	if err != nil {
		return time.Time{}, fmt.Errorf("feed %s: schedule %q: %w", f.ID, f.Schedule, err)
	}
	return s.Next(t), nil
}

func (d *decoder) regexps(n *yaml.Node, path string) *[]*regexp.Regexp {
	items, ok := d.list(n, path)
	if !ok {
		return nil
	}
	out := []*regexp.Regexp{}
	for i, item := range items {
		p := fmt.Sprintf("%s[%d]", path, i)
		s, ok := d.str(item, p)
		if !ok {
			continue
		}
		re, err := regexp.Compile(s)
		if err != nil {
			d.wrap(item, p, fmt.Sprintf("bad regex %q", s), err)
			continue
		}
		out = append(out, re)
	}
	return &out
}
