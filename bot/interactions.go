package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"
)

// tokenLife is how long Discord accepts edits of an interaction's answer.
const tokenLife = 15 * time.Minute

// sorry is what a member reads when answering failed in a way the handler
// did not explain itself: never Discord's "The application did not respond".
const sorry = "Sorry — something went wrong answering that. The bot's log has the details."

// answer runs the handler for one interaction and answers within Discord's
// 3 s: directly when the handler is quick, else deferred first and then
// completed by editing the original response.
func (b *Bot) answer(i *discordgo.Interaction) {
	ctx, cancel := context.WithTimeout(context.Background(), tokenLife-time.Minute)
	defer cancel()
	type result struct {
		resp *discordgo.InteractionResponse
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := b.opts.Handler.Respond(ctx, i)
		done <- result{resp, err}
	}()
	timer := time.NewTimer(b.opts.DeferAfter)
	defer timer.Stop()
	select {
	case r := <-done:
		b.respond(i, b.fallback(i, r.resp, r.err))
	case <-timer.C:
		if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
			// Autocomplete cannot be deferred: offer nothing rather than
			// let the member's box hang.
			b.respond(i, &discordgo.InteractionResponse{
				Type: discordgo.InteractionApplicationCommandAutocompleteResult,
				Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{}},
			})
			return
		}
		if err := b.session.InteractionRespond(i, b.deferral(i)); err != nil {
			b.log.Warn("defer interaction", "interaction", describe(i), "err", err)
			return
		}
		r := <-done
		b.complete(i, b.fallback(i, r.resp, r.err))
	}
}

// EphemeralHinter is implemented by handlers that know, before answering,
// that an answer is for the asker's eyes only. A deferred answer's
// visibility is fixed when it is deferred, so the bot asks first.
type EphemeralHinter interface {
	Ephemeral(i *discordgo.Interaction) bool
}

// deferral is the "thinking…" answer: for a button click the message stays
// as it is until the edit arrives.
func (b *Bot) deferral(i *discordgo.Interaction) *discordgo.InteractionResponse {
	if i.Type == discordgo.InteractionMessageComponent {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	}
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if h, ok := b.opts.Handler.(EphemeralHinter); ok && h.Ephemeral(i) {
		resp.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
	}
	return resp
}

// fallback turns a handler error (or a nil answer) into a message the
// member can read.
func (b *Bot) fallback(i *discordgo.Interaction, resp *discordgo.InteractionResponse, err error) *discordgo.InteractionResponse {
	if err == nil && resp != nil {
		return resp
	}
	if err == nil {
		err = errors.New("handler gave no answer")
	}
	b.log.Error("interaction failed", "interaction", describe(i), "err", err)
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		return &discordgo.InteractionResponse{
			Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{}},
		}
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: sorry, Flags: discordgo.MessageFlagsEphemeral},
	}
}

func (b *Bot) respond(i *discordgo.Interaction, resp *discordgo.InteractionResponse) {
	if resp.Data != nil && resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
		resp.Data.AllowedMentions = noMentions()
	}
	if err := b.session.InteractionRespond(i, resp); err != nil {
		b.log.Warn("answer interaction", "interaction", describe(i), "err", err)
	}
}

// complete edits the deferred response into the real answer.
func (b *Bot) complete(i *discordgo.Interaction, resp *discordgo.InteractionResponse) {
	data := resp.Data
	if data == nil {
		data = &discordgo.InteractionResponseData{}
	}
	edit := &discordgo.WebhookEdit{
		Content:         &data.Content,
		Embeds:          &data.Embeds,
		Components:      &data.Components,
		AllowedMentions: noMentions(),
	}
	if _, err := b.session.InteractionResponseEdit(i, edit); err != nil {
		b.log.Warn("complete deferred interaction", "interaction", describe(i), "err", err)
	}
}

func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// describe names an interaction in logs without its token.
func describe(i *discordgo.Interaction) string {
	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		return fmt.Sprintf("/%s (%s)", i.ApplicationCommandData().Name, i.ID)
	case discordgo.InteractionMessageComponent:
		return fmt.Sprintf("button %s (%s)", i.MessageComponentData().CustomID, i.ID)
	}
	return i.ID
}
