//go:build linux

package reliability

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/feedserver"
)

const (
	newsChannel     = emulator.DefaultNewsChannel
	techChannel     = emulator.DefaultTechChannel
	announceChannel = "100000000000000004"
)

// discord is the emulator, run as its own process and driven through its
// control API only.
type discord struct {
	t    testing.TB
	url  string
	addr string
	proc *proc
}

// startDiscord runs `newsbot emulator` on addr ("127.0.0.1:0" for any
// port) with the given flags. With Discord's OpenAPI description beside the repository, every
// request the bot sends is also checked against Discord's own schema.
func startDiscord(t testing.TB, addr string, flags ...string) *discord {
	t.Helper()
	args := append([]string{"emulator", "--listen", addr}, flags...)
	if spec := filepath.Join(repoRoot, "..", "shared", "testdata", "discord", "openapi.json"); fileExists(spec) {
		args = append(args, "--openapi", spec)
	}
	p := startProc(t, "emulator", args...)
	var url string
	waitUntil(t, "the emulator's address on stdout", 30*time.Second, func() bool {
		line, _, ok := strings.Cut(p.stdout.String(), "\n")
		url = strings.TrimSpace(line)
		if !p.running() {
			t.Fatalf("the emulator exited:\n%s", p.stderr.tail(20))
		}
		return ok
	}, p.stdout)
	return &discord{t: t, url: url, addr: strings.TrimPrefix(url, "http://"), proc: p}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// call makes one control API request; out, when not nil, receives the
// JSON answer. It returns the status and, for errors, the message.
func (d *discord) call(method, path string, in, out any) (int, string) {
	d.t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, d.url+"/_emulator/"+path, body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		d.t.Fatalf("emulator %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		var e struct{ Error string }
		json.Unmarshal(raw, &e)
		return resp.StatusCode, e.Error
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			d.t.Fatalf("emulator %s %s: %v in %s", method, path, err, raw)
		}
	}
	return resp.StatusCode, ""
}

func (d *discord) messages(channel string) []emulator.Message {
	d.t.Helper()
	var ms []emulator.Message
	if status, msg := d.call("GET", "channels/"+channel+"/messages", nil, &ms); status != 200 {
		d.t.Fatalf("messages of %s: %d %s", channel, status, msg)
	}
	return ms
}

func (d *discord) requests() []emulator.Request {
	d.t.Helper()
	var rs []emulator.Request
	d.call("GET", "requests", nil, &rs)
	return rs
}

// fault injects one fault and counts it.
func (d *discord) fault(f emulator.Fault) {
	d.t.Helper()
	if status, msg := d.call("POST", "faults", f, nil); status != 200 {
		d.t.Fatalf("inject %+v: %d %s", f, status, msg)
	}
	figures.add("Discord faults injected", 1)
}

// interact types a slash command as the default admin in #news.
func (d *discord) interact(command string) (emulator.InteractionResult, int, string) {
	d.t.Helper()
	var res emulator.InteractionResult
	status, msg := d.call("POST", "interactions", map[string]any{
		"command": command, "channel_id": newsChannel, "guild_id": emulator.DefaultGuildID,
		"user_id": emulator.DefaultAdminUserID, "permissions": "8",
	}, &res)
	return res, status, msg
}

// site is a news site on 127.0.0.1: feeds held in memory with real
// conditional GET, plus handlers of the test's own for hostile answers.
type site struct {
	feeds *feedserver.Server
	mux   *http.ServeMux
	url   string
}

func newSite(t testing.TB) *site {
	s := &site{feeds: feedserver.New(), mux: http.NewServeMux()}
	s.mux.Handle("/", s.feeds)
	srv := httptest.NewServer(s.mux)
	// A handler that never answers must not hold up Close.
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	s.url = srv.URL
	return s
}

// fetches counts the successful or 304 answers served at path.
func (s *site) fetches(path string) int {
	n := 0
	for _, r := range s.feeds.Requests() {
		if r.Path == path && (r.Status == 200 || r.Status == 304) {
			n++
		}
	}
	return n
}

// published numbers the stories in the order the tests write them.
var published atomic.Int64

// story is a feed item whose title and link carry a unique key,
// published after every story made before it.
func story(key string, paras ...string) feedserver.Item {
	if len(paras) == 0 {
		paras = []string{"Reporters filed story " + key + " this morning; readers argue about it."}
	}
	return feedserver.Item{
		GUID: "guid-" + key, Title: "Story " + key, Link: "https://news.example/" + key,
		Paragraphs: paras, Published: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(published.Add(1)) * time.Minute),
	}
}

// writeConfig writes a bot config: JSON logs (the tests read them), the
// emulator as Discord, private addresses allowed (the sites are local),
// short fetch timeouts, no jitter.
func writeConfig(t testing.TB, dir, apiURL, feeds string) string {
	t.Helper()
	path := filepath.Join(dir, "config.yaml")
	body := fmt.Sprintf(`discord:
  token: reliability-test-token
  api_url: %s
  guild_id: %q
database: news.db
log: {level: debug, format: json}
fetch:
  allow_private: true
  timeout: 3s
  per_host: 32
  jitter: 0s
  failure_notice_after: 0
feeds:
%s`, apiURL, emulator.DefaultGuildID, feeds)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// startBot runs `newsbot run` on the config and waits until it says it is
// running.
func startBot(t testing.TB, config string) *proc {
	t.Helper()
	p := startProc(t, "bot", "run", "--config", config)
	waitUntil(t, "the bot to start", 60*time.Second, func() bool {
		if !p.running() {
			t.Fatalf("the bot exited:\n%s", p.stderr.tail(30))
		}
		_, ok := p.stderr.find(func(l logLine) bool { return l.str("msg") == "newsbot running" })
		return ok
	}, p.stderr)
	return p
}

// cards returns the story cards of a channel (messages with an embed),
// keyed by the embed's link, with how often each appears.
func cards(ms []emulator.Message) map[string]int {
	out := map[string]int{}
	for _, m := range ms {
		if len(m.Embeds) > 0 {
			out[m.Embeds[0].URL]++
		}
	}
	return out
}

// freePort reserves a port on 127.0.0.1 for a server started later.
func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
