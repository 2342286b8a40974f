//go:build linux

package reliability

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/feedserver"
)

// faultWorld is a bot posting one feed to two channels through an
// emulator it reaches over a proxy the test controls.
type faultWorld struct {
	t     *testing.T
	d     *discord
	wire  *proxy
	site  *site
	bot   *proc
	items []feedserver.Item
	next  int

	published time.Time // when add last ran
}

var faultChannels = []string{newsChannel, techChannel}

// add publishes n new stories and returns their links.
func (w *faultWorld) add(n int) []string {
	var links []string
	for range n {
		w.next++
		it := story(fmt.Sprintf("f%02d", w.next))
		w.items = append([]feedserver.Item{it}, w.items...)
		links = append(links, it.Link)
	}
	w.site.feeds.Set("/world.xml", w.items...)
	w.published = time.Now()
	return links
}

// posted waits until each link is on a card in every channel.
func (w *faultWorld) posted(what string, links []string, timeout time.Duration) {
	w.t.Helper()
	defer func() {
		w.t.Logf("%s: all posted %s after being published", what, time.Since(w.published).Round(100*time.Millisecond))
	}()
	waitUntil(w.t, what, timeout, func() bool {
		for _, ch := range faultChannels {
			got := cards(w.d.messages(ch))
			for _, l := range links {
				if got[l] == 0 {
					return false
				}
			}
		}
		return true
	}, w.bot.stderr)
}

// ask types /news latest and requires it answered, or expired cleanly
// (the emulator's timeout: the bot's answer was lost to the fault). A
// gateway that is down has no bot to give the command to; ask waits for
// the bot to be back. It reports whether the command was answered.
func (w *faultWorld) ask() bool {
	w.t.Helper()
	var (
		status int
		msg    string
		res    emulator.InteractionResult
	)
	waitUntil(w.t, "a bot connected to take the command", 90*time.Second, func() bool {
		res, status, msg = w.d.interact("/news latest")
		return status != 503
	}, w.bot.stderr)
	switch {
	case status == 200 && len(res.Messages) > 0:
		figures.add("commands answered during faults", 1)
		return true
	case status == 504 && strings.Contains(msg, "timed out waiting for the bot"):
		figures.add("commands expired cleanly during faults", 1)
		return false
	}
	w.t.Errorf("/news latest: %d %s %+v", status, msg, res)
	return false
}

// answered requires a command answered once the fault has passed.
func (w *faultWorld) answered(phase string) {
	w.t.Helper()
	for range 3 {
		if w.ask() {
			return
		}
	}
	w.t.Errorf("after %s: commands still not answered", phase)
}

