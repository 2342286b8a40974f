package main

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feed/page"
	"github.com/newsbot-dev/newsbot/internal/feedserver"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/web"
)

func init() {
	register(command{
		name:    "playground",
		usage:   "[--config FILE] [--discord ADDR] [--site ADDR] [--web ADDR] [--metrics ADDR] [--db PATH]",
		summary: "run the bot against a built-in Discord emulator and example feeds; no token needed",
		run:     runPlayground,
	})
}

// defaultSite is where config.example.yaml expects the example site.
const defaultSite = "127.0.0.1:8765"

// defaultWeb is where the browser client listens unless --web says otherwise.
const defaultWeb = "127.0.0.1:7778"

//go:embed examples/*.txt
var examples embed.FS

type playgroundFlags struct {
	config, discord, site, db string
	web                       string // "" or "off": no web client
	metrics                   string // "": no operations listener, unless the config has one
	quiet                     bool
}

func runPlayground(ctx context.Context, env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "playground")
	var f playgroundFlags
	fs.StringVar(&f.config, "config", "config.example.yaml", "configuration `file`; its feeds run against the example site")
	fs.StringVar(&f.discord, "discord", "127.0.0.1:7777", "`address` for the Discord emulator")
	fs.StringVar(&f.site, "site", defaultSite, "`address` for the example news site the example feeds point at")
	fs.StringVar(&f.web, "web", defaultWeb, "`address` for the Discord-like web client (\"off\": none)")
	fs.StringVar(&f.metrics, "metrics", "127.0.0.1:9090", "`address` for /metrics and /healthz, unless the config's metrics.listen names one")
	fs.StringVar(&f.db, "db", "", "SQLite `path` to keep (default: a fresh database in a temporary folder)")
	fs.BoolVar(&f.quiet, "quiet", false, "log warnings only")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	pg, err := startPlayground(ctx, env, f)
	if err != nil {
		return err
	}
	defer pg.stop()
	<-ctx.Done()
	fmt.Fprintln(env.stdout, "\nstopping: finishing the delivery in flight…")
	return nil
}

// playground is the bot, the emulator and the example site in one process.
type playground struct {
	emu     *emulator.Server
	emuURL  string
	webURL  string
	site    *feedserver.Server
	siteURL string
	app     *app
	out     io.Writer
	stops   []func()
	names   sync.Map // channel id → name
}

func startPlayground(ctx context.Context, env *cmdEnv, f playgroundFlags) (*playground, error) {
	pg := &playground{out: env.stdout}
	ok := false
	defer func() {
		if !ok {
			pg.stop()
		}
	}()
	if err := pg.startSite(ctx, f.site); err != nil {
		return nil, err
	}
	if err := pg.startDiscord(ctx, f.discord); err != nil {
		return nil, err
	}
	cfg, err := pg.config(f)
	if err != nil {
		return nil, err
	}
	level := slog.LevelInfo
	if f.quiet {
		level = slog.LevelWarn
	}
	log := slog.New(slog.NewTextHandler(env.stderr, &slog.HandlerOptions{Level: level}))
	if err := pg.startWeb(f.web, log); err != nil {
		return nil, err
	}
	pg.app, err = startApp(ctx, cfg, log, appOptions{onPost: pg.print})
	if err != nil {
		return nil, err
	}
	pg.stops = append(pg.stops, pg.app.stop)
	pg.banner(cfg)
	go pg.storyline(ctx)
	ok = true
	return pg, nil
}

// startSite serves the example feeds and article pages.
func (pg *playground) startSite(ctx context.Context, addr string) error {
	pg.site = feedserver.New()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("example site: listen on %s: %w (is another playground running? choose another address with --site)", addr, err)
	}
	if err := loadExamples(pg.site, "http://"+ln.Addr().String()); err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{Handler: pg.site, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	pg.siteURL = "http://" + ln.Addr().String()
	pg.stops = append(pg.stops, func() { srv.Close() })
	return nil
}

