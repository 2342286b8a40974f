// Package config reads newsbot's YAML configuration into a validated
// Config.
//
// Decoding is strict: unknown keys, bad values and YAML syntax errors are
// all reported together, each with the file, the line and the key at
// fault ("config.yaml:14: feeds[0].schedule: bad cron expression …").
// ${VAR} and ${VAR:-default} expand inside values after parsing, so secrets
// can stay in the environment and can never change the file's structure.
package config

import (
	"os"
	"regexp"
	"runtime/debug"
	"text/template"
	"time"
	_ "time/tzdata" // time zones must resolve even on hosts without zoneinfo
)

// Config is a whole newsbot configuration, defaults applied.
type Config struct {
	Discord   Discord
	Database  string // SQLite path (relative paths resolved against the file's directory), ":memory:" or a postgres:// URL
	Timezone  string
	Location  *time.Location // Timezone loaded; cron schedules run in it
	Log       Log
	Fetch     Fetch
	Summarize Summarize
	Metrics   Metrics
	Defaults  FeedDefaults
	Feeds     []Feed
	Path      string // file it was read from

	Interactions Interactions // slash commands over HTTP; read at start only
	Cluster      Cluster      // several processes on one PostgreSQL database
}

// Discord says how to reach Discord.
type Discord struct {
	Token         string // may be empty after Parse; `run` refuses to start without it
	ApplicationID string // empty: read from Discord at start
	GuildID       string // empty: register slash commands globally
	APIURL        string // empty: Discord itself; no trailing slash
	Shards        Shards // gateway sessions; zero: one, unsharded
	PublicKey     string // the application's Ed25519 public key, hex; checks HTTP interactions

	tokenVar      string // variable named by discord.token that was unset
	tokenInFile   bool   // the token is written literally in the file
	apiURLFromEnv bool   // APIURL came from NEWSBOT_DISCORD_API_URL
}

// Log configures the program's own logging.
type Log struct {
	Level  string // debug, info, warn or error
	Format string // text or json
}

// Fetch limits how feeds are downloaded.
type Fetch struct {
	AllowPrivate       bool // allow private, loopback and link-local addresses
	UserAgent          string
	Timeout            time.Duration
	MaxBody            int64 // bytes
	MaxRedirects       int
	MaxConcurrent      int           // fetches at once over all feeds
	PerHost            int           // fetches at once per host
	Jitter             time.Duration // window a shared schedule is spread over, each feed at its own fixed offset; 0: a tenth of each schedule's period, at most 5 minutes
	FailureNoticeAfter int           // consecutive failures before a channel notice; 0 = never
}

// Metrics configures the operations listener: /healthz and Prometheus
// /metrics. Off when Listen is empty.
type Metrics struct {
	Listen string // host:port, e.g. 127.0.0.1:9090
}

// Summarize chooses how /summarize condenses a comment thread.
type Summarize struct {
	Engine Engine
	OpenAI OpenAI
}

// OpenAI is any OpenAI-compatible chat-completions endpoint.
type OpenAI struct {
	BaseURL string
	Model   string
	APIKey  string
	Timeout time.Duration
}

// FeedDefaults is what every feed inherits for the settings it leaves
// unset: the built-in defaults with the file's `defaults:` block applied.
type FeedDefaults struct {
	Kind         FeedKind
	Channels     []string
	Schedule     string
	Backfill     int
	Updates      UpdateMode
	Thread       bool
	Include      []*regexp.Regexp
	Exclude      []*regexp.Regexp
	Template     *template.Template
	TemplateText string
	Comments     Comments
	Mentions     []Mention
	Crosspost    bool
	Forum        Forum
	AutoArchive  int // minutes a thread may idle before Discord archives it
	// MaxNewPerPoll caps the new stories one poll stores; 0: no cap.
	MaxNewPerPoll int

	channels []channelSpec
}

// Feed is one configured feed, defaults resolved.
type Feed struct {
	ID           string
	Name         string // display name; the id when the file gives none
	URL          string // http(s) URL, or a local file path already resolved against the config's directory
	Kind         FeedKind
	Channels     []string
	Schedule     string // robfig/cron/v3 spec, valid for cron.ParseStandard
	Backfill     int    // newest N items posted when the feed is first seen
	Updates      UpdateMode
	Thread       bool
	AllowPrivate bool // resolved: the feed's own allow_private, else fetch.allow_private
	Include      []*regexp.Regexp
	Exclude      []*regexp.Regexp
	Template     *template.Template // nil when none
	TemplateText string
	Comments     Comments
	Line         int // line of the feed in the file

	// Subscriptions are Channels with their per-channel settings
	// resolved, in the same order.
	Subscriptions []Subscription
	Mentions      []Mention // who a story may ping; see Subscription.Pings
	Crosspost     bool      // publish each post in announcement channels
	Forum         Forum     // posts in forum and media channels
	AutoArchive   int       // minutes a story's thread may idle before Discord archives it
	AvatarURL     string    // the avatar webhook posts show; empty: the webhook's own
	// MaxNewPerPoll caps the new stories one poll stores: when a document
	// lists more, the newest are taken and the older ones skipped. 0: no cap.
	MaxNewPerPoll int
}

