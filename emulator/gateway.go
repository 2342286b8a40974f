package emulator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Gateway intents that gate the events the emulator sends.
const (
	intentGuilds        = 1 << 0
	intentGuildMessages = 1 << 9
)

const (
	sessionTTL   = 2 * time.Minute // how long a dropped session stays resumable
	replayBuffer = 2000            // dispatches kept per session for RESUME
	sendBuffer   = 1024            // frames queued per connection before it is dropped
)

// gateway is the websocket side: sessions that outlive connections so
// RESUME can replay what a dropped client missed.
type gateway struct {
	s        *Server
	upgrader websocket.Upgrader

	mu       sync.Mutex // guards everything below; taken after Server.mu, never before
	sessions map[string]*gwSession
	conns    map[*gwConn]bool
	closed   bool
	stats    GatewayStats
	changed  chan struct{} // closed and replaced whenever stats change

	identified map[int]time.Time // last IDENTIFY per rate-limit bucket (Options.IdentifyWindow)
}

// GatewayStats counts what happened on the gateway, for assertions.
type GatewayStats struct {
	Connections   int // open websocket connections
	Sessions      int // sessions connected or still resumable
	Identifies    int // IDENTIFY payloads accepted
	Resumes       int // RESUME payloads accepted
	Heartbeats    int // heartbeats received
	HeartbeatAcks int // heartbeats acknowledged
	ZlibStreams   int // connections opened with ?compress=zlib-stream
	Compressed    int // IDENTIFYs asking for compress: true (per-payload zlib)

	// IdentifyRateLimited counts IDENTIFYs answered with op 9 because
	// their bucket identified less than Options.IdentifyWindow before.
	IdentifyRateLimited int
}

// bump applies a change to the stats and wakes waiters. Caller holds g.mu.
func (g *gateway) bump(fn func(*GatewayStats)) {
	fn(&g.stats)
	g.stats.Connections, g.stats.Sessions = len(g.conns), len(g.sessions)
	close(g.changed)
	g.changed = make(chan struct{})
}

// GatewayStats returns the gateway counters.
func (s *Server) GatewayStats() GatewayStats {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	return s.gw.stats
}

// WaitGateway blocks until cond holds for the gateway counters or ctx ends.
func (s *Server) WaitGateway(ctx context.Context, cond func(GatewayStats) bool) error {
	for {
		s.gw.mu.Lock()
		st, ch := s.gw.stats, s.gw.changed
		s.gw.mu.Unlock()
		if cond(st) {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("waiting for the gateway (now %+v): %w", st, ctx.Err())
		}
	}
}

type gwSession struct {
	id, token string
	shard     [2]int // [id, count]; unsharded for a session that gave none
	intents   int64
	compress  bool
	seq       int64
	buf       []frame
	conn      *gwConn
	leftAt    time.Time
}

type frame struct {
	seq  int64
	data []byte
}

type gwConn struct {
	ws       *websocket.Conn
	host     string
	out      chan outMsg
	done     chan struct{}
	once     sync.Once
	session  *gwSession  // guarded by gateway.mu
	compress bool        // guarded by gateway.mu
	skipAcks int         // guarded by gateway.mu: heartbeats left unanswered, -1 for all
	stream   *zlibStream // zlib-stream transport, used by the write loop only; nil without
}

type outMsg struct {
	data      []byte
	compress  bool
	closeCode int
	closeText string
}

func newGateway(s *Server) *gateway {
	return &gateway{
		s:        s,
		upgrader: websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }},
		sessions: map[string]*gwSession{},
		conns:    map[*gwConn]bool{},
		changed:  make(chan struct{}),
	}
}

func (g *gateway) serveWS(w http.ResponseWriter, r *http.Request) {
	if !websocket.IsWebSocketUpgrade(r) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "this is the gateway: connect with a websocket to " + gatewayURL(r)})
		return
	}
	transport := r.URL.Query().Get("compress")
	if transport != "" && transport != "zlib-stream" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "compress=" + transport + " is not supported: the emulator speaks zlib-stream (or identify.compress)"})
		return
	}
	ws, err := g.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws, host: r.Host, out: make(chan outMsg, sendBuffer), done: make(chan struct{})}
	if transport == "zlib-stream" {
		c.stream = newZlibStream()
	}
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		ws.Close()
		return
	}
	g.conns[c] = true
	g.bump(func(st *GatewayStats) {
		if c.stream != nil {
			st.ZlibStreams++
		}
	})
	g.mu.Unlock()
	go c.writeLoop()
	defer g.disconnect(c)
	if code, text := checkQuery(r); code != 0 {
		_ = c.write(outMsg{closeCode: code, closeText: text})
		return
	}
	hello := fmt.Sprintf(`{"op":10,"d":{"heartbeat_interval":%d,"_trace":["emulator"]},"s":null,"t":null}`,
		g.s.opts.HeartbeatInterval.Milliseconds())
	c.send(outMsg{data: []byte(hello)})
	g.readLoop(c)
}