// startDiscord runs the emulator, on addr when it is free, else anywhere.
func (pg *playground) startDiscord(ctx context.Context, addr string) error {
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		return err
	}
	// The emulator outlives ctx: on Ctrl-C the bot finishes its delivery in
	// flight and closes its gateway first, and stop closes the emulator last.
	emuCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	pg.stops = append(pg.stops, func() { cancel(); emu.Close() })
	url, err := emu.ListenAndServe(emuCtx, addr)
	if err != nil {
		fmt.Fprintf(pg.out, "(%s is taken: the Discord emulator picks a free port)\n", addr)
		if url, err = emu.ListenAndServe(emuCtx, "127.0.0.1:0"); err != nil {
			return fmt.Errorf("discord emulator: %w", err)
		}
	}
	pg.emu, pg.emuURL = emu, url
	for _, c := range emu.Channels() {
		pg.names.Store(c.ID, c.Name)
	}
	return nil
}

// startWeb serves the browser client, on addr when it is free, else anywhere.
func (pg *playground) startWeb(addr string, log *slog.Logger) error {
	if addr == "" || addr == "off" {
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(pg.out, "(%s is taken: the web client picks a free port)\n", addr)
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			return fmt.Errorf("web client: %w", err)
		}
	}
	client := web.New(web.Options{Emulator: pg.emuURL, Logger: log})
	srv := &http.Server{Handler: client.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	pg.webURL = "http://" + ln.Addr().String()
	// Closing it ends the pages' event streams before the emulator goes.
	pg.stops = append(pg.stops, func() { srv.Close() })
	return nil
}

// config loads the playground's config and points it at the emulator.
func (pg *playground) config(f playgroundFlags) (*config.Config, error) {
	cfg, err := config.Load(f.config)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w (run the playground from the repository root, or pass --config FILE)", err)
	}
	if err != nil {
		return nil, err
	}
	cfg.Discord.APIURL = pg.emuURL
	// The example feeds name the site's default address; follow it to
	// wherever the site really listens.
	for i, feed := range cfg.Feeds {
		if rest, ok := strings.CutPrefix(feed.URL, "http://"+defaultSite); ok {
			cfg.Feeds[i].URL = pg.siteURL + rest
		}
		if rest, ok := strings.CutPrefix(feed.Comments.APIURL, "http://"+defaultSite); ok {
			cfg.Feeds[i].Comments.APIURL = pg.siteURL + rest
		}
	}
	if cfg.Discord.Token == "" {
		cfg.Discord.Token = "playground"
	}
	if cfg.Metrics.Listen == "" && f.metrics != "" {
		cfg.Metrics.Listen = pg.freeAddr(f.metrics, "metrics")
	}
	cfg.Database = f.db
	if cfg.Database == "" {
		dir, err := os.MkdirTemp("", "newsbot-playground-")
		if err != nil {
			return nil, err
		}
		pg.stops = append(pg.stops, func() { os.RemoveAll(dir) })
		cfg.Database = filepath.Join(dir, "newsbot.db")
	}
	return cfg, nil
}

// freeAddr is addr when nothing listens there, else a free port: a second
// playground still starts.
func (pg *playground) freeAddr(addr, what string) string {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(pg.out, "(%s is taken: %s picks a free port)\n", addr, what)
		return "127.0.0.1:0"
	}
	ln.Close()
	return addr
}

func (pg *playground) stop() {
	for i := len(pg.stops) - 1; i >= 0; i-- {
		pg.stops[i]()
	}
	pg.stops = nil
}

