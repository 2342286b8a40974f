package bot

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Discord can send interactions to an HTTP endpoint instead of the
// gateway (the application's Interactions Endpoint URL). Each request is
// signed with the application's Ed25519 key over timestamp + body; the
// HTTP response is the first callback, and everything after it -
// completing a deferral, followups - goes through the webhook routes,
// exactly as for an interaction that came over the gateway.

const (
	// maxInteractionBody bounds a request: an interaction with its
	// resolved users, channels and message is a few kilobytes.
	maxInteractionBody = 1 << 20
	// signatureMaxAge is how far a request's timestamp may be from this
	// machine's clock. The signature covers the timestamp, so an old
	// request replayed by whoever captured it is refused.
	signatureMaxAge = 5 * time.Minute
)

// InteractionsHandler is the HTTP interactions endpoint: it refuses any
// request whose signature publicKey does not verify with 401, answers
// PING with PONG, and answers everything else through the same handlers,
// deadline and deferral as interactions that arrive over the gateway.
func (b *Bot) InteractionsHandler(publicKey ed25519.PublicKey) http.Handler {
	return &endpoint{b: b, key: publicKey, now: time.Now}
}

type endpoint struct {
	b   *Bot
	key ed25519.PublicKey
	now func() time.Time
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "this is the bot's interactions endpoint: Discord POSTs interactions here", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxInteractionBody))
	if err != nil {
		http.Error(w, "read the request: "+err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	if err := verify(e.key, r.Header, body, e.now()); err != nil {
		e.b.log.Warn("interaction refused", "from", r.RemoteAddr, "err", err)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		e.b.log.Warn("interaction is not JSON Discord would send", "from", r.RemoteAddr, "err", err)
		http.Error(w, "the body is not an interaction: "+err.Error(), http.StatusBadRequest)
		return
	}
	if i.Type == discordgo.InteractionPing {
		writeFirst(w, []byte(`{"type":1}`))
		return
	}
	e.serve(w, r, &i)
}

// serve answers one interaction: the answer's first callback becomes this
// response, and the handler goes on (a deferral's completion) after it.
func (e *endpoint) serve(w http.ResponseWriter, r *http.Request, i *discordgo.Interaction) {
	first := make(chan []byte)
	written := make(chan error, 1)
	e.b.inflight.Add(1)
	go func() {
		defer e.b.inflight.Done()
		e.b.answer(i, func(resp *discordgo.InteractionResponse) error {
			data, err := json.Marshal(wire(resp))
			if err != nil {
				return fmt.Errorf("encode the answer: %w", err)
			}
			select {
			case first <- data:
				return <-written
			case <-r.Context().Done():
				return fmt.Errorf("Discord stopped waiting for the answer: %w", r.Context().Err())
			}
		})
	}()
	select {
	case data := <-first:
		written <- writeFirst(w, data)
	case <-r.Context().Done():
	}
}

// writeFirst sends a first callback as the whole response, flushed at
// once: with its length given, Discord has all of it before the edits and
// followups that may follow it over REST at once.
func writeFirst(w http.ResponseWriter, data []byte) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("send the answer: %w", err)
	}
	if err := http.NewResponseController(w).Flush(); err != nil {
		return fmt.Errorf("send the answer: %w", err)
	}
	return nil
}

// verify checks Discord's signature: X-Signature-Ed25519 over
// X-Signature-Timestamp followed by the body, made with the application's
// key, and a timestamp close to now.
func verify(key ed25519.PublicKey, h http.Header, body []byte, now time.Time) error {
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return errors.New("X-Signature-Ed25519 is missing or not a hex Ed25519 signature")
	}
	ts := h.Get("X-Signature-Timestamp")
	if ts == "" {
		return errors.New("X-Signature-Timestamp is missing")
	}
	if len(key) != ed25519.PublicKeySize || !ed25519.Verify(key, append([]byte(ts), body...), sig) {
		return errors.New("the signature does not match: the request is not from Discord, or discord.public_key is not this application's")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("X-Signature-Timestamp %q is not Unix seconds", ts)
	}
	if age := now.Sub(time.Unix(sec, 0)); age > signatureMaxAge || age < -signatureMaxAge {
		return fmt.Errorf("the request was signed %v from this machine's clock (at most %v allowed): a replay, or this clock is wrong",
			age.Round(time.Second), signatureMaxAge)
	}
	return nil
}
