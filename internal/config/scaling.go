package config

import (
	"encoding/hex"
	"net"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Shards is discord.shards: how many gateway sessions Discord's guilds
// are split over. The zero value is one unsharded session.
type Shards struct {
	Auto  bool // as many as Discord recommends (GET /gateway/bot) at start
	Count int  // a fixed total, at least 1; 0 with Auto false: not sharded
}

// Sharded reports whether the key was set at all.
func (s Shards) Sharded() bool { return s.Auto || s.Count > 0 }

func (s Shards) String() string {
	switch {
	case s.Auto:
		return "auto"
	case s.Count > 0:
		return strconv.Itoa(s.Count)
	}
	return "none"
}

// Interactions is where slash commands may arrive over HTTP instead of
// the gateway.
type Interactions struct {
	// Listen is the host:port the endpoint listens on; empty: no endpoint.
	Listen string
}

func (d *decoder) shards(n *yaml.Node) Shards {
	s, ok := d.str(n, "discord.shards")
	s = strings.TrimSpace(s)
	if !ok || s == "" {
		return Shards{}
	}
	if strings.EqualFold(s, "auto") {
		return Shards{Auto: true}
	}
	count, err := strconv.Atoi(s)
	if err != nil || count < 1 {
		d.errorf(n, "discord.shards", "%q is neither auto nor a number of shards (1 or more)", s)
		return Shards{}
	}
	return Shards{Count: count}
}

// publicKey reads the application's Ed25519 public key as the Developer
// Portal shows it: 64 hex digits.
func (d *decoder) publicKey(n *yaml.Node) string {
	s, ok := d.str(n, "discord.public_key")
	s = strings.ToLower(strings.TrimSpace(s))
	if !ok || s == "" {
		return ""
	}
	if b, err := hex.DecodeString(s); err != nil || len(b) != 32 {
		d.errorf(n, "discord.public_key", "is not an Ed25519 public key: want the 64 hex digits the Developer Portal shows as the application's Public Key")
		return ""
	}
	return s
}

func (d *decoder) interactions(n *yaml.Node, publicKey string) Interactions {
	m := d.mapping(n, "interactions")
	d.allow(m, "interactions", "listen")
	var out Interactions
	s, ok := d.str(m.get("listen"), "interactions.listen")
	if !ok || strings.TrimSpace(s) == "" {
		return out
	}
	s = strings.TrimSpace(s)
	if _, port, err := net.SplitHostPort(s); err != nil || port == "" {
		d.errorf(m.get("listen"), "interactions.listen", "%q is not an address to listen on such as 127.0.0.1:8080 or :8080", s)
		return out
	}
	if publicKey == "" {
		d.errorf(m.get("listen"), "interactions.listen", "needs discord.public_key, the application's Public Key from the Developer Portal, to check that requests come from Discord")
		return out
	}
	out.Listen = s
	return out
}
