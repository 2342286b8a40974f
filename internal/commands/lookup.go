package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/newsbot-dev/newsbot/internal/english"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/render"
)

// loadStory reads the story a command names, turning the two things a
// member can get wrong into their own messages.
func (h *Handler) loadStory(ctx context.Context, id int64) (news.Story, error) {
	s, err := h.Store.Story(ctx, id)
	switch {
	case errors.Is(err, news.ErrNotFound):
		return s, userErrorf("Story %d doesn't exist — try /news search or the story autocomplete.", id)
	case err != nil:
		return s, err
	case s.Deleted:
		return s, userErrorf("Story %d was removed by the server's admins.", id)
	}
	return s, nil
}

// loadThread reads a story's comments in page order, deleted ones
// included, refusing a thread with nothing left to read.
func (h *Handler) loadThread(ctx context.Context, s news.Story) ([]news.Comment, error) {
	cs, err := h.Store.Comments(ctx, s.ID)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(cs, func(c news.Comment) bool { return !c.Deleted }) {
		if len(cs) > 0 {
			return nil, userErrorf("Every comment on story %d was deleted.", s.ID)
		}
		return nil, h.noComments(ctx, s)
	}
	return cs, nil
}

// noComments explains an empty thread: quiet, or a source that fails.
func (h *Handler) noComments(ctx context.Context, s news.Story) error {
	if s.FeedID == "" {
		return userErrorf("Story %d has no comments yet.", s.ID)
	}
	src, err := h.Store.CommentHealth(ctx, s.FeedID)
	if err != nil {
		h.log().Warn("comment source health", "feed", s.FeedID, "err", err)
	}
	if err != nil || !src.Failing() {
		return userErrorf("Story %d has no comments yet.", s.ID)
	}
	return userErrorf("Story %d has no comments here yet because its comment source is failing: "+
		"it has failed %s in a row since %s (%s). newsbot keeps trying; ask again later.",
		s.ID, english.Plural(src.Failures, "time"), render.Timestamp(src.FailingSince, 'R'),
		escapeFit(render.RedactURLs(src.LastError), 200))
}

// byIndex maps comment indexes to comments, for reply lookups.
func byIndex(cs []news.Comment) map[int]*news.Comment {
	m := make(map[int]*news.Comment, len(cs))
	for i := range cs {
		m[cs[i].Index] = &cs[i]
	}
	return m
}

// feedPost is how the bot's post of a story looks for its feed: the
// feed's display name and template, when the feeds are known.
func (h *Handler) feedPost(ctx context.Context, feedID string) render.Post {
	if h.Feeds == nil || feedID == "" {
		return render.Post{}
	}
	all, err := h.Feeds.Status(ctx)
	if err != nil {
		h.log().Warn("feed status for a story card", "feed", feedID, "err", err)
		return render.Post{}
	}
	for _, f := range all {
		if f.Feed.ID == feedID {
			return render.Post{FeedName: f.Feed.Name, Template: f.Feed.Template}
		}
	}
	return render.Post{}
}

// commentersHint lists a few of a story's commenters, for messages that
// say a name matched no one.
func (h *Handler) commentersHint(ctx context.Context, storyID int64) (string, error) {
	names, err := h.Store.Commenters(ctx, storyID, "", 5)
	if err != nil {
		return "", fmt.Errorf("commenters of story %d: %w", storyID, err)
	}
	if len(names) == 0 {
		return "", nil
	}
	for i, n := range names {
		names[i] = escapeFit(n, 40)
	}
	return "; commenters include " + joinNames(names), nil
}
