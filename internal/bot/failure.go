package bot

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// permanentError marks a delivery that can never succeed as it stands.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

func permanent(err error) error { return permanentError{err} }

// failed records why a delivery did not go out and when to try again:
// rate limits wait as Discord says, server errors back off, and a channel
// that refuses the bot (gone, no access, no permission) marks its
// subscription broken once instead of retrying for ever.
func (dl *Deliverer) failed(ctx context.Context, d news.Delivery, err error) error {
	now := dl.now()
	var rl *discordgo.RateLimitError
	var pe permanentError
	var uc unsupportedChannel
	switch {
	case errors.As(err, &rl):
		return errors.Join(err, dl.Store.MarkRetry(ctx, d.ID, err.Error(), now.Add(max(rl.RetryAfter, 50*time.Millisecond))))
	case unauthorized(err):
		// A revoked or reset token is the whole bot's problem, not this
		// delivery's: keep it, and try again later.
		dl.log().Error("Discord rejects the bot's token (401): reset it in the Developer Portal and restart the bot; deliveries wait",
			"delivery", d.ID)
		return errors.Join(err, dl.Store.MarkRetry(ctx, d.ID, err.Error(), now.Add(5*time.Minute)))
	case channelRefused(err), errors.As(err, &uc):
		dl.log().Error("Discord refuses the channel: no more stories go there until it is fixed and the bot restarted (or the config reloaded)",
			"feed", d.FeedID, "channel", d.ChannelID, "err", err)
		return errors.Join(err,
			dl.Store.MarkFailed(ctx, d.ID, err.Error()),
			dl.Store.MarkSubscriptionBroken(ctx, d.FeedID, d.ChannelID, err.Error()))
	case errors.As(err, &pe), clientError(err):
		dl.log().Error("delivery can never succeed; giving up on it", "delivery", d.ID, "kind", d.Kind, "err", err)
		return errors.Join(err, dl.Store.MarkFailed(ctx, d.ID, err.Error()))
	}
	// Server errors and network trouble: back off, doubling each attempt.
	base := dl.RetryBase
	if base <= 0 {
		base = 2 * time.Second
	}
	wait := min(base<<min(d.Attempts, 10), 15*time.Minute)
	return errors.Join(err, dl.Store.MarkRetry(ctx, d.ID, err.Error(), now.Add(wait)))
}

// channelRefused reports Discord saying the channel is gone or closed to
// the bot.
func channelRefused(err error) bool {
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		return false
	}
	if re.Message != nil {
		switch re.Message.Code {
		case discordgo.ErrCodeUnknownChannel, discordgo.ErrCodeMissingAccess, discordgo.ErrCodeMissingPermissions:
			return true
		}
	}
	return re.Response != nil && re.Response.StatusCode == http.StatusForbidden
}

// unauthorized reports Discord rejecting the token.
func unauthorized(err error) bool {
	var re *discordgo.RESTError
	return errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized
}

// clientError is a 4xx other than a rate limit: the request itself is
// wrong, and sending it again would fail again.
func clientError(err error) bool {
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		return false
	}
	c := re.Response.StatusCode
	return c >= 400 && c < 500 && c != http.StatusTooManyRequests
}

func isCode(err error, code int) bool {
	var re *discordgo.RESTError
	return errors.As(err, &re) && re.Message != nil && re.Message.Code == code
}
