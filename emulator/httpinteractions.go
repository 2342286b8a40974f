package emulator

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// An application may receive interactions at an HTTP endpoint instead of
// over the gateway. Discord then POSTs each interaction there, signed
// with the application's Ed25519 key (X-Signature-Ed25519 over
// X-Signature-Timestamp + body); the endpoint's HTTP response is the
// first callback, and everything after it goes through the webhook
// routes as usual. The emulator signs with a key pair of its own, whose
// public half it shows as verify_key in GET /applications/@me and in
// GET /_emulator/application.

// ErrEndpoint: the interactions endpoint failed to answer an interaction
// (refused the connection, answered an error, or answered something
// Discord would not accept as a callback).
var ErrEndpoint = errors.New("the interactions endpoint did not answer")

// endpoint is the application's interactions endpoint and signing key.
type endpoint struct {
	key    ed25519.PrivateKey
	client *http.Client
	url    string // guarded by Server.mu; "" means interactions go over the gateway
}

func newEndpoint(rawURL string) (endpoint, error) {
	if rawURL != "" {
		if err := checkEndpointURL(rawURL); err != nil {
			return endpoint{}, err
		}
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return endpoint{}, fmt.Errorf("emulator: interaction signing key: %w", err)
	}
	client := &http.Client{
		// Discord posts to the URL it was given and follows no redirect.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return endpoint{key: key, client: client, url: rawURL}, nil
}

func checkEndpointURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return inputErr("interactions endpoint %q is not an http(s) URL such as http://127.0.0.1:8080/interactions", raw)
	}
	return nil
}

// PublicKey is the hex Ed25519 public key interactions sent to an
// endpoint are signed with: what a bot configures as the application's
// public key.
func (s *Server) PublicKey() string {
	return hex.EncodeToString(s.endpoint.key.Public().(ed25519.PublicKey))
}

// InteractionsEndpoint is the endpoint interactions are POSTed to; empty
// when they go over the gateway.
func (s *Server) InteractionsEndpoint() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.endpoint.url
}

// SetInteractionsEndpoint makes rawURL the application's interactions
// endpoint, after verifying it as Discord does when the URL is saved in
// the Developer Portal: a correctly signed PING must get a PONG, and a
// request with a bad signature must be refused with 401. An empty URL
// sends interactions over the gateway again. A failed check is an
// *InputError that says what the endpoint got wrong.
func (s *Server) SetInteractionsEndpoint(ctx context.Context, rawURL string) error {
	if rawURL != "" {
		if err := checkEndpointURL(rawURL); err != nil {
			return err
		}
		if err := s.verifyEndpoint(ctx, rawURL); err != nil {
			return inputErr("interactions_endpoint_url: the specified interactions endpoint url could not be verified: %v", err)
		}
	}
	s.mu.Lock()
	s.endpoint.url = rawURL
	s.mu.Unlock()
	return nil
}

func (s *Server) verifyEndpoint(ctx context.Context, rawURL string) error {
	s.mu.Lock()
	ping := mustJSON(map[string]any{
		"id": s.st.newID(time.Now()), "application_id": s.st.appID, "type": interactionPing,
		"token": "emu." + randomHex(32), "version": 1, "user": s.st.bot,
	})
	s.mu.Unlock()
	status, _, err := s.postSigned(ctx, rawURL, ping, false)
	switch {
	case err != nil:
		return err
	case status != http.StatusUnauthorized:
		return fmt.Errorf("a PING with an invalid signature was answered %d, not 401: the endpoint must check X-Signature-Ed25519", status)
	}
	status, body, err := s.postSigned(ctx, rawURL, ping, true)
	if err != nil {
		return err
	}
	var pong struct {
		Type int `json:"type"`
	}
	if status != http.StatusOK || json.Unmarshal(body, &pong) != nil || pong.Type != 1 {
		return fmt.Errorf("a signed PING was answered %d %s, not 200 {\"type\":1}", status, clip(body))
	}
	return nil
}

