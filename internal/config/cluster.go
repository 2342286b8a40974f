package config

import (
	"time"

	"gopkg.in/yaml.v3"
)

// Cluster says how several bot processes on one PostgreSQL database
// share the work. Each process reads its own copy of this file (the file
// stays the truth), and claims a feed's poll or a channel's deliveries
// before doing it. With SQLite there is one process, and none of this
// applies.
type Cluster struct {
	// Lease is how long a process's claims outlive it when it stops
	// answering: its feeds and channels pass to another process then.
	Lease time.Duration
	// Name names the process in claims and logs; empty: its host name
	// and process id.
	Name string
	// DiscordRate is how many requests a second all the processes
	// together send to Discord's API: the bot's global limit, shared.
	DiscordRate int
}

// DefaultLease is cluster.lease when the config does not say.
const DefaultLease = 30 * time.Second

func (d *decoder) cluster(n *yaml.Node) Cluster {
	m := d.mapping(n, "cluster")
	d.allow(m, "cluster", "lease", "name", "discord_rate")
	out := Cluster{Lease: DefaultLease, DiscordRate: 50}
	set(&out.Lease)(d.duration(m.get("lease"), "cluster.lease", time.Second))
	set(&out.Name)(d.str(m.get("name"), "cluster.name"))
	set(&out.DiscordRate)(d.integer(m.get("discord_rate"), "cluster.discord_rate", 1))
	return out
}