// checkQuery applies Discord's rules on ?v= and ?encoding=.
func checkQuery(r *http.Request) (int, string) {
	q := r.URL.Query()
	if v := q.Get("v"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 6 || n > 10 {
			return 4012, "Invalid API version"
		}
	}
	if e := q.Get("encoding"); e != "" && e != "json" {
		return 4002, "Only encoding=json is supported by the emulator"
	}
	return 0, ""
}

// readTimeout is how long the emulator waits for any frame (a heartbeat
// at least) before it considers the client gone.
func (g *gateway) readTimeout() time.Duration {
	return 3*g.s.opts.HeartbeatInterval + 5*time.Second
}

func (g *gateway) readLoop(c *gwConn) {
	for {
		_ = c.ws.SetReadDeadline(time.Now().Add(g.readTimeout()))
		mt, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		var p struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if mt != websocket.TextMessage || json.Unmarshal(data, &p) != nil {
			c.send(outMsg{closeCode: 4002, closeText: "Error while decoding payload."})
			continue
		}
		switch p.Op {
		case 1:
			g.heartbeat(c)
		case 2:
			g.identify(c, p.D)
		case 6:
			g.resume(c, p.D)
		case 3, 4, 8: // presence, voice state, member requests: accepted, not modelled
		default:
			c.send(outMsg{closeCode: 4001, closeText: "Unknown opcode."})
		}
	}
}

func (g *gateway) disconnect(c *gwConn) {
	g.mu.Lock()
	delete(g.conns, c)
	if s := c.session; s != nil && s.conn == c {
		s.conn, s.leftAt = nil, time.Now()
	}
	g.bump(func(*GatewayStats) {})
	g.mu.Unlock()
	c.once.Do(func() { close(c.done) })
	c.ws.Close()
}

func (g *gateway) heartbeat(c *gwConn) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.bump(func(st *GatewayStats) { st.Heartbeats++ })
	switch {
	case c.skipAcks < 0:
		return
	case c.skipAcks > 0:
		c.skipAcks--
		return
	}
	g.bump(func(st *GatewayStats) { st.HeartbeatAcks++ })
	c.send(outMsg{data: []byte(`{"op":11,"d":null,"s":null,"t":null}`), compress: c.compress})
}

type identifyData struct {
	Token    string `json:"token"`
	Intents  *int64 `json:"intents"`
	Compress bool   `json:"compress"`
	Shard    []int  `json:"shard"`
}

func (g *gateway) tokenOK(tok string) bool {
	tok = strings.TrimPrefix(tok, "Bot ")
	return tok != "" && (g.s.opts.Token == "" || tok == g.s.opts.Token)
}

// identify starts a new session: READY, then GUILD_CREATE per guild.
func (g *gateway) identify(c *gwConn, raw json.RawMessage) {
	var d identifyData
	if json.Unmarshal(raw, &d) != nil {
		c.send(outMsg{closeCode: 4002, closeText: "Error while decoding payload."})
		return
	}
	if !g.tokenOK(d.Token) {
		c.send(outMsg{closeCode: 4004, closeText: "Authentication failed."})
		return
	}
	intents := int64(intentGuilds | intentGuildMessages)
	if d.Intents != nil {
		intents = *d.Intents
	}
	s := g.s
	s.mu.Lock() // Server.mu before gateway.mu: READY must match the state dispatches continue from
	defer s.mu.Unlock()
	g.mu.Lock()
	defer g.mu.Unlock()
	if c.session != nil {
		c.send(outMsg{closeCode: 4005, closeText: "Already authenticated."})
		return
	}
	shard, code, text := s.checkShard(d.Shard)
	if code != 0 {
		c.send(outMsg{closeCode: code, closeText: text})
		return
	}
	if !g.identifyAllowed(shard[0], time.Now()) {
		g.bump(func(st *GatewayStats) { st.IdentifyRateLimited++ })
		c.send(outMsg{data: []byte(`{"op":9,"d":false,"s":null,"t":null}`)})
		return
	}
	sess := &gwSession{id: randomHex(16), token: d.Token, shard: shard, intents: intents, compress: d.Compress, conn: c}
	g.sessions[sess.id] = sess
	c.session, c.compress = sess, d.Compress
	g.bump(func(st *GatewayStats) {
		st.Identifies++
		if d.Compress {
			st.Compressed++
		}
	})
	st := s.st
	var held []string
	for _, id := range st.guildOrder {
		if onShard(shard, id) {
			held = append(held, id)
		}
	}
	stubs := make([]map[string]any, 0, len(held))
	for _, id := range held {
		stubs = append(stubs, map[string]any{"id": id, "unavailable": true})
	}
	ready := map[string]any{
		"v": 10, "user": st.bot, "guilds": stubs, "session_id": sess.id, "session_type": "normal",
		"resume_gateway_url": "ws://" + c.host + "/gateway", "application": map[string]any{"id": st.appID, "flags": 0},
		"private_channels": []any{}, "relationships": []any{}, "presences": []any{},
		"guild_join_requests": []any{}, "geo_ordered_rtc_regions": []string{}, "_trace": []string{"emulator"},
	}
	if d.Shard != nil {
		ready["shard"] = d.Shard
	}
	g.sendTo(sess, "READY", mustJSON(ready), false)
	if intents&intentGuilds != 0 {
		for _, id := range held {
			g.sendTo(sess, "GUILD_CREATE", mustJSON(st.guildCreate(st.guilds[id])), true)
		}
	}
}