// Comments says where a feed's reader comments come from and how often
// they are fetched again.
type Comments struct {
	Source    CommentSource
	Max       int // cap on comments kept per story
	Refresh   []RefreshStep
	Selectors Selectors
	// APIURL is where the source's API answers (hackernews, reddit); empty
	// means the public one. A mirror, an archive or a local test server
	// can stand in for it.
	APIURL string
	// API says which Hacker News API APIURL speaks: Firebase (the
	// official item API, one request per comment) or Algolia (one request
	// per thread). Empty for other sources.
	API CommentAPI
}

// CommentAPI is the dialect of a Hacker News API.
type CommentAPI string

const (
	APIFirebase CommentAPI = "firebase" // hacker-news.firebaseio.com/v0/item/ID.json
	APIAlgolia  CommentAPI = "algolia"  // hn.algolia.com/api/v1/items/ID
)

// RefreshStep means: while a story is younger than Until, refresh its
// comments every Every. After the last step's Until, refreshing stops.
type RefreshStep struct {
	Until, Every time.Duration
}

// Selectors are CSS selectors for comments in HTML pages (source: page).
type Selectors struct {
	Container string // one element per comment
	Author    string
	Time      string
	Body      string
	Parent    string // attribute or selector giving the parent comment id
}

// UpdateMode says what the bot does when a story it posted changes.
type UpdateMode string

const (
	UpdatesEditAndReply UpdateMode = "edit_and_reply"
	UpdatesEdit         UpdateMode = "edit"
	UpdatesReply        UpdateMode = "reply"
	UpdatesNone         UpdateMode = "none"
)

// Edit reports whether the original post is edited to the new revision.
func (m UpdateMode) Edit() bool { return m == UpdatesEditAndReply || m == UpdatesEdit }

// Reply reports whether a reply showing what changed is posted.
func (m UpdateMode) Reply() bool { return m == UpdatesEditAndReply || m == UpdatesReply }

// FeedKind says how a feed's document is read. Code past the config
// switches on these constants; the file's spelling is checked once, here.
type FeedKind string

const (
	KindAuto FeedKind = "auto" // sniff the document
	KindRSS  FeedKind = "rss"
	KindAtom FeedKind = "atom"
	KindJSON FeedKind = "json" // JSON Feed
	KindPage FeedKind = "page" // an article page (HTML or a text dump): one story
)

// CommentSource says where a feed's reader comments come from.
type CommentSource string

const (
	CommentsNone       CommentSource = "none"
	CommentsPage       CommentSource = "page"       // the story's own page
	CommentsRSS        CommentSource = "rss"        // the entry's comment feed
	CommentsHackerNews CommentSource = "hackernews" // the Hacker News API
	CommentsReddit     CommentSource = "reddit"     // Reddit's JSON API
)

// Enabled reports whether comments are fetched at all.
func (s CommentSource) Enabled() bool { return s != "" && s != CommentsNone }

// HasAPI reports whether the source is a platform API that api_url can
// point elsewhere.
func (s CommentSource) HasAPI() bool { return s == CommentsHackerNews || s == CommentsReddit }

// Engine chooses how /summarize condenses a thread.
type Engine string

const (
	EngineExtractive Engine = "extractive" // sentences from the thread, credited
	EngineOpenAI     Engine = "openai"     // any OpenAI-compatible endpoint
)

// Choices accepted in the file, in the order messages list them.
var (
	kinds          = []FeedKind{KindAuto, KindRSS, KindAtom, KindJSON, KindPage}
	updateModes    = []UpdateMode{UpdatesEditAndReply, UpdatesEdit, UpdatesReply, UpdatesNone}
	commentSources = []CommentSource{CommentsPage, CommentsRSS, CommentsHackerNews, CommentsReddit, CommentsNone}
	commentAPIs    = []CommentAPI{APIFirebase, APIAlgolia}
	logLevels      = []string{"debug", "info", "warn", "error"}
	logFormats     = []string{"text", "json"}
	engines        = []Engine{EngineExtractive, EngineOpenAI}
)

// Version goes into the default User-Agent. It is the module version for
// `go install`ed binaries; the main package may set it before loading.
var Version = moduleVersion()

func moduleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// DefaultUserAgent is the User-Agent sent when fetch.user_agent is empty.
func DefaultUserAgent() string {
	return "newsbot/" + Version + " (+https://github.com/newsbot-dev/newsbot)"
}

// APIURLEnv overrides discord.api_url when set and not empty.
const APIURLEnv = "NEWSBOT_DISCORD_API_URL"

// Load reads the file at path (see ReadFile for what it refuses), expands
// ${VAR} from the process environment and validates it.
func Load(path string) (*Config, error) {
	data, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data, path, os.LookupEnv)
}

// Feed returns the feed with the given id.
func (c *Config) Feed(id string) (Feed, bool) {
	for _, f := range c.Feeds {
		if f.ID == id {
			return f, true
		}
	}
	return Feed{}, false
}

// Matches reports whether a story passes the feed's filters: it must
// match one include pattern (when there are any) and no exclude pattern,
// each tried on the title and on the text.
func (f Feed) Matches(title, text string) bool { return matches(f.Include, f.Exclude, title, text) }

// IsLocal reports whether the feed's URL is a file path rather than an
// http(s) URL.
func (f Feed) IsLocal() bool { return !isHTTP(f.URL) }