func (pg *playground) banner(cfg *config.Config) {
	w := pg.out
	fmt.Fprintf(w, "\nnewsbot playground is running — no Discord account needed.\n\n")
	if pg.webURL != "" {
		fmt.Fprintf(w, "  Open in a browser %s   (the server as a member sees it; type / to talk to the bot)\n", pg.webURL)
	}
	fmt.Fprintf(w, "  Discord emulator  %s\n", pg.emuURL)
	fmt.Fprintf(w, "  Example news site %s/world.xml, /tech.xml, /talk.xml\n", pg.siteURL)
	fmt.Fprintf(w, "  Database          %s\n", cfg.Database)
	if srv := pg.app.ops.srv; srv != nil {
		fmt.Fprintf(w, "  Metrics           http://%s/metrics and /healthz\n", srv.Addr())
	}
	fmt.Fprintf(w, "  Feeds             ")
	for i, f := range cfg.Feeds {
		if i > 0 {
			fmt.Fprint(w, ", ")
		}
		fmt.Fprintf(w, "%s (%s)", f.ID, f.Schedule)
	}
	fmt.Fprintf(w, "\n\nPosts appear below as the bot makes them. In another terminal, try:\n\n")
	fmt.Fprintf(w, "  curl -s %s/_emulator/channels/%s/messages\n", pg.emuURL, emulator.DefaultNewsChannel)
	for _, c := range []string{"/summarize story:1", "/quote story:1 author:marta_k", "/news search query:bridge", "/feeds status"} {
		fmt.Fprintf(w, "  curl -s %s/_emulator/interactions -d '{\"command\":\"%s\"}'\n", pg.emuURL, c)
	}
	fmt.Fprintf(w, "\nIn a minute the example site updates a story and publishes a new one; watch the bot notice.\nCtrl-C stops everything.\n\n")
}

// print shows each post in the terminal in a readable form.
func (pg *playground) print(d news.Delivery, m *discordgo.Message) {
	if d.Kind == news.DeliveryCrosspost {
		return // publishing changes nothing a reader of the channel sees
	}
	name, _ := pg.names.Load(d.ChannelID)
	ch := fmt.Sprintf("#%v", name)
	if name == nil {
		ch = "#" + d.ChannelID
	}
	var b strings.Builder
	switch {
	case len(m.Embeds) > 0:
		e := m.Embeds[0]
		fmt.Fprintf(&b, "%-6s 📰 %s\n", ch, e.Title)
		if e.Footer != nil {
			fmt.Fprintf(&b, "       %s · %s\n", e.URL, e.Footer.Text)
		}
	default:
		icon := "💬"
		if d.Kind == news.DeliveryUpdated {
			icon = "✏️ "
		}
		lines := strings.Split(m.Content, "\n")
		fmt.Fprintf(&b, "%-6s %s %s\n", ch, icon, lines[0])
		for _, l := range lines[1:min(len(lines), 6)] {
			fmt.Fprintf(&b, "       %s\n", l)
		}
	}
	fmt.Fprint(pg.out, b.String())
}

// loadExamples puts the example feeds and their article pages on site.
func loadExamples(site *feedserver.Server, base string) error {
	published := time.Now().Add(-3 * time.Hour).Truncate(time.Minute)
	var world []feedserver.Item
	for i, name := range []string{"footbridge", "heatwave", "library"} {
		it, body, err := examplePage(name, base, published.Add(time.Duration(i)*time.Hour))
		if err != nil {
			return err
		}
		site.SetPage("/story/"+name, "text/plain; charset=utf-8", body)
		world = append([]feedserver.Item{it}, world...)
	}
	site.Set("/world.xml", world...)
	site.Set("/tech.xml", techItems(base, published)...)
	site.Set("/talk.xml", talkItems(base, published)...)
	talkThreads(site, published)
	return nil
}

// examplePage reads an embedded page dump and the feed item that links it.
func examplePage(name, base string, published time.Time) (feedserver.Item, []byte, error) {
	body, err := examples.ReadFile("examples/" + name + ".txt")
	if err != nil {
		return feedserver.Item{}, nil, err
	}
	a, err := page.ParseText(bytes.NewReader(body), page.Options{Now: time.Now()})
	if err != nil {
		return feedserver.Item{}, nil, fmt.Errorf("example %s: %w", name, err)
	}
	return feedserver.Item{
		GUID: "example-" + name, Title: a.Title, Link: base + "/story/" + name,
		Paragraphs: a.Paragraphs, Published: published,
	}, body, nil
}
