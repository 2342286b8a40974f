package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/newsbot-dev/newsbot/internal/bot"
	"github.com/newsbot-dev/newsbot/internal/config"
)

// maxShardID bounds --shard-ids so a typo cannot ask for a billion
// sessions; Discord's largest bots run tens of thousands of shards.
const maxShardID = 1 << 16

// parseShardIDs reads --shard-ids: ids and ranges separated by commas,
// such as "0,1", "0-3" or "0-3,8".
func parseShardIDs(s string) ([]int, error) {
	var ids []int
	seen := map[int]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		first, err := shardID(lo, part)
		if err != nil {
			return nil, err
		}
		last := first
		if isRange {
			if last, err = shardID(hi, part); err != nil {
				return nil, err
			}
			if last < first {
				return nil, fmt.Errorf("--shard-ids: range %q runs backwards", part)
			}
		}
		for id := first; id <= last; id++ {
			if seen[id] {
				return nil, fmt.Errorf("--shard-ids: shard %d is listed twice", id)
			}
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func shardID(s, part string) (int, error) {
	id, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || id < 0 || id > maxShardID {
		return 0, fmt.Errorf("--shard-ids: %q is not a shard id or a range of them (such as 0,1 or 0-3)", part)
	}
	return id, nil
}

// shardPlan combines discord.shards with --shard-ids. Processes that
// share the shards of one bot must agree on their count, so --shard-ids
// needs a number: with auto each process would ask Discord at its own
// start and could be told different counts, and the guilds between them
// would reach no process.
func shardPlan(cfg *config.Config, ids []int) (bot.ShardPlan, error) {
	s := cfg.Discord.Shards
	plan := bot.ShardPlan{Auto: s.Auto, Count: s.Count, IDs: ids}
	switch {
	case ids == nil:
		return plan, nil
	case !s.Sharded():
		return plan, fmt.Errorf("%s: --shard-ids needs discord.shards in the config: the number of shards all processes split", cfg.Path)
	case s.Auto:
		return plan, fmt.Errorf("%s: --shard-ids needs discord.shards to be a number, not auto: processes asking Discord at different times may be told different counts", cfg.Path)
	}
	for _, id := range ids {
		if id >= s.Count {
			return plan, fmt.Errorf("--shard-ids: shard %d is not one of the %d shards discord.shards gives (ids run from 0 to %d)", id, s.Count, s.Count-1)
		}
	}
	return plan, nil
}

// workMode is --work: whether this process polls feeds and posts.
// Until processes share that work through a common store, exactly one
// process of a bot may do it, or every story is posted once per process.
type workMode int

const (
	workAuto workMode = iota // the process holding shard 0 works; one unsharded process always does
	workOn
	workOff
)

func (m *workMode) String() string {
	switch *m {
	case workOn:
		return "true"
	case workOff:
		return "false"
	}
	return "auto"
}

func (m *workMode) Set(s string) error {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "on":
		*m = workOn
	case "false", "no", "off":
		*m = workOff
	case "auto":
		*m = workAuto
	default:
		return fmt.Errorf("want true, false or auto, not %q", s)
	}
	return nil
}

// IsBoolFlag lets --work stand alone for --work=true.
func (m *workMode) IsBoolFlag() bool { return true }

// on decides for a process with plan: auto ties the work to shard 0,
// which one process of a bot holds - the same one that registers the
// commands - so a sharded deployment needs no extra setting to poll and
// post exactly once. With a database shared through claims (PostgreSQL),
// auto gives every process the work: the claims keep it done once.
func (m workMode) on(plan bot.ShardPlan, shared bool) bool {
	switch m {
	case workOn:
		return true
	case workOff:
		return false
	}
	return shared || plan.HoldsZero()
}
