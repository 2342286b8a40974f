// Package web is the playground's browser client: a page that looks and
// behaves like Discord, drawn from the Discord emulator's state. It shows
// the guild's channels, the bot's posts with their embeds, edits,
// replies and threads as they happen, and a message bar that runs the
// bot's slash commands — with their options and autocomplete — through
// the emulator, exactly as a member's click in Discord would reach the bot.
//
// The page is plain HTML, CSS and JavaScript embedded in the binary. The
// server between it and the emulator renders Discord markdown to safe HTML
// (package discordmd), so the page never interprets text it was sent.
package web

import (
	"embed"
	"io/fs"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"strings"
	"time"
)

//go:embed static
var static embed.FS

// Options configure a Server.
type Options struct {
	// Emulator is the Discord emulator's base URL, e.g. http://127.0.0.1:7777.
	Emulator string
	// Logger receives problems the page cannot show; nil discards.
	Logger *slog.Logger
}

// Server serves the page and the API it talks to.
type Server struct {
	emulator string
	client   *http.Client // bounded calls: commands, interactions
	stream   *http.Client // the event stream, which lasts as long as the page
	log      *slog.Logger
	handler  http.Handler
}

// interactTimeout covers the emulator's wait for the bot: the 3 s
// deadline, then up to 15 s to finish a deferred answer.
const interactTimeout = 30 * time.Second

// New returns the web client for the emulator at opts.Emulator.
func New(opts Options) *Server {
	s := &Server{
		emulator: strings.TrimSuffix(opts.Emulator, "/"),
		client:   &http.Client{Timeout: interactTimeout},
		stream:   &http.Client{},
		log:      opts.Logger,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	files, _ := fs.Sub(static, "static")
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", page(files))
	mux.Handle("GET /static/", http.StripPrefix("/static/", assets(files)))
	mux.HandleFunc("GET /api/events", s.serveEvents)
	mux.HandleFunc("GET /api/commands", s.serveCommands)
	mux.HandleFunc("POST /api/interactions", s.serveInteract)
	s.handler = guard(mux)
	return s
}

// Handler serves the page at / and its API under /api/.
func (s *Server) Handler() http.Handler { return s.handler }

// csp lets the page run only its own script and load nothing from
// elsewhere: a feed's text that slipped through as markup could neither
// run code nor fetch a tracking pixel.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// guard refuses requests that a web page elsewhere could make on the
// user's behalf: a Host that is not this machine (DNS rebinding) and a
// POST that is not JSON (a cross-site form). Every answer carries the CSP.
func guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !localHost(r.Host) {
			http.Error(w, "the playground answers only on localhost or an IP address, not "+r.Host, http.StatusMisdirectedRequest)
			return
		}
		if r.Method == http.MethodPost {
			if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
				writeError(w, http.StatusUnsupportedMediaType, "send JSON (Content-Type: application/json)")
				return
			}
		}
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

func localHost(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return host == "localhost" || strings.HasSuffix(host, ".localhost") || net.ParseIP(host) != nil
}

func page(files fs.FS) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := fs.ReadFile(files, "index.html")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(b)
	})
}

func assets(files fs.FS) http.Handler {
	fsrv := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		fsrv.ServeHTTP(w, r)
	})
}
