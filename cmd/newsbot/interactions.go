package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
)

// interactionsServer is the HTTP endpoint Discord posts slash commands
// to when the application has an Interactions Endpoint URL.
type interactionsServer struct {
	srv  *http.Server
	addr string // the address it listens on, port resolved
}

// serveInteractions starts the endpoint when the config has
// interactions.listen. It serves plain HTTP: Discord only posts to
// https URLs, so it belongs behind the TLS proxy that holds that URL.
func (a *app) serveInteractions(cfg *config.Config) error {
	listen := cfg.Interactions.Listen
	if listen == "" {
		return nil
	}
	key, err := hex.DecodeString(cfg.Discord.PublicKey)
	if err != nil || len(key) != ed25519.PublicKeySize {
		return fmt.Errorf("%s: discord.public_key is not an Ed25519 public key", cfg.Path)
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("%s: interactions.listen: %w", cfg.Path, err)
	}
	s := &interactionsServer{addr: ln.Addr().String(), srv: &http.Server{
		Handler:           a.bot.InteractionsHandler(key),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.log.Error("interactions endpoint stopped", "listen", s.addr, "err", err)
		}
	}()
	a.endpoint = s
	a.log.Info("receiving interactions over HTTP", "listen", s.addr)
	return nil
}

// stopInteractions stops taking interactions and waits for the ones
// whose first answer is still being written; the bot's Close then waits
// for their completions.
func (a *app) stopInteractions() {
	if a.endpoint == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := a.endpoint.srv.Shutdown(ctx); err != nil {
		a.log.Warn("stop the interactions endpoint", "err", err)
	}
}
