package bot

import "strings"

// route is what Discord rate-limits a request by: its method and path
// with ids taken out (key), and the major parameter (channel, guild,
// webhook, interaction) whose buckets are separate.
type route struct {
	key    string
	major  string
	global bool // counts towards the bot's global limit
}

// routeOf reads the route of a request path, with or without /api/vN.
func routeOf(method, path string) route {
	path = strings.Trim(path, "/")
	if rest, ok := strings.CutPrefix(path, "api/"); ok {
		path = rest
		if v, after, ok := strings.Cut(path, "/"); ok && len(v) > 1 && v[0] == 'v' && digits(v[1:]) {
			path = after
		}
	}
	segs := strings.Split(path, "/")
	r := route{global: true}
	switch top := segs[0]; {
	case (top == "channels" || top == "guilds") && len(segs) > 1:
		r.major, segs[1] = segs[1], "{major}"
	case top == "webhooks" && len(segs) > 2:
		// A webhook with its token is not the bot's request: it has its
		// own limits and none of the bot's global.
		r.major, segs[1], segs[2] = segs[1]+"/"+segs[2], "{major}", "{token}"
		r.global = false
	case top == "webhooks" && len(segs) > 1:
		r.major, segs[1] = segs[1], "{major}"
	case top == "interactions" && len(segs) > 2:
		r.major, segs[1], segs[2] = segs[1], "{major}", "{token}"
		r.global = false
	}
	for i, s := range segs {
		switch {
		case digits(s):
			segs[i] = "{id}"
		case i > 0 && segs[i-1] == "reactions":
			segs[i] = "{emoji}"
		}
	}
	r.key = strings.ToUpper(method) + " /" + strings.Join(segs, "/")
	return r
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