// TestDiscordFaults: through 429 storms, 5xx answers, slow answers,
// gateway drops, reconnects and invalid sessions, and the emulator
// stopped, unreachable and restarted, every story is posted exactly once
// in each channel and commands are answered or cleanly expired.
func TestDiscordFaults(t *testing.T) {
	t.Parallel()
	outage := 15 * time.Second
	if testing.Short() {
		outage = 3 * time.Second
	}
	// A short heartbeat, so a gateway whose ACKs stop is found out in
	// seconds, as Discord's 41s would take minutes.
	d := startDiscord(t, freePort(t), "--heartbeat", "2s")
	w := &faultWorld{t: t, d: d, wire: startProxy(t, d.addr), site: newSite(t)}
	all := w.add(2)
	cfg := writeConfig(t, t.TempDir(), w.wire.url(), fmt.Sprintf(`  - id: world
    url: %s/world.xml
    channels: [%q, %q]
    schedule: "@every 1s"
    backfill: 50
`, w.site.url, newsChannel, techChannel))
	w.bot = startBot(t, cfg)
	w.posted("the first stories", all, time.Minute)
	w.answered("start")

	phases := []struct {
		name   string
		faults []emulator.Fault
	}{
		{"a 429 storm on posts", []emulator.Fault{{Kind: "429", Count: 25, RetryAfter: 0.2, Path: "/messages"}}},
		{"global 429s", []emulator.Fault{{Kind: "429", Count: 5, Global: true, RetryAfter: 0.3}}},
		{"5xx answers", []emulator.Fault{
			{Kind: "5xx", Count: 3, Status: 502}, {Kind: "5xx", Count: 2, Status: 500, Path: "/messages"},
			{Kind: "5xx", Count: 1, Status: 503}}},
		{"slow answers", []emulator.Fault{{Kind: "slow", Count: 6, DelayMS: 2500}}},
		{"a dropped gateway", []emulator.Fault{{Kind: "drop_gateway"}}},
		{"a gateway reconnect request", []emulator.Fault{{Kind: "reconnect"}}},
		{"a resumable invalid session", []emulator.Fault{{Kind: "invalid_session", Resumable: true}}},
		{"an invalid session", []emulator.Fault{{Kind: "invalid_session"}}},
		{"heartbeat ACKs that stop", []emulator.Fault{{Kind: "stop_heartbeat_ack"}}},
	}
	for _, p := range phases {
		for _, f := range p.faults {
			d.fault(f)
		}
		links := w.add(2)
		all = append(all, links...)
		w.ask()
		w.posted("the stories published during "+p.name, links, 2*time.Minute)
		w.answered(p.name)
	}

	// The emulator stopped: its process frozen with SIGSTOP, connections
	// accepted by the kernel and never answered, then continued - a
	// Discord that hangs and comes back with everything it knew.
	d.proc.signal(syscall.SIGSTOP)
	links := w.add(2)
	all = append(all, links...)
	time.Sleep(outage) // the outage being modelled
	d.proc.signal(syscall.SIGCONT)
	figures.add("seconds the emulator was stopped, unreachable or restarting", int64(outage/time.Second))
	figures.add("Discord faults injected", 1)
	w.posted("the stories published while the emulator was stopped", links, 2*time.Minute)
	w.answered("the emulator stopped")

	// The emulator unreachable: connections refused and the open ones cut.
	w.wire.down()
	links = w.add(2)
	all = append(all, links...)
	time.Sleep(outage)
	w.wire.up()
	figures.add("seconds the emulator was stopped, unreachable or restarting", int64(outage/time.Second))
	figures.add("Discord faults injected", 1)
	w.posted("the stories published while the emulator was unreachable", links, 2*time.Minute)
	w.answered("the emulator unreachable")
	checkOnce(t, "before the restart", d, all, nil)

	// The emulator killed and started again on its address. Its memory
	// was all it had, so the new one knows no messages and no commands:
	// what users would see is the bot reconnecting by itself and posting
	// what it owed - the stories published meanwhile - exactly once,
	// without posting again what the old one had. (Slash commands come
	// back only when the bot registers them, at its own start.)
	before := map[string][]emulator.Message{}
	for _, ch := range faultChannels {
		before[ch] = d.messages(ch)
	}
	for _, r := range d.requests() {
		if r.Code == 40060 {
			t.Errorf("an interaction was answered twice: %s %s", r.Method, r.Path)
		}
	}
	connected := len(w.bot.stderr.lines())
	d.proc.kill()
	links = w.add(2)
	time.Sleep(outage)
	d2 := startDiscord(t, d.addr, "--heartbeat", "2s")
	w.d = d2
	figures.add("seconds the emulator was stopped, unreachable or restarting", int64(outage/time.Second))
	figures.add("Discord faults injected", 1)
	w.posted("the stories published while the emulator restarted", links, 2*time.Minute)
	waitUntil(t, "the bot's gateway back on the new emulator", time.Minute, func() bool {
		for _, l := range w.bot.stderr.lines()[connected:] {
			if l.str("msg") == "connected to Discord" {
				return true
			}
		}
		return false
	}, w.bot.stderr)
	// The outbox has had its rounds: the feed polled three more times.
	polls := w.site.fetches("/world.xml")
	waitUntil(t, "three more polls", time.Minute, func() bool { return w.site.fetches("/world.xml") >= polls+3 }, w.bot.stderr)
	checkOnce(t, "after the restart", d2, links, nil)
	checkOnce(t, "before and after the restart", d2, append(all, links...), before)
	w.bot.stop()
}

// checkOnce requires each link posted exactly once in every fault
// channel, counting the messages of an earlier emulator where given, and
// nothing else.
func checkOnce(t *testing.T, when string, d *discord, links []string, earlier map[string][]emulator.Message) {
	t.Helper()
	want := map[string]bool{}
	for _, l := range links {
		want[l] = true
	}
	for _, ch := range faultChannels {
		got := cards(append(append([]emulator.Message(nil), earlier[ch]...), d.messages(ch)...))
		for l := range want {
			if got[l] != 1 {
				t.Errorf("%s: channel %s has %s %d times, want once", when, ch, l, got[l])
				if got[l] == 0 {
					figures.add("posts lost", 1)
				} else {
					figures.add("posts doubled", int64(got[l]-1))
				}
			}
		}
		for l, n := range got {
			if !want[l] {
				t.Errorf("%s: channel %s has %s %d times, which it should not have at all", when, ch, l, n)
			}
		}
		if earlier != nil {
			figures.add("story posts checked through Discord faults (story × channel)", int64(len(want)))
		}
	}
}
