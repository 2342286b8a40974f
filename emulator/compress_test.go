package emulator

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// zlibSuffix ends every frame of the zlib-stream transport (Z_SYNC_FLUSH).
var zlibSuffix = []byte{0x00, 0x00, 0xff, 0xff}

// frameSource feeds a connection's binary frames, in order, to one zlib
// reader, the way clients inflate the zlib-stream transport.
type frameSource struct {
	ws     *websocket.Conn
	buf    []byte
	frames [][]byte
}

func (f *frameSource) Read(p []byte) (int, error) {
	for len(f.buf) == 0 {
		mt, data, err := f.ws.ReadMessage()
		if err != nil {
			return 0, err
		}
		if mt != websocket.BinaryMessage {
			return 0, fmt.Errorf("a text frame on a zlib-stream connection: %s", data)
		}
		if !bytes.HasSuffix(data, zlibSuffix) {
			return 0, fmt.Errorf("frame %d does not end with 00 00 ff ff: % x", len(f.frames), data[max(0, len(data)-8):])
		}
		f.frames = append(f.frames, data)
		f.buf = data
	}
	n := copy(p, f.buf)
	f.buf = f.buf[n:]
	return n, nil
}

// inflater decodes the payloads of a zlib-stream connection.
type inflater struct {
	t   *testing.T
	src *frameSource
	dec *json.Decoder
}

// newInflater starts reading; it blocks until the first frame (HELLO).
func newInflater(t *testing.T, ws *websocket.Conn) *inflater {
	t.Helper()
	src := &frameSource{ws: ws}
	zr, err := zlib.NewReader(src)
	if err != nil {
		t.Fatalf("the first frame does not open a zlib stream: %v", err)
	}
	return &inflater{t: t, src: src, dec: json.NewDecoder(zr)}
}

func (z *inflater) read() (payload, error) {
	var p payload
	err := z.dec.Decode(&p)
	return p, err
}

func (z *inflater) next() payload {
	z.t.Helper()
	p, err := z.read()
	if err != nil {
		z.t.Fatalf("inflate the next payload: %v", err)
	}
	return p
}

// nextDispatch skips heartbeat ACKs until a dispatch of typ.
func (z *inflater) nextDispatch(typ string) payload {
	z.t.Helper()
	for {
		p := z.next()
		if p.Op == 0 && p.T == typ {
			return p
		}
		if p.Op != 11 {
			z.t.Fatalf("got op %d %s; want %s", p.Op, p.T, typ)
		}
	}
}

// TestGatewayZlibStream connects a bare websocket client with
// ?compress=zlib-stream and inflates the whole connection with one zlib
// context, as discord.js and other clients with a zlib library do.
func TestGatewayZlibStream(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	s := newSession(t, e)
	g := dialGateway(t, e, "v=10&encoding=json&compress=zlib-stream")
	z := newInflater(t, g.ws)
	hello := z.next()
	var h struct {
		HeartbeatInterval int `json:"heartbeat_interval"`
	}
	if err := json.Unmarshal(hello.D, &h); hello.Op != 10 || err != nil || h.HeartbeatInterval != 41250 {
		t.Fatalf("first payload = op %d %s; want HELLO with Discord's 41250 ms", hello.Op, hello.D)
	}
	// compress:true as well: the transport already compresses, so the
	// payloads inside it must not be compressed a second time.
	g.send(strings.Replace(identifyJSON, "%s", "true", 1))
	ready := z.nextDispatch("READY")
	var r struct {
		SessionID string `json:"session_id"`
		User      User   `json:"user"`
	}
	if err := json.Unmarshal(ready.D, &r); err != nil || r.SessionID == "" || r.User.ID != DefaultBotID {
		t.Fatalf("READY = %s (%v)", ready.D, err)
	}
	if gc := z.nextDispatch("GUILD_CREATE"); !strings.Contains(string(gc.D), `"id":"`+DefaultGuildID+`"`) {
		t.Errorf("GUILD_CREATE = %.200s", gc.D)
	}
	g.send(`{"op":1,"d":2}`)
	if p := z.next(); p.Op != 11 {
		t.Errorf("heartbeat answered with op %d; want 11", p.Op)
	}
	if _, err := s.ChannelMessageSendComplex(DefaultNewsChannel, &discordgo.MessageSend{Content: "through the stream", AllowedMentions: noMentions()}); err != nil {
		t.Fatal(err)
	}
	var m Message
	if p := z.nextDispatch("MESSAGE_CREATE"); json.Unmarshal(p.D, &m) != nil || m.Content != "through the stream" {
		t.Errorf("MESSAGE_CREATE = %s", p.D)
	}

	frames := z.src.frames
	if len(frames) < 5 || frames[0][0] != 0x78 {
		t.Fatalf("%d frames, the first starting % x; want a zlib header (78 …) and five payloads", len(frames), frames[0][:2])
	}
	if _, err := zlib.NewReader(bytes.NewReader(frames[1])); err == nil {
		t.Errorf("the second frame opens a zlib stream of its own; want one context for the connection")
	}

	t.Run("a resumed connection starts a new context", func(t *testing.T) {
		g.ws.Close()
		again := dialGateway(t, e, "v=10&encoding=json&compress=zlib-stream")
		z := newInflater(t, again.ws)
		z.next() // HELLO
		again.send(`{"op":6,"d":{"token":"Bot x","session_id":"` + r.SessionID + `","seq":` + jsonInt(ready.S+1) + `}}`)
		z.nextDispatch("MESSAGE_CREATE")
		z.nextDispatch("RESUMED")
		if n := e.GatewayStats().ZlibStreams; n != 2 {
			t.Errorf("ZlibStreams = %d; want 2", n)
		}
	})
}

func TestGatewayRefusesUnknownTransport(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	url := "ws" + strings.TrimPrefix(e.URL, "http") + "/gateway/?v=10&encoding=json&compress=zstd-stream"
	_, resp, err := websocket.DefaultDialer.Dial(url, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("dial with compress=zstd-stream: %v; want a 400", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), "compress=zstd-stream is not supported") {
		t.Errorf("the refusal says %s", body)
	}
}

// TestDiscordgoCompression: discordgo v0.29.0 never asks for
// ?compress=zlib-stream (it dials <url>/?v=9&encoding=json and inflates
// every binary message as a zlib stream of its own, which a shared
// context would break); it asks for per-payload compression with
// identify.compress, on by default. Its READY must arrive that way.
func TestDiscordgoCompression(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	bot := newSession(t, e)
	ready := make(chan *discordgo.Ready, 1)
	bot.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { ready <- r })
	openBot(t, bot)
	r := waitFor(t, ready, "READY")
	if r.SessionID == "" || r.User == nil || r.User.ID != DefaultBotID || len(r.Guilds) != 1 {
		t.Errorf("READY = %+v", r)
	}
	if st := e.GatewayStats(); st.Compressed != 1 || st.ZlibStreams != 0 {
		t.Errorf("stats %+v; want discordgo's one IDENTIFY with compress: true and no zlib-stream", st)
	}
}
