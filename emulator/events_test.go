package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// eventStream is an EventStream that fails the test on errors.
type eventStream struct {
	t *testing.T
	*EventStream
}

func openEvents(t *testing.T, ctx context.Context, url string) *eventStream {
	t.Helper()
	s, err := OpenEvents(ctx, http.DefaultClient, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &eventStream{t: t, EventStream: s}
}

// want reads events up to the next one called name and decodes it into v.
func (s *eventStream) want(name string, v any) {
	s.t.Helper()
	for {
		got, data, err := s.Next()
		if err != nil {
			s.t.Fatalf("waiting for %s: %v", name, err)
		}
		if got == name {
			if err := json.Unmarshal(data, v); err != nil {
				s.t.Fatalf("%s: %v in %s", name, err, data)
			}
			return
		}
	}
}

// TestEventStream: a watcher sees the state, then each change a member
// would see, in order, and starts over after a reset.
func TestEventStream(t *testing.T) {
	e := startEmu(t, Options{})
	bot := newSession(t, e)
	first, err := bot.ChannelMessageSend(DefaultNewsChannel, "posted before anyone watched")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	stream := openEvents(t, ctx, e.URL)

	var snap Snapshot
	stream.want("STATE", &snap)
	if got := snap.Messages[DefaultNewsChannel]; len(got) != 1 || got[0].Content != "posted before anyone watched" {
		t.Errorf("STATE messages of #news = %+v, want the one post", got)
	}
	if len(snap.Guilds) != 1 || snap.Guilds[0].Name != "Newsroom" || len(snap.Channels) != 4 {
		t.Fatalf("STATE guilds %+v, %d channels; want Newsroom and its 4 channels", snap.Guilds, len(snap.Channels))
	}
	perms := map[string]string{}
	for _, m := range snap.Guilds[0].Members {
		perms[m.User.Username] = m.Permissions
	}
	if perms["admin"] != permAll.String() || perms["member"] != DefaultEveryone.String() {
		t.Errorf("member permissions = %v, want admin all and member @everyone's", perms)
	}

	second, err := bot.ChannelMessageSend(DefaultNewsChannel, "and one after")
	if err != nil {
		t.Fatal(err)
	}
	var created Message
	stream.want("MESSAGE_CREATE", &created)
	if created.ID != second.ID || created.Content != "and one after" {
		t.Errorf("MESSAGE_CREATE = %s %q, want %s", created.ID, created.Content, second.ID)
	}
	if _, err := bot.ChannelMessageEdit(DefaultNewsChannel, first.ID, "edited"); err != nil {
		t.Fatal(err)
	}
	var updated Message
	stream.want("MESSAGE_UPDATE", &updated)
	if updated.ID != first.ID || updated.Content != "edited" || updated.EditedTimestamp == nil {
		t.Errorf("MESSAGE_UPDATE = %+v, want the first post edited", updated)
	}
	if _, err := bot.MessageThreadStart(DefaultNewsChannel, first.ID, "Discussion", 1440); err != nil {
		t.Fatal(err)
	}
	var thread Channel
	stream.want("THREAD_CREATE", &thread)
	if thread.ID != first.ID || thread.ParentID != DefaultNewsChannel || thread.Name != "Discussion" {
		t.Errorf("THREAD_CREATE = %+v, want a thread on the first post", thread)
	}

	e.Reset()
	for {
		if _, _, err := stream.Next(); err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatalf("after Reset the stream ended with %v, want EOF", err)
			}
			break
		}
	}
	again := openEvents(t, ctx, e.URL)
	var fresh Snapshot
	again.want("STATE", &fresh)
	if n := len(fresh.Messages[DefaultNewsChannel]); n != 0 {
		t.Errorf("STATE after Reset holds %d messages in #news, want none", n)
	}
}

// TestEventStreamDropsSlowClients: publishing never waits for a client;
// one that stops reading loses its stream instead.
func TestEventStreamDropsSlowClients(t *testing.T) {
	h := newEventHub()
	slow := h.subscribe()
	for i := 0; i <= eventQueue; i++ {
		h.publish("MESSAGE_CREATE", []byte("{}"))
	}
	n := 0
	for range slow {
		n++
	}
	if n != eventQueue {
		t.Errorf("the slow client got %d events before its stream closed, want %d", n, eventQueue)
	}
	h.unsubscribe(slow) // already gone: must not panic
}

// FuzzEventStream: any bytes read as events end in an error, never a
// panic or a loop, and a well-formed event comes back whole.
func FuzzEventStream(f *testing.F) {
	f.Add("retry: 500\n\nevent: STATE\ndata: {}\n\n: ping\n\nevent: MESSAGE_CREATE\ndata: {\"id\":\"1\"}\n\n")
	f.Add("data: a\ndata: b\r\n\r\nevent:x\n\n")
	f.Fuzz(func(t *testing.T, s string) {
		events := ReadEvents(io.NopCloser(strings.NewReader(s + "\n\nevent: END\ndata: ok\n\n")))
		for i := 0; ; i++ {
			name, data, err := events.Next()
			if err != nil {
				t.Fatalf("the well-formed END event was lost: %v", err)
			}
			if name == "END" && string(data) == "ok" {
				return
			}
			if i > len(s)+2 {
				t.Fatalf("more events than lines in %q", s)
			}
		}
	})
}
