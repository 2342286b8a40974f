package commands

import (
	"context"
	"errors"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/render"
)

// userError is a problem the member can fix or should know about ("Story
// 42 doesn't exist"): its text is shown to them, ephemeral, as it is.
type userError struct{ msg string }

func (e *userError) Error() string { return e.msg }

func userErrorf(format string, args ...any) error {
	return &userError{msg: fmt.Sprintf(format, args...)}
}

// Generic answers for failures the member cannot fix. They never carry
// the error itself, which may name files, SQL or URLs with secrets.
const (
	sorryText   = "Sorry — something went wrong looking that up. The bot's log has the details; please try again in a moment."
	timeoutText = "Sorry — that took too long to answer. Please try again in a moment."
)

// finish turns a handler's result into the response sent: a user error
// becomes its ephemeral message, any other error a generic line with the
// error logged. Every message gets allowed_mentions {"parse": []}.
func (h *Handler) finish(i *discordgo.Interaction, resp *discordgo.InteractionResponse, err error) *discordgo.InteractionResponse {
	var ue *userError
	switch {
	case errors.As(err, &ue):
		resp = ephemeral(ue.msg)
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		h.log().Warn("interaction ran out of time", "interaction", describe(i), "err", err)
		resp = ephemeral(timeoutText)
	case err != nil:
		h.log().Error("interaction failed", "interaction", describe(i), "err", err)
		resp = ephemeral(sorryText)
	case resp == nil:
		h.log().Error("interaction gave no answer", "interaction", describe(i))
		resp = ephemeral(sorryText)
	}
	if resp.Data != nil {
		resp.Data.AllowedMentions = render.NoMentions()
	}
	return resp
}

// describe names an interaction in logs, without its token.
func describe(i *discordgo.Interaction) string {
	if d, ok := commandData(i); ok {
		return fmt.Sprintf("/%s (%s)", d.Name, i.ID)
	}
	if d, ok := componentData(i); ok {
		return fmt.Sprintf("button %s (%s)", d.CustomID, i.ID)
	}
	return fmt.Sprintf("interaction %s", i.ID)
}

// message is a public channel message answer.
func message(content string, embeds ...*discordgo.MessageEmbed) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Content:         render.Trim(content, render.MaxContent, ""),
			Embeds:          embeds,
			AllowedMentions: render.NoMentions(),
		},
	}
}

// ephemeral is an answer only the member who asked sees.
func ephemeral(content string, embeds ...*discordgo.MessageEmbed) *discordgo.InteractionResponse {
	r := message(content, embeds...)
	r.Data.Flags = discordgo.MessageFlagsEphemeral
	return r
}

// choices is an autocomplete answer; nil gives an empty list, which Discord
// shows as "no options" rather than an error.
func choices(cs []*discordgo.ApplicationCommandOptionChoice) *discordgo.InteractionResponse {
	if cs == nil {
		cs = []*discordgo.ApplicationCommandOptionChoice{}
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: cs},
	}
}
