package emulator

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

type faultSet struct {
	mu   sync.Mutex
	list []*Fault // Count is what is left
}

func (f *faultSet) clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.list = nil
}

// check validates a fault and fills its defaults.
func (f *Fault) check() error {
	switch f.Kind {
	case "429":
		if f.RetryAfter < 0 {
			return fmt.Errorf("fault 429: retry_after %v is negative", f.RetryAfter)
		}
		if f.RetryAfter == 0 {
			f.RetryAfter = 1
		}
	case "5xx":
		if f.Status == 0 {
			f.Status = 500
		}
		if f.Status < 500 || f.Status > 599 {
			return fmt.Errorf("fault 5xx: status %d is not a 5xx status", f.Status)
		}
	case "slow":
		if f.DelayMS <= 0 {
			return fmt.Errorf("fault slow: delay_ms must be positive, got %d", f.DelayMS)
		}
	case "drop_gateway", "reconnect", "invalid_session", "stop_heartbeat_ack":
	default:
		return fmt.Errorf("unknown fault kind %q (want 429, 5xx, slow, drop_gateway, reconnect, invalid_session or stop_heartbeat_ack)", f.Kind)
	}
	if f.Count < 0 {
		return fmt.Errorf("fault %s: count %d is negative", f.Kind, f.Count)
	}
	if f.Count == 0 && f.Kind != "stop_heartbeat_ack" {
		f.Count = 1
	}
	f.Method = strings.ToUpper(f.Method)
	return nil
}

// Inject adds a fault:
//
//   - "429": the next Count matching REST requests get 429 with
//     retry_after seconds (Global: a global limit);
//   - "5xx": the next Count matching requests get Status;
//   - "slow": the next Count matching requests wait DelayMS first;
//   - "drop_gateway": every gateway connection is cut without a close
//     frame (sessions stay resumable);
//   - "reconnect": every connection gets op 7 RECONNECT;
//   - "invalid_session": every connection gets op 9 with d=Resumable;
//   - "stop_heartbeat_ack": current connections stop acknowledging
//     heartbeats (Count of them, or all when 0) so the client's zombie
//     detection reconnects.
//
// Path and Method narrow REST faults to requests whose path (after
// /api/vN) contains Path.
func (s *Server) Inject(f Fault) error {
	if err := f.check(); err != nil {
		return err
	}
	switch f.Kind {
	case "drop_gateway":
		s.gw.each(func(c *gwConn) { c.ws.Close() })
	case "reconnect":
		s.gw.each(func(c *gwConn) {
			c.send(outMsg{data: []byte(`{"op":7,"d":null,"s":null,"t":null}`), compress: c.compress})
		})
	case "invalid_session":
		s.gw.invalidate(f.Resumable)
	case "stop_heartbeat_ack":
		n := f.Count
		if n == 0 {
			n = -1
		}
		s.gw.each(func(c *gwConn) { c.skipAcks = n })
	default:
		// The list holds its own copy: requests use its hits up while f
		// is still being logged below.
		own := f
		s.faults.mu.Lock()
		s.faults.list = append(s.faults.list, &own)
		s.faults.mu.Unlock()
	}
	s.log.Info("fault injected", "kind", f.Kind, "count", f.Count, "path", f.Path)
	return nil
}

// ClearFaults removes every pending REST fault and resumes heartbeat ACKs.
func (s *Server) ClearFaults() {
	s.faults.clear()
	s.gw.each(func(c *gwConn) { c.skipAcks = 0 })
}

// Faults returns the pending REST faults, Count being what is left.
func (s *Server) Faults() []Fault {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	out := []Fault{}
	for _, f := range s.faults.list {
		out = append(out, *f)
	}
	return out
}

// take finds the first fault matching a request and uses one of its hits.
func (f *faultSet) take(method, path string) (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, x := range f.list {
		if x.Method != "" && x.Method != method || !strings.Contains(path, x.Path) {
			continue
		}
		hit := *x
		x.Count--
		if x.Count <= 0 {
			f.list = append(f.list[:i:i], f.list[i+1:]...)
		}
		return hit, true
	}
	return Fault{}, false
}

// applyREST applies pending faults to a request; it returns true when the
// fault answered it.
func (f *faultSet) applyREST(w http.ResponseWriter, r *http.Request, path string, rt *route) bool {
	for range 8 { // a slow fault may be followed by one that answers
		hit, ok := f.take(r.Method, path)
		if !ok {
			return false
		}
		switch hit.Kind {
		case "slow":
			select {
			case <-time.After(time.Duration(hit.DelayMS) * time.Millisecond):
			case <-r.Context().Done():
				return true
			}
		case "429":
			wait := time.Duration(hit.RetryAfter * float64(time.Second))
			scope := "user"
			if hit.Global {
				scope = "global"
			} else {
				setRateHeaders(w.Header(), 1, 0, time.Now().Add(wait), time.Now(), bucketHash(rt))
			}
			write429(w, wait, hit.Global, scope)
			return true
		case "5xx":
			writeJSON(w, hit.Status, &apiError{Message: fmt.Sprintf("%d: %s", hit.Status, http.StatusText(hit.Status))})
			return true
		}
	}
	return false
}

// each runs fn on every connection with the gateway lock held.
func (g *gateway) each(fn func(c *gwConn)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for c := range g.conns {
		fn(c)
	}
}

// invalidate sends op 9 to every connection. Either way the connection
// must IDENTIFY again; a non-resumable session is forgotten.
func (g *gateway) invalidate(resumable bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	msg := fmt.Sprintf(`{"op":9,"d":%t,"s":null,"t":null}`, resumable)
	for c := range g.conns {
		if sess := c.session; sess != nil {
			sess.conn, sess.leftAt = nil, time.Now()
			if !resumable {
				delete(g.sessions, sess.id)
			}
		}
		c.session = nil
		c.send(outMsg{data: []byte(msg), compress: c.compress})
	}
	g.bump(func(*GatewayStats) {})
}
