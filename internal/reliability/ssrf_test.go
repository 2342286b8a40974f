//go:build linux

package reliability

import (
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestSSRFNothingReachesLoopback: feeds that may not fetch private
// addresses, pointed at a listener on loopback in every spelling the
// guard knows, are each refused with the address named, and the listener
// never sees a connection.
func TestSSRFNothingReachesLoopback(t *testing.T) {
	t.Parallel()
	victim, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer victim.Close()
	var reached atomic.Int32
	go func() {
		for {
			c, err := victim.Accept()
			if err != nil {
				return
			}
			reached.Add(1)
			c.Close()
		}
	}()
	port := victim.Addr().(*net.TCPAddr).Port

	forms := []struct{ host, want string }{
		{"127.0.0.1", "127.0.0.1 is a loopback address"},
		{"localhost", "localhost (127.0.0.1) is a loopback address"},
		{"[::ffff:127.0.0.1]", "(127.0.0.1) is a loopback address"},
		{"[::127.0.0.1]", "(::7f00:1) is a loopback address, IPv4-compatible IPv6 for 127.0.0.1"},
		{"[::ffff:0:127.0.0.1]", "(::ffff:0:7f00:1) is a loopback address, IPv4-translated IPv6 for 127.0.0.1"},
		{"[64:ff9b::7f00:1]", "64:ff9b::7f00:1 is a loopback address, NAT64 for 127.0.0.1"},
		{"[64:ff9b:1::7f00:1]", "64:ff9b:1::7f00:1 is a loopback address, local-use NAT64 for 127.0.0.1"},
		{"[2002:7f00:1::]", "2002:7f00:1:: is a loopback address, 6to4 for 127.0.0.1"},
		{"[2001:0:4136:e378:8000:63bf:80ff:fffe]", "is a loopback address, Teredo for 127.0.0.1"},
		{"0.0.0.0", "0.0.0.0 is an unspecified address"},
		{"198.18.0.1", "198.18.0.1 is a reserved (benchmarking) address"},
		{"240.0.0.1", "240.0.0.1 is a reserved (future use) address"},
		{"192.0.0.8", "192.0.0.8 is a reserved (IETF protocol assignments) address"},
	}
	d := startDiscord(t, "127.0.0.1:0")
	var yaml strings.Builder
	for i, f := range forms {
		fmt.Fprintf(&yaml, "  - id: ssrf%d\n    url: http://%s:%d/feed.xml\n    allow_private: false\n    channels: [%q]\n    schedule: \"@every 1s\"\n",
			i, f.host, port, newsChannel)
	}
	bot := startBot(t, writeConfig(t, t.TempDir(), d.url, yaml.String()))
	refusal := func(i int) (logLine, bool) {
		return bot.stderr.find(func(l logLine) bool {
			return l.str("msg") == "feed poll failed" && l.str("feed") == fmt.Sprintf("ssrf%d", i)
		})
	}
	waitUntil(t, "every SSRF feed refused", 30*time.Second, func() bool {
		for i := range forms {
			if _, ok := refusal(i); !ok {
				return false
			}
		}
		return true
	}, bot.stderr)
	for i, f := range forms {
		line, _ := refusal(i)
		if err := line.str("err"); !strings.HasPrefix(err, "refusing to fetch http://"+f.host) || !strings.Contains(err, f.want) {
			t.Errorf("%s: %q\nwant a refusal naming %q", f.host, err, f.want)
		}
		figures.add("SSRF forms refused end to end", 1)
	}
	bot.stop()
	if n := reached.Load(); n != 0 {
		t.Errorf("the listener on loopback accepted %d connections", n)
	}
}
