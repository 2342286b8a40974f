package bot

import (
	"errors"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/outbox"
)

// permanentError marks a delivery that can never succeed as it stands.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

func permanent(err error) error { return permanentError{err} }

// failed says what Discord's refusal of a delivery means, for the outbox
// to act on: rate limits wait as Discord says, a channel that refuses the
// bot (gone, no access, no permission) is given up on, and server errors
// and network trouble are retried after a backoff.
func (dl *Deliverer) failed(d news.Delivery, err error) error {
	var rl *discordgo.RateLimitError
	var held *waitError
	var pe permanentError
	var uc unsupportedChannel
	switch {
	case errors.As(err, &rl):
		return outbox.Wait(err, rl.RetryAfter)
	case errors.As(err, &held):
		return outbox.Wait(err, held.wait)
	case unauthorized(err):
		// A revoked or reset token is the whole bot's problem, not this
		// delivery's: keep it, and try again later.
		dl.log().Error("Discord rejects the bot's token (401): reset it in the Developer Portal and restart the bot; deliveries wait",
			"delivery", d.ID)
		return outbox.Wait(err, 5*time.Minute)
	case channelRefused(err), errors.As(err, &uc):
		return outbox.Refused(err)
	case errors.As(err, &pe), clientError(err):
		return outbox.GiveUp(err)
	}
	return err
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
