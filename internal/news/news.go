// Package news holds the domain types every other newsbot package shares:
// stories and their revisions, comments, feed state and deliveries.
//
// It imports nothing of newsbot's own, so parsers, the store, the scheduler
// and the bot can all speak in these types without depending on each other.
package news

import (
	"errors"
	"time"
)

// Article is one story as a single source showed it at one moment: what a
// feed entry, an HTML page or a page dump parses to before it is matched
// against the stories already stored.
type Article struct {
	GUID        string // the source's own id for the entry, if any
	URL         string // link to the article as the source gave it
	Title       string
	Paragraphs  []string // body text, one element per paragraph, page chrome removed
	Author      string
	Source      string // site or feed name, for display ("engadget.com")
	ImageURL    string
	CommentsURL string // where the discussion lives, when the source says
	Published   time.Time
	Updated     time.Time

	// Comments found with the article (page dumps, comment feeds); nil when
	// the source has none, which never removes comments already stored.
	Comments []Comment

	// ExternalID ties the story to a discussion platform item, such as a
	// Hacker News item id or a Reddit post id, when the feed gives one.
	ExternalID string
}

// Story is a news story as newsbot knows it, across every revision.
type Story struct {
	ID           int64
	FeedID       string // feed that first brought it; empty for imports
	GUID         string
	URL          string // canonical URL (tracking parameters removed)
	Title        string // title of the latest revision
	Paragraphs   []string
	Author       string
	Source       string
	ImageURL     string
	CommentsURL  string
	ExternalID   string
	Published    time.Time
	Updated      time.Time
	FirstSeen    time.Time
	Revision     int // number of the latest revision, from 1
	CommentCount int
	Deleted      bool
}

// Revision is one distinct version of a story's content.
type Revision struct {
	StoryID    int64
	Number     int // 1 for the first version seen
	Title      string
	Paragraphs []string
	Hash       string // hash of the normalised title and text
	SourceURL  string // where this version was read
	SeenAt     time.Time
	Added      []string // paragraphs new since the previous revision
	Removed    []string // paragraphs gone since the previous revision
	OldTitle   string   // previous title when the title really changed, else ""
}

// Comment is one reader comment under a story.
type Comment struct {
	ID      int64 // store id; 0 before it is stored
	StoryID int64
	Index   int // 1-based position in page order

	// ExternalID and ParentID are the source's own ids (Reddit "t1_abc",
	// a Hacker News item id); empty for page dumps, which have none.
	ExternalID string
	ParentID   string

	ReplyTo  int // Index of the comment this one answers; 0 when none is known
	Depth    int // 0 for top-level comments
	Author   string
	Body     string // verbatim; paragraphs separated by a blank line
	PostedAt time.Time
	EditedAt time.Time // zero when never edited
	Score    int
	HasScore bool
	Deleted  bool
}

// Edited reports whether the comment carries an edit mark.
func (c Comment) Edited() bool { return !c.EditedAt.IsZero() }

// Status says what saving an article did to the store.
type Status string

const (
	StatusNew       Status = "new"
	StatusUpdated   Status = "updated"
	StatusUnchanged Status = "unchanged"
)

// SaveResult reports what happened when one article was saved.
type SaveResult struct {
	Story    Story
	Status   Status
	Revision Revision // the latest revision after the save
	Comments int      // comments attached to the story after the save
}

// FeedState is what the bot remembers about polling one feed.
type FeedState struct {
	FeedID       string
	ETag         string
	LastModified string
	LastPoll     time.Time // last attempt
	LastSuccess  time.Time
	Failures     int // consecutive failures; 0 when healthy
	FailingSince time.Time
	LastError    string
	NoticeSent   bool      // a failure notice went out for the current outage
	NextPoll     time.Time // earliest next attempt under backoff or Retry-After
}

// SourceHealth is what the bot remembers about a feed's comment source
// (Hacker News, Reddit, a comment feed): kept apart from the feed's own
// state, so either can fail while the other works.
type SourceHealth struct {
	FeedID       string
	Failures     int // refresh rounds in a row in which the source failed; 0 when healthy
	FailingSince time.Time
	LastError    string
	LastAttempt  time.Time
	LastSuccess  time.Time
	NoticeSent   bool // a failure notice went out for the current outage
}

// Failing reports whether the source's last attempts failed.
func (h SourceHealth) Failing() bool { return h.Failures > 0 }

// NoticeKind says what a feed health notice tells a channel.
type NoticeKind string

const (
	NoticeFailing   NoticeKind = "failing"   // the feed has failed many times in a row
	NoticeRecovered NoticeKind = "recovered" // it works again, after a failing notice

	NoticeCommentsFailing   NoticeKind = "comments_failing"   // the feed's comment source keeps failing
	NoticeCommentsRecovered NoticeKind = "comments_recovered" // it works again
)

// Notice is what a feed health notice says. It is stored as these facts
// and rendered when it is sent, like a story.
type Notice struct {
	Kind      NoticeKind
	Failures  int       // failed polls in a row
	Since     time.Time // the first failure of the outage
	LastError string
}

// DeliveryKind names what a delivery posts.
type DeliveryKind string

const (
	DeliveryNew      DeliveryKind = "new"      // first post of a story
	DeliveryUpdated  DeliveryKind = "updated"  // a story already posted changed
	DeliveryNotice   DeliveryKind = "notice"   // a feed failure or recovery notice
	DeliveryComments DeliveryKind = "comments" // comment count on the post changed
	// DeliveryCrosspost publishes a post of an announcement channel to
	// the servers following it.
	DeliveryCrosspost DeliveryKind = "crosspost"
)

// DeliveryState is where a delivery stands in the outbox.
type DeliveryState string

const (
	DeliveryPending DeliveryState = "pending"
	DeliverySent    DeliveryState = "sent"
	DeliveryFailed  DeliveryState = "failed"  // gave up: the channel refused it for good
	DeliverySkipped DeliveryState = "skipped" // seen but deliberately not posted (first run, filters)
)

// Subscription is one feed posting into one channel.
type Subscription struct {
	FeedID    string
	ChannelID string
	Created   time.Time
	Seeded    bool   // the first poll for this channel happened (backfill decided)
	Broken    string // why Discord refused the channel for good; empty when healthy
}

// Delivery is one post (or edit) owed to one channel.
type Delivery struct {
	ID        int64
	Kind      DeliveryKind
	FeedID    string
	ChannelID string
	StoryID   int64  // 0 for notices
	Revision  int    // revision the delivery shows
	Text      string // a notice written before notices were stored as facts
	Nonce     string // sent with enforce_nonce so a resend cannot double-post
	State     DeliveryState
	Attempts  int
	// LastAttempt is when a send was last started. A delivery attempted
	// but not recorded as sent may have reached Discord: it is reconciled
	// before it is sent again.
	LastAttempt time.Time
	LastError   string
	MessageID   string // Discord message id once the post is recorded
	ThreadID    string // discussion thread started on the post (a forum post's own thread), if any
	WebhookID   string // the channel webhook that posted it; empty when the bot did
	CreatedAt   time.Time
	SentAt      time.Time
	NotBefore   time.Time // retry backoff
}

// Posted is what a delivery produced in Discord.
type Posted struct {
	MessageID string
	ThreadID  string // a discussion thread started on it, or the forum post it opened
	WebhookID string // the channel webhook it went through, if any
	Crosspost bool   // publishing it is owed too (announcement channels)
}

// Errors callers test for with errors.Is. Wrapped errors say which input failed.
var (
	ErrNotFound = errors.New("not found")
	ErrInvalid  = errors.New("invalid input")
)
