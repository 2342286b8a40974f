package emulator

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// GET /_emulator/events streams what members would see change, as
// server-sent events, for pages (the playground's web client) and tools
// that want to watch without a gateway session of their own.
//
// The stream opens with a STATE event: the bot, every guild with its
// members and their permissions, every channel and thread, and each
// channel's newest messages. Then comes every gateway dispatch as it
// happens — MESSAGE_CREATE, MESSAGE_UPDATE, MESSAGE_DELETE, THREAD_CREATE,
// INTERACTION_CREATE — named as on the gateway, with the same payload.
// STATE and the events after it are taken under one lock, so a client that
// applies them in order has the emulator's state, gaps and duplicates
// impossible. A client that falls behind, or a Reset, ends the stream; an
// EventSource reconnects by itself and starts again from a fresh STATE.

const (
	eventQueue    = 512              // events buffered per client before it counts as gone
	stateMessages = 100              // newest messages per channel in STATE
	eventPing     = 20 * time.Second // a comment line so idle connections stay open
)

func init() {
	controlIndex["GET /_emulator/events"] = "server-sent events: STATE (guilds, channels, recent messages), then every gateway dispatch"
}

// Snapshot is the STATE event's data.
type Snapshot struct {
	Bot      User                 `json:"bot"`
	Guilds   []SnapshotGuild      `json:"guilds"`
	Channels []Channel            `json:"channels"`
	Messages map[string][]Message `json:"messages"` // by channel id, oldest first
}

// SnapshotGuild is a guild with its roles and members.
type SnapshotGuild struct {
	ID      string           `json:"id"`
	Name    string           `json:"name"`
	OwnerID string           `json:"owner_id"`
	Roles   []Role           `json:"roles"`
	Members []SnapshotMember `json:"members"`
}

// SnapshotMember is a member and what they may do guild-wide (a decimal
// bit set, before channel overwrites).
type SnapshotMember struct {
	User        User     `json:"user"`
	Roles       []string `json:"roles"`
	Permissions string   `json:"permissions"`
}

type streamEvent struct {
	typ  string
	data []byte
}

// eventHub fans dispatches out to the open streams. Publishers hold
// Server.mu (state changes dispatch under it), so every stream sees events
// in the order the state changed.
type eventHub struct {
	mu   sync.Mutex
	subs map[chan streamEvent]bool
}

func newEventHub() *eventHub { return &eventHub{subs: map[chan streamEvent]bool{}} }

func (h *eventHub) subscribe() chan streamEvent {
	ch := make(chan streamEvent, eventQueue)
	h.mu.Lock()
	h.subs[ch] = true
	h.mu.Unlock()
	return ch
}

func (h *eventHub) unsubscribe(ch chan streamEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs[ch] {
		delete(h.subs, ch)
		close(ch)
	}
}

// publish never blocks the emulator: a stream whose queue is full is
// closed, and its client starts over from a fresh STATE.
func (h *eventHub) publish(typ string, data []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- streamEvent{typ, data}:
		default:
			delete(h.subs, ch)
			close(ch)
		}
	}
}

// dropAll ends every stream, when the state they started from is gone.
func (h *eventHub) dropAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		delete(h.subs, ch)
		close(ch)
	}
}

func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		controlError(w, http.StatusInternalServerError, "this connection cannot stream events")
		return
	}
	s.mu.Lock()
	snap := s.snapshot()
	events := s.events.subscribe()
	s.mu.Unlock()
	defer s.events.unsubscribe(events)

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	// retry: how soon an EventSource comes back after the stream ends.
	if _, err := fmt.Fprintf(w, "retry: 500\n\nevent: STATE\ndata: %s\n\n", mustJSON(snap)); err != nil {
		return
	}
	flusher.Flush()
	ping := time.NewTicker(eventPing)
	defer ping.Stop()
	for {
		var err error
		select {
		case ev, open := <-events:
			if !open {
				return
			}
			_, err = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.typ, ev.data)
		case <-ping.C:
			_, err = fmt.Fprint(w, ": ping\n\n")
		case <-r.Context().Done():
			return
		}
		if err != nil {
			return
		}
		flusher.Flush()
	}
}

// snapshot copies what a client draws from. Caller holds s.mu.
func (s *Server) snapshot() Snapshot {
	st := s.st
	snap := Snapshot{Bot: st.bot, Guilds: []SnapshotGuild{}, Channels: []Channel{}, Messages: map[string][]Message{}}
	for _, gid := range st.guildOrder {
		g := st.guilds[gid]
		sg := SnapshotGuild{ID: g.id, Name: g.name, OwnerID: g.ownerID, Roles: append([]Role{}, g.roles...), Members: []SnapshotMember{}}
		for _, uid := range g.memberOrder {
			m := g.members[uid]
			sg.Members = append(sg.Members, SnapshotMember{User: st.users[uid], Roles: nonNil(append([]string(nil), m.roles...)),
				Permissions: st.basePermissions(g, uid).String()})
		}
		snap.Guilds = append(snap.Guilds, sg)
	}
	for _, id := range st.channelOrder {
		snap.Channels = append(snap.Channels, *st.channels[id])
		msgs := st.messages[id]
		out := make([]Message, 0, min(len(msgs), stateMessages))
		for _, m := range msgs[max(0, len(msgs)-stateMessages):] {
			out = append(out, public(m))
		}
		snap.Messages[id] = out
	}
	return snap
}
