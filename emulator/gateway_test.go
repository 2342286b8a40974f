package emulator

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// rawGateway is a bare websocket client for what discordgo never does.
type rawGateway struct {
	t  *testing.T
	ws *websocket.Conn
}

type payload struct {
	Op int             `json:"op"`
	S  int64           `json:"s"`
	T  string          `json:"t"`
	D  json.RawMessage `json:"d"`
}

func dialGateway(t *testing.T, e *Emulator, query string) *rawGateway {
	t.Helper()
	url := "ws" + strings.TrimPrefix(e.URL, "http") + "/gateway/?" + query
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	t.Cleanup(func() { ws.Close() })
	return &rawGateway{t: t, ws: ws}
}

// read returns the next payload and whether it came zlib-compressed.
func (g *rawGateway) read() (payload, bool, error) {
	g.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	mt, data, err := g.ws.ReadMessage()
	if err != nil {
		return payload{}, false, err
	}
	if mt == websocket.BinaryMessage {
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			return payload{}, true, err
		}
		if data, err = io.ReadAll(zr); err != nil {
			return payload{}, true, err
		}
	}
	var p payload
	return p, mt == websocket.BinaryMessage, json.Unmarshal(data, &p)
}

func (g *rawGateway) mustRead() payload {
	g.t.Helper()
	p, _, err := g.read()
	if err != nil {
		g.t.Fatalf("read: %v", err)
	}
	return p
}

func (g *rawGateway) send(v string) {
	g.t.Helper()
	if err := g.ws.WriteMessage(websocket.TextMessage, []byte(v)); err != nil {
		g.t.Fatalf("write: %v", err)
	}
}

// closeCode reads until the server closes and returns its close code.
func (g *rawGateway) closeCode() int {
	for {
		_, _, err := g.read()
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		if err != nil {
			return -1
		}
	}
}

const identifyJSON = `{"op":2,"d":{"token":"Bot x","intents":513,"compress":%s,"properties":{}}}`

func TestGatewayCompression(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	for _, compress := range []string{"true", "false"} {
		t.Run("compress="+compress, func(t *testing.T) {
			g := dialGateway(t, e, "v=9&encoding=json")
			if p, zipped, err := g.read(); err != nil || p.Op != 10 || zipped {
				t.Fatalf("first frame = op %d compressed %t (%v); want an uncompressed HELLO", p.Op, zipped, err)
			}
			g.send(strings.Replace(identifyJSON, "%s", compress, 1))
			for _, want := range []string{"READY", "GUILD_CREATE"} {
				p, zipped, err := g.read()
				if err != nil || p.T != want || zipped != (compress == "true") {
					t.Fatalf("got %s compressed=%t (%v); want %s compressed=%s", p.T, zipped, err, want, compress)
				}
			}
		})
	}
}

func TestGatewayProtocolErrors(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{Token: "right"})
	hello := func(g *rawGateway) { g.mustRead() }
	cases := []struct {
		name, query string
		steps       []string
		want        int
	}{
		{"unknown opcode", "v=9", []string{`{"op":42,"d":null}`}, 4001},
		{"not JSON", "v=9", []string{`{op`}, 4002},
		{"wrong token", "v=9", []string{`{"op":2,"d":{"token":"Bot wrong","intents":1}}`}, 4004},
		{"identify twice", "v=9", []string{`{"op":2,"d":{"token":"Bot right","intents":1}}`, `{"op":2,"d":{"token":"Bot right","intents":1}}`}, 4005},
		{"bad version", "v=3", nil, 4012},
		{"etf encoding", "v=9&encoding=etf", nil, 4002},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := dialGateway(t, e, tc.query)
			if tc.steps != nil {
				hello(g)
			}
			for _, s := range tc.steps {
				g.send(s)
			}
			if got := g.closeCode(); got != tc.want {
				t.Errorf("close code %d, want %d", got, tc.want)
			}
		})
	}
}

func TestGatewayHeartbeatAndResume(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	s := newSession(t, e)
	g := dialGateway(t, e, "v=9&encoding=json")
	g.mustRead()
	g.send(`{"op":1,"d":null}`)
	if p := g.mustRead(); p.Op != 11 {
		t.Fatalf("heartbeat answered with op %d; want 11", p.Op)
	}
	g.send(strings.Replace(identifyJSON, "%s", "false", 1))
	ready := g.mustRead()
	var r struct {
		SessionID string `json:"session_id"`
	}
	json.Unmarshal(ready.D, &r)
	guild := g.mustRead()
	g.ws.Close()
	if err := e.WaitGateway(testCtx(t), func(s GatewayStats) bool { return s.Connections == 0 }); err != nil {
		t.Fatal(err)
	}
	m, err := s.ChannelMessageSendComplex(DefaultNewsChannel, &discordgo.MessageSend{Content: "missed", AllowedMentions: noMentions()})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("resume replays", func(t *testing.T) {
		g := dialGateway(t, e, "v=9&encoding=json")
		g.mustRead()
		g.send(`{"op":6,"d":{"token":"Bot x","session_id":"` + r.SessionID + `","seq":` + jsonInt(guild.S) + `}}`)
		missed, resumed := g.mustRead(), g.mustRead()
		if missed.T != "MESSAGE_CREATE" || missed.S != guild.S+1 || !strings.Contains(string(missed.D), m.ID) {
			t.Errorf("replayed %s seq %d; want the MESSAGE_CREATE with seq %d", missed.T, missed.S, guild.S+1)
		}
		if resumed.T != "RESUMED" || resumed.S != missed.S+1 {
			t.Errorf("then %s seq %d; want RESUMED", resumed.T, resumed.S)
		}
	})
	t.Run("unknown session", func(t *testing.T) {
		g := dialGateway(t, e, "v=9")
		g.mustRead()
		g.send(`{"op":6,"d":{"token":"Bot x","session_id":"nope","seq":3}}`)
		if p := g.mustRead(); p.Op != 9 || string(p.D) != "false" {
			t.Errorf("resume of an unknown session got op %d d=%s; want op 9 d=false", p.Op, p.D)
		}
	})
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestDiscordgoRecovers checks discordgo's own recovery paths against the
// faults that force them.
func TestDiscordgoRecovers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		fault    Fault
		identify int // IDENTIFYs after recovery
		resume   int
	}{
		{Fault{Kind: "stop_heartbeat_ack"}, 1, 1},                // zombie detection: close, RESUME
		{Fault{Kind: "drop_gateway"}, 1, 1},                      // read error: close, RESUME
		{Fault{Kind: "invalid_session", Resumable: false}, 2, 0}, // op 9: IDENTIFY again
	}
	for _, tc := range cases {
		t.Run(tc.fault.Kind, func(t *testing.T) {
			t.Parallel()
			e := startEmu(t, Options{HeartbeatInterval: 100 * time.Millisecond})
			bot := newSession(t, e)
			ready := make(chan string, 4)
			resumed := make(chan struct{}, 4)
			bot.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { ready <- r.SessionID })
			bot.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) { resumed <- struct{}{} })
			openBot(t, bot)
			first := waitFor(t, ready, "READY")
			e.Inject(tc.fault)
			if tc.resume > 0 {
				waitFor(t, resumed, "RESUMED")
			} else if again := waitFor(t, ready, "a new READY"); again == first {
				t.Errorf("new session id equals the invalidated one")
			}
			if err := e.WaitGateway(testCtx(t), func(s GatewayStats) bool { return s.Identifies >= tc.identify && s.Resumes >= tc.resume }); err != nil {
				t.Fatal(err)
			}
		})
	}
}