// postSigned POSTs body to the endpoint as Discord does; with valid
// false the signature is one the public key does not verify.
func (s *Server) postSigned(ctx context.Context, rawURL string, body []byte, valid bool) (int, []byte, error) {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	signed := append([]byte(ts), body...)
	if !valid {
		signed = append(signed, '!')
	}
	sig := ed25519.Sign(s.endpoint.key, signed)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(body))
	if err != nil {
		return 0, nil, fmt.Errorf("POST %s: %w", rawURL, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Discord-Interactions/1.0 (+https://discord.com)")
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	req.Header.Set("X-Signature-Timestamp", ts)
	resp, err := s.endpoint.client.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("POST %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return 0, nil, fmt.Errorf("POST %s: read the answer: %w", rawURL, err)
	}
	return resp.StatusCode, data, nil
}

// postInteraction delivers an interaction to the endpoint and applies
// its answer as the first callback, held to the same deadline and rules
// as one sent to the callback route.
func (s *Server) postInteraction(in *interaction, payload []byte, rawURL string) {
	if s.spec != nil {
		s.checkEvent("INTERACTION_CREATE", payload) // the same payload the gateway would carry
	}
	ctx, cancel := context.WithDeadline(context.Background(), in.created.Add(s.opts.InteractionDeadline))
	defer cancel()
	status, body, err := s.postSigned(ctx, rawURL, payload, true)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return // the deadline timer reports it, as for the gateway
	case err != nil:
		s.endpointFailed(in, fmt.Errorf("%w: %v", ErrEndpoint, err))
	case status != http.StatusOK:
		s.endpointFailed(in, fmt.Errorf("%w: %s answered interaction %s with %d %s", ErrEndpoint, rawURL, in.id, status, clip(body)))
	default:
		if err := s.applyEndpointAnswer(in, body); err != nil {
			s.endpointFailed(in, fmt.Errorf("%w: %s answered interaction %s with a callback Discord refuses: %v (body %s)", ErrEndpoint, rawURL, in.id, err, clip(body)))
		}
	}
}

// applyEndpointAnswer runs the endpoint's answer through the callback
// route's checks - the OpenAPI description, the callback types the
// interaction allows, message limits - exactly as if the bot had POSTed
// it to /interactions/{id}/{token}/callback.
func (s *Server) applyEndpointAnswer(in *interaction, body []byte) error {
	if !json.Valid(body) {
		return errors.New("the answer is not JSON")
	}
	path := "/interactions/" + in.id + "/" + in.token + "/callback"
	r, err := http.NewRequest(http.MethodPost, "http://emulator/api/v10"+path, nil)
	if err != nil {
		return err
	}
	c := &call{
		s: s, r: r, path: path, body: body, query: url.Values{}, now: time.Now(),
		params: map[string]string{"interaction_id": in.id, "interaction_token": in.token},
	}
	if ae := s.validateOpenAPI(c); ae != nil {
		return ae
	}
	_, _, err = interactionCallback(c)
	for _, fn := range c.after {
		fn()
	}
	return err
}

// endpointFailed ends an interaction the endpoint did not answer, so
// Interact reports why at once instead of waiting out the deadline.
func (s *Server) endpointFailed(in *interaction, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !in.acked && in.endpointErr == nil {
		in.endpointErr = err
		in.notify()
	}
}

// answerPending reports whether an interaction's first callback is on
// its way back from the endpoint. Caller holds s.mu.
func (in *interaction) answerPending() bool {
	return in.viaHTTP && !in.acked && !in.isExpired && in.endpointErr == nil
}

// awaitEndpointAnswer returns the interaction holding token, first
// waiting while its endpoint answer is still in flight: a bot that edits
// its answer right after writing the HTTP response cannot order the two,
// and Discord has applied the response by then. Caller holds s.mu, which
// is released while waiting.
func (c *call) awaitEndpointAnswer(token string) *interaction {
	for {
		in := c.s.st.tokens[token]
		if in == nil || !in.answerPending() {
			return in
		}
		changed := in.changed
		c.s.mu.Unlock()
		select {
		case <-changed:
		case <-c.r.Context().Done():
		}
		c.s.mu.Lock()
		if c.r.Context().Err() != nil {
			return c.s.st.tokens[token]
		}
	}
}

// deliverInteraction sends a new interaction to the endpoint when there
// is one, else over the gateway. Caller holds s.mu.
func (s *Server) deliverInteraction(in *interaction, payload map[string]any) {
	if s.endpoint.url == "" {
		s.gw.dispatch("INTERACTION_CREATE", payload, 0)
		return
	}
	in.viaHTTP = true
	go s.postInteraction(in, mustJSON(payload), s.endpoint.url)
}

// noBotFor explains why no bot receives an interaction in guildID over
// the gateway; nil when one does. Caller holds s.mu.
func (s *Server) noBotFor(guildID string) error {
	if s.endpoint.url != "" || s.gw.hasSessionFor(guildID) {
		return nil
	}
	return fmt.Errorf("%w to receive guild %s's events: no session holds its shard (connected shards: %v)", ErrNoBot, guildID, s.Shards())
}

// applicationInfo is GET /_emulator/application.
func (s *Server) applicationInfo() map[string]any {
	return map[string]any{
		"id": s.ApplicationID(), "public_key": s.PublicKey(),
		"interactions_endpoint_url": s.InteractionsEndpoint(),
	}
}

func (s *Server) controlApplication(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPatch {
		var req struct {
			URL *string `json:"interactions_endpoint_url"`
		}
		if err := decodeControl(r, &req); err != nil {
			controlError(w, http.StatusBadRequest, err.Error())
			return
		}
		if req.URL == nil {
			controlError(w, http.StatusBadRequest, `give "interactions_endpoint_url": a URL, or "" for the gateway`)
			return
		}
		if err := s.SetInteractionsEndpoint(r.Context(), *req.URL); err != nil {
			controlError(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	writeJSON(w, 200, s.applicationInfo())
}

// clip shortens an answer body for an error message.
func clip(b []byte) string {
	const n = 200
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

func endpointOrNil(u string) any {
	if u == "" {
		return nil
	}
	return u
}
