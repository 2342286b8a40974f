package commands

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/english"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/render"
)

// feeds answers /feeds, for admins only. Discord hides the command from
// members without Manage Server by default, but a server can grant it to
// anyone, so the member's own permissions are checked on every use.
func (h *Handler) feeds(ctx context.Context, i *discordgo.Interaction, o options) (*discordgo.InteractionResponse, error) {
	if err := checkAdmin(i); err != nil {
		return nil, err
	}
	if h.Feeds == nil {
		return nil, userErrorf("Feed information isn't available here: newsbot is running without a feed configuration.")
	}
	switch o.sub {
	case "list":
		return h.feedsReport(ctx, "Feeds", listEntry)
	case "status":
		return h.feedsReport(ctx, "Feed status", statusEntry)
	case "preview":
		return h.feedsPreview(ctx, o.str(optFeed))
	}
	return nil, userErrorf("/feeds needs a subcommand: list, status or preview.")
}

func checkAdmin(i *discordgo.Interaction) error {
	if i.Member == nil {
		return userErrorf("/feeds works only in a server, for its admins.")
	}
	if i.Member.Permissions&(permManageServer|permAdministrator) == 0 {
		return userErrorf("/feeds is for admins: it needs the Manage Server permission, which you don't have here.")
	}
	return nil
}

// feedsReport lists every feed in one embed, one entry each.
func (h *Handler) feedsReport(ctx context.Context, title string, entry func(FeedStatus, *Handler) string) (*discordgo.InteractionResponse, error) {
	all, err := h.Feeds.Status(ctx)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return ephemeral("No feeds are configured: add some under feeds: in the config file."), nil
	}
	var b strings.Builder
	for n, f := range all {
		e := entry(f, h)
		if render.Len(b.String())+render.Len(e)+60 > render.MaxEmbedDescription {
			fmt.Fprintf(&b, "*(%s not shown)*", english.Plural(len(all)-n, "more feed"))
			break
		}
		b.WriteString(e + "\n\n")
	}
	emb := &discordgo.MessageEmbed{
		Type:        discordgo.EmbedTypeRich,
		Title:       fmt.Sprintf("%s (%d)", title, len(all)),
		Description: strings.TrimSpace(b.String()),
	}
	return ephemeral("", emb), nil
}

func listEntry(f FeedStatus, _ *Handler) string {
	c := f.Feed
	head := "**" + escapeFit(c.ID, 64) + "**"
	if c.Name != "" && c.Name != c.ID {
		head += " — " + escapeFit(c.Name, 100)
	}
	lines := []string{
		head,
		fmt.Sprintf("%s · `%s` · kind %s", feedSource(c.URL), clip(c.Schedule, 80), c.Kind),
		"Posts to " + channels(f.Subscriptions, c.Channels) + fmt.Sprintf(" · backfill %d · updates: %s", c.Backfill, c.Updates),
	}
	return strings.Join(lines, "\n")
}

func statusEntry(f FeedStatus, h *Handler) string {
	st, cs := f.State, f.Comments
	var health []string
	switch {
	case st.LastPoll.IsZero():
		health = append(health, "⏳ not polled yet")
	case st.Failures > 0:
		health = append(health, fmt.Sprintf("⚠️ failing since %s (%s in a row)", render.Timestamp(st.FailingSince, 'R'), english.Plural(st.Failures, "failure")))
	}
	if cs.Failing() {
		health = append(health, fmt.Sprintf("⚠️ comments failing since %s (%s in a row)", render.Timestamp(cs.FailingSince, 'R'), english.Plural(cs.Failures, "failure")))
	}
	if len(health) == 0 {
		health = append(health, "✅ healthy")
	}
	lines := []string{"**" + escapeFit(f.Feed.ID, 64) + "** " + strings.Join(health, "; ")}
	var times []string
	if at := render.Timestamp(st.LastPoll, 'R'); at != "" {
		times = append(times, "last poll "+at)
	}
	if at := render.Timestamp(st.LastSuccess, 'R'); at != "" {
		times = append(times, "last success "+at)
	}
	next := "next run " + render.Timestamp(f.Next, 'R')
	switch {
	case f.Next.IsZero():
		next = "not scheduled"
	case f.Next.Before(h.now()):
		next += " (due now)"
	}
	times = append(times, next)
	if st.NextPoll.After(h.now()) && st.NextPoll.After(f.Next) {
		times = append(times, "backing off until "+render.Timestamp(st.NextPoll, 'R'))
	}
	lines = append(lines, strings.Join(times, " · "))
	if st.LastError != "" && st.Failures > 0 {
		lines = append(lines, "Error: "+escapeFit(st.LastError, 300))
	}
	if cs.Failing() {
		lines = append(lines, fmt.Sprintf("Comment source (%s) error: %s", f.Feed.Comments.Source, escapeFit(cs.LastError, 300)))
	}
	lines = append(lines, "Channels: "+channels(f.Subscriptions, f.Feed.Channels))
	return strings.Join(lines, "\n")
}

// channels lists a feed's channels as mentions (which never ping), with
// the reason Discord refused any that are broken.
func channels(subs []news.Subscription, configured []string) string {
	broken := map[string]string{}
	for _, s := range subs {
		if s.Broken != "" {
			broken[s.ChannelID] = s.Broken
		}
	}
	if len(configured) == 0 {
		return "no channels"
	}
	var out []string
	for n, id := range configured {
		if n == 10 {
			out = append(out, fmt.Sprintf("and %d more", len(configured)-n))
			break
		}
		m := "<#" + clip(id, 24) + ">"
		if why := broken[id]; why != "" {
			m += " (refused: " + escapeFit(why, 80) + ")"
		}
		out = append(out, m)
	}
	return strings.Join(out, ", ")
}

// feedSource shows where a feed comes from without what may be secret in
// its URL: credentials and the query string are left out.
func feedSource(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "file `" + clip(strings.ReplaceAll(raw, "`", "'"), 120) + "`"
	}
	shown := u.Scheme + "://" + u.Host + u.EscapedPath()
	if u.RawQuery != "" {
		shown += "?…"
	}
	return "<" + clip(shown, 200) + ">"
}

func (h *Handler) feedsPreview(ctx context.Context, id string) (*discordgo.InteractionResponse, error) {
	if id == "" {
		return nil, userErrorf("Name the feed to preview, like /feeds preview feed:example.")
	}
	s, f, err := h.Feeds.Preview(ctx, id)
	if errors.Is(err, news.ErrNotFound) {
		return nil, h.checkFeedOr(ctx, id, err)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		// Admins need to know why a feed can't be read; the log has the rest.
		h.log().Warn("feed preview failed", "feed", id, "err", err)
		return nil, userErrorf("Couldn't preview feed %s: %s", echo(id), escapeFit(err.Error(), 400))
	}
	post, err := render.NewStory(s, render.Post{FeedName: f.Name, Template: f.Template})
	content := fmt.Sprintf("Preview of the newest item of feed %s as it would be posted (its story number comes when it is stored):", echo(f.ID))
	if err != nil {
		h.log().Warn("feed template failed in preview", "feed", id, "err", err)
		content = fmt.Sprintf("Feed %s's template failed (%s), so this is the standard card it would fall back to:",
			echo(f.ID), escapeFit(err.Error(), 300))
	}
	return ephemeral(content, post.Embeds...), nil
}

// checkFeedOr explains an unknown feed id by listing the known ones.
func (h *Handler) checkFeedOr(ctx context.Context, id string, err error) error {
	if e := h.checkFeed(ctx, id); e != nil {
		return e
	}
	return fmt.Errorf("preview feed %q: %w", id, err)
}
