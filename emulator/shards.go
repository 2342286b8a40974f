package emulator

import (
	"encoding/json"
	"strconv"
	"time"
)

// Gateway sharding as Discord does it: GET /gateway/bot recommends a
// shard count and says how many shards may identify at once
// (session_start_limit.max_concurrency); a session identifies as shard
// [id, count] and receives only the events of guilds with
// (guild_id >> 22) % count == id, plus, on shard 0, those of no guild.
// An impossible shard is closed with 4010, a session that would hold too
// many guilds with 4011.

// Discord's figures.
const (
	maxGuildsPerShard   = 2500 // beyond this a session must shard (4011)
	guildsPerShardHint  = 1000 // GET /gateway/bot recommends a shard per this many guilds
	sessionStartTotal   = 1000 // identifies allowed per day
	sessionStartResetMS = 24 * 60 * 60 * 1000
)

// unsharded is how a session that identified without a shard counts:
// shard 0 of 1, holding every guild.
var unsharded = [2]int{0, 1}

// ShardOf is the shard that receives a guild's events among shards:
// (guild_id >> 22) % shards, Discord's formula. A bot's tests use it to
// pick guild ids that land on the shards they mean.
func ShardOf(guildID string, shards int) int {
	id, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil || shards <= 1 {
		return 0
	}
	return int((id >> 22) % uint64(shards))
}

func (o *Options) shardDefaults() {
	if o.MaxGuildsPerShard <= 0 {
		o.MaxGuildsPerShard = maxGuildsPerShard
	}
	if o.MaxConcurrency <= 0 {
		o.MaxConcurrency = 1
	}
}

// recommendedShards is GET /gateway/bot's "shards": Options.Shards, or a
// shard per 1000 guilds and never fewer than MaxGuildsPerShard requires.
// Caller holds s.mu.
func (s *Server) recommendedShards() int {
	if s.opts.Shards > 0 {
		return s.opts.Shards
	}
	n := len(s.st.guildOrder)
	return max(1, ceilDiv(n, guildsPerShardHint), ceilDiv(n, s.opts.MaxGuildsPerShard))
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// checkShard applies Discord's rules to IDENTIFY's shard: [id, count]
// with 0 <= id < count, else 4010; and no session may hold more than
// MaxGuildsPerShard guilds, else 4011. Caller holds s.mu.
func (s *Server) checkShard(raw []int) (shard [2]int, code int, text string) {
	shard = unsharded
	if raw != nil {
		if len(raw) != 2 || raw[1] < 1 || raw[0] < 0 || raw[0] >= raw[1] {
			return shard, 4010, "Invalid shard."
		}
		shard = [2]int{raw[0], raw[1]}
	}
	held := 0
	for _, id := range s.st.guildOrder {
		if onShard(shard, id) {
			held++
		}
	}
	if held > s.opts.MaxGuildsPerShard {
		return shard, 4011, "Sharding required."
	}
	return shard, 0, ""
}

// onShard reports whether a session on shard receives the events of
// guildID; events of no guild (direct messages) go to shard 0.
func onShard(shard [2]int, guildID string) bool {
	if shard[1] <= 1 {
		return true
	}
	if guildID == "" {
		return shard[0] == 0
	}
	return ShardOf(guildID, shard[1]) == shard[0]
}

// guildOf is the guild a dispatch is about: every guild event the
// emulator sends names it in guild_id.
func guildOf(data []byte) string {
	var v struct {
		GuildID string `json:"guild_id"`
	}
	_ = json.Unmarshal(data, &v)
	return v.GuildID
}

// identifyAllowed applies Discord's identify rate when
// Options.IdentifyWindow is set: shards identify in buckets
// (shard id % max_concurrency), one per bucket per window. Caller holds
// g.mu.
func (g *gateway) identifyAllowed(shardID int, now time.Time) bool {
	window := g.s.opts.IdentifyWindow
	if window <= 0 {
		return true
	}
	bucket := shardID % g.s.opts.MaxConcurrency
	if g.identified == nil {
		g.identified = map[int]time.Time{}
	}
	if last, ok := g.identified[bucket]; ok && now.Sub(last) < window {
		return false
	}
	g.identified[bucket] = now
	return true
}

// hasSessionFor reports whether some session - connected, or still able
// to resume - receives the events of guildID.
func (g *gateway) hasSessionFor(guildID string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.prune(time.Now())
	for _, sess := range g.sessions {
		if onShard(sess.shard, guildID) {
			return true
		}
	}
	return false
}

// Shards lists the shards of the sessions connected now, as [id, count]
// ([0, 1] for a session that identified without sharding), in no order.
func (s *Server) Shards() [][2]int {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	var out [][2]int
	for _, sess := range s.gw.sessions {
		if sess.conn != nil {
			out = append(out, sess.shard)
		}
	}
	return out
}

func getGatewayBot(c *call) (any, int, error) {
	c.s.mu.Lock()
	shards := c.s.recommendedShards()
	c.s.mu.Unlock()
	used := c.s.GatewayStats().Identifies
	return map[string]any{
		"url":    gatewayURL(c.r),
		"shards": shards,
		"session_start_limit": map[string]int{
			"total": sessionStartTotal, "remaining": max(0, sessionStartTotal-used),
			"reset_after": sessionStartResetMS, "max_concurrency": c.s.opts.MaxConcurrency,
		},
	}, 200, nil
}

// IDs of the second guild TwoGuildSeed adds.
const (
	AnnexGuildID   = "100000000004194304" // shard 1 of 2; DefaultGuildID is on shard 0
	AnnexChannelID = "100000000004194305"
)

// TwoGuildSeed is the default world plus a second guild, "Annex", with
// one text channel, the bot and the plain member, whose events go to
// shard 1 of 2 while the default guild's go to shard 0: the smallest
// world in which sharding shows.
func TwoGuildSeed() Seed {
	s := DefaultSeed()
	s.Guilds = append(s.Guilds, SeedGuild{
		ID: AnnexGuildID, Name: "Annex", OwnerID: DefaultAdminUserID,
		Channels: []SeedChannel{{ID: AnnexChannelID, Name: "general", Type: ChannelText}},
		Members:  []SeedMember{{UserID: DefaultBotID}, {UserID: DefaultAdminUserID}, {UserID: DefaultMemberUserID}},
	})
	return s
}
