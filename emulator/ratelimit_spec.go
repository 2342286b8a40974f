package emulator

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DiscordRateLimit is Discord's own limits, as far as a bot meets them: 50
// requests a second across the bot, and 5 per 5 s per channel to create
// or edit messages, which is what Discord's X-RateLimit headers announce
// for those routes. Other routes keep the emulator's default of 50 a
// second per bucket.
func DiscordRateLimit() RateLimit {
	perChannel := Limit{Requests: 5, Window: 5 * time.Second}
	return RateLimit{Requests: 50, Window: time.Second, Global: 50, Routes: map[string]Limit{
		"POST /channels/{channel_id}/messages":               perChannel,
		"PATCH /channels/{channel_id}/messages/{message_id}": perChannel,
	}}
}

// rateLimitPresets are the names ParseRateLimit knows.
var rateLimitPresets = map[string]func() RateLimit{
	"default": func() RateLimit { return RateLimit{} },
	"discord": DiscordRateLimit,
	"off":     func() RateLimit { return RateLimit{Disabled: true} },
}

// ParseRateLimit reads limits written as on `newsbot emulator
// --rate-limits`: comma-separated items, each a preset (default, discord,
// off; a preset starts over, so it comes first) or a setting:
//
//	global=N              the bot's requests per second across routes (0: none)
//	requests=N/WINDOW     every bucket's size, e.g. 50/1s
//	METHOD /ROUTE=N/WINDOW one route's bucket, e.g. POST /channels/{channel_id}/messages=5/5s
//
// For example "discord,global=100" or "requests=10/1s,global=20".
func ParseRateLimit(spec string) (RateLimit, error) {
	var rl RateLimit
	if strings.TrimSpace(spec) == "" {
		return rl, fmt.Errorf("rate limits: empty; want a preset (%s) or settings such as global=50", presetNames())
	}
	for i, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if preset, ok := rateLimitPresets[item]; ok {
			if i > 0 {
				return RateLimit{}, fmt.Errorf("rate limits %q: preset %q must come first (it sets every limit)", spec, item)
			}
			rl = preset()
			continue
		}
		key, value, ok := strings.Cut(item, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if !ok || key == "" {
			return RateLimit{}, fmt.Errorf("rate limits %q: %q is neither a preset (%s) nor a setting NAME=VALUE", spec, item, presetNames())
		}
		if err := rl.set(key, value); err != nil {
			return RateLimit{}, fmt.Errorf("rate limits %q: %w", spec, err)
		}
	}
	return rl, nil
}

func (r *RateLimit) set(key, value string) error {
	switch key {
	case "global":
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 {
			return fmt.Errorf("global=%s: want a number of requests per second, 0 for none", value)
		}
		r.Global = n
		if n == 0 {
			r.Global = -1
		}
		return nil
	case "requests":
		lim, err := parseLimit(value)
		if err != nil {
			return fmt.Errorf("requests=%s: %w", value, err)
		}
		r.Requests, r.Window = lim.Requests, lim.Window
		return nil
	}
	method, path, _ := strings.Cut(key, " ")
	name := strings.ToUpper(method) + " " + strings.TrimSpace(path)
	if !slices.Contains(routeNames(), name) {
		return fmt.Errorf("%q is not a setting (global, requests) nor a route the emulator serves, written like \"POST /channels/{channel_id}/messages\"", key)
	}
	lim, err := parseLimit(value)
	if err != nil {
		return fmt.Errorf("%s=%s: %w", name, value, err)
	}
	if r.Routes == nil {
		r.Routes = map[string]Limit{}
	}
	r.Routes[name] = lim
	return nil
}

// parseLimit reads "N/WINDOW", e.g. "5/5s".
func parseLimit(s string) (Limit, error) {
	n, w, ok := strings.Cut(s, "/")
	requests, err := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err != nil || requests <= 0 {
		return Limit{}, fmt.Errorf("want REQUESTS/WINDOW with REQUESTS a positive number, such as 5/5s")
	}
	window, err := time.ParseDuration(strings.TrimSpace(w))
	if err != nil || window <= 0 || window > 24*time.Hour {
		return Limit{}, fmt.Errorf("window %q: want a duration such as 5s or 250ms, at most 24h", w)
	}
	return Limit{Requests: requests, Window: window}, nil
}

// String writes r as ParseRateLimit reads it.
func (r RateLimit) String() string {
	if r.Disabled {
		return "off"
	}
	d := r
	d.defaults()
	global := d.Global
	if global < 0 {
		global = 0
	}
	items := []string{fmt.Sprintf("requests=%d/%v", d.Requests, d.Window), fmt.Sprintf("global=%d", global)}
	for _, name := range slices.Sorted(maps.Keys(r.Routes)) {
		lim := r.Routes[name]
		items = append(items, fmt.Sprintf("%s=%d/%v", name, lim.Requests, lim.Window))
	}
	return strings.Join(items, ",")
}

func presetNames() string {
	return strings.Join(slices.Sorted(maps.Keys(rateLimitPresets)), ", ")
}

// routeNames are the routes the emulator serves, as RateLimit.Routes keys
// them.
func routeNames() []string {
	var names []string
	for _, rt := range apiRoutes() {
		names = append(names, rt.name())
	}
	return names
}