type resumeData struct {
	Token     string `json:"token"`
	SessionID string `json:"session_id"`
	Seq       int64  `json:"seq"`
}

// resume reattaches a session and replays the dispatches after seq; a
// session that is gone (or a gap the buffer no longer covers) gets op 9.
func (g *gateway) resume(c *gwConn, raw json.RawMessage) {
	var d resumeData
	if json.Unmarshal(raw, &d) != nil {
		c.send(outMsg{closeCode: 4002, closeText: "Error while decoding payload."})
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	sess := g.sessions[d.SessionID]
	if sess == nil || sess.token != d.Token || !g.replayable(sess, d.Seq) {
		c.send(outMsg{data: []byte(`{"op":9,"d":false,"s":null,"t":null}`)})
		return
	}
	if old := sess.conn; old != nil && old != c {
		old.ws.Close()
	}
	sess.conn, c.session, c.compress = c, sess, sess.compress
	g.bump(func(st *GatewayStats) { st.Resumes++ })
	for _, f := range sess.buf {
		if f.seq > d.Seq {
			c.send(outMsg{data: f.data, compress: sess.compress})
		}
	}
	g.sendTo(sess, "RESUMED", []byte(`{"_trace":["emulator"]}`), false)
}

func (g *gateway) replayable(sess *gwSession, seq int64) bool {
	if seq > sess.seq || seq < 0 {
		return false
	}
	return len(sess.buf) == 0 || sess.buf[0].seq <= seq+1 || seq == sess.seq
}

// sendTo numbers a dispatch for one session, keeps it for replay when
// keep is set, and sends it if the session is connected. Caller holds g.mu.
func (g *gateway) sendTo(sess *gwSession, typ string, data []byte, keep bool) {
	if g.s.spec != nil {
		g.s.checkEvent(typ, data)
	}
	sess.seq++
	f := frame{seq: sess.seq, data: []byte(fmt.Sprintf(`{"op":0,"s":%d,"t":%q,"d":%s}`, sess.seq, typ, data))}
	if keep {
		if len(sess.buf) >= replayBuffer {
			sess.buf = append(sess.buf[:0], sess.buf[len(sess.buf)/2:]...)
		}
		sess.buf = append(sess.buf, f)
	}
	if sess.conn != nil {
		sess.conn.send(outMsg{data: f.data, compress: sess.compress})
	}
}

// dispatch sends an event to every session whose intents ask for it
// (intent 0: always) and whose shard holds the event's guild, and to
// every event stream. Callers that changed state hold Server.mu, so
// events leave in the order the state changed.
func (g *gateway) dispatch(typ string, v any, intent int64) {
	data := mustJSON(v)
	g.s.events.publish(typ, data)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.prune(time.Now())
	guild, read := "", false
	for _, sess := range g.sessions {
		if intent != 0 && sess.intents&intent == 0 {
			continue
		}
		if sess.shard != unsharded {
			if !read { // only sharded sessions pay for reading the guild
				guild, read = guildOf(data), true
			}
			if !onShard(sess.shard, guild) {
				continue
			}
		}
		g.sendTo(sess, typ, data, true)
	}
}

// dispatchMessage sends MESSAGE_CREATE/UPDATE with guild_id and member, as
// the gateway does. Caller holds Server.mu.
func (g *gateway) dispatchMessage(typ string, ch *Channel, m *Message) {
	st := g.s.st
	payload := struct {
		Message
		GuildID string         `json:"guild_id,omitempty"`
		Member  map[string]any `json:"member,omitempty"`
	}{Message: copyMessage(m), GuildID: ch.GuildID}
	if gd := st.guilds[ch.GuildID]; gd != nil {
		if mem := gd.members[m.Author.ID]; mem != nil {
			payload.Member = st.memberJSON(gd, mem, false, "")
		}
	}
	g.dispatch(typ, payload, intentGuildMessages)
}

func (g *gateway) prune(now time.Time) {
	for id, s := range g.sessions {
		if s.conn == nil && now.Sub(s.leftAt) > sessionTTL {
			delete(g.sessions, id)
		}
	}
}

// hasSession reports whether a bot is connected or may still resume.
func (g *gateway) hasSession() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.prune(time.Now())
	return len(g.sessions) > 0
}

func (g *gateway) closeAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	for c := range g.conns {
		c.ws.Close()
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("emulator: marshal %T: %v", v, err))
	}
	return b
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
