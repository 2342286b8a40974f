package main

import (
	"os"
	"strconv"
	"testing"
	"time"
)

// asNewsbot makes the test binary run as newsbot itself (main), so tests
// can start real `newsbot run` processes - and kill them - without a
// separate build.
const asNewsbot = "NEWSBOT_TEST_AS_NEWSBOT"

func TestMain(m *testing.M) {
	if os.Getenv(asNewsbot) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// clusterFeeds is how many feeds TestClusterOfThree polls; set
// NEWSBOT_CLUSTER_FEEDS=1000 for issue 15's full run (a few minutes).
func clusterFeeds(t *testing.T) int {
	if s := os.Getenv("NEWSBOT_CLUSTER_FEEDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 3 {
			t.Fatalf("NEWSBOT_CLUSTER_FEEDS=%q: want a number of feeds, 3 or more", s)
		}
		return n
	}
	return 24
}

// TestClusterOfThree is issue 15's acceptance: three `newsbot run`
// processes on one PostgreSQL database, feeds on a local site, Discord
// emulated. Every feed is fetched once per tick between them, every story
// is posted once in its channel, in order; Discord's global limit, shared,
// is never exceeded; and when one process is killed (SIGKILL) mid-run, its
// feeds and channels pass to the others once its lease runs out, with
// nothing lost and nothing posted twice. A config reload told to one
// process reaches the others.
func TestClusterOfThree(t *testing.T) {
	c := newClusterRun(t, clusterFeeds(t))

	// Every feed's backfill, posted once between the three, and each
	// feed polled once per tick.
	began := time.Now()
	c.waitPosted("the backfill posted", 2)
	steady := time.Now()
	t.Logf("backfill of %d posts took %v", 2*c.feeds, steady.Sub(began).Round(10*time.Millisecond))
	c.checkTicks("three processes", steady)

	// Every feed publishes a story; the processes post them, and one of
	// them is killed while it still holds a channel with posts owed. Its
	// channels and unfinished polls pass to the others once its lease
	// runs out, and the two left poll every feed once per tick.
	c.publish(3)
	victim, killed := c.killOneWithWork()
	channelsTaken, pollsTaken := c.waitTakeover(victim, killed)
	c.waitPosted("every story posted", 3)
	allPosted := time.Now()
	c.checkTicks("two processes, after the takeover", killed.Add(max(channelsTaken, pollsTaken)+c.period))

	// A feed added to the file and one process told (SIGHUP): both
	// processes left follow, and the new feed's stories are posted once.
	c.addFeedAndReload()

	c.checkPosts()
	c.checkGlobalLimit()
	polls, again := c.checkClaims(victim)
	t.Logf("%d feeds, %d channels, 3 processes, %d posts, %d polls; a process killed: its channels taken over after %v, its unfinished polls after %v (lease %v, ticks %v), %d of them made again; every post out %v after the kill",
		c.feeds, len(c.chans), c.posted(), polls, channelsTaken.Round(10*time.Millisecond), pollsTaken.Round(10*time.Millisecond),
		c.lease, c.period, again, allPosted.Sub(killed).Round(10*time.Millisecond))
}
