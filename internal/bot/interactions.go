package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/render"
)

// tokenLife is how long Discord accepts edits of an interaction's answer.
const tokenLife = 15 * time.Minute

// sorry is what a member reads when answering failed in a way the handler
// did not explain itself: never Discord's "The application did not respond".
const sorry = "Sorry — something went wrong answering that. The bot's log has the details."

// firstCallback sends an interaction's first answer: over REST for one
// that came over the gateway, as the HTTP response for one that came to
// the interactions endpoint. Whatever follows goes through the webhook
// routes either way.
type firstCallback func(resp *discordgo.InteractionResponse) error

// answer runs the handler for one interaction and answers within Discord's
// 3 s: directly when the handler is quick, else deferred first and then
// completed by editing the original response.
func (b *Bot) answer(i *discordgo.Interaction, first firstCallback) {
	ctx, cancel := context.WithTimeout(context.Background(), tokenLife-time.Minute)
	defer cancel()
	type result struct {
		resp *discordgo.InteractionResponse
		err  error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			// A handler's bug must cost one answer, not the bot.
			if p := recover(); p != nil {
				done <- result{err: fmt.Errorf("handler panicked: %v", p)}
			}
		}()
		resp, err := b.opts.Handler.Respond(ctx, i)
		done <- result{resp, err}
	}()
	timer := time.NewTimer(b.opts.DeferAfter)
	defer timer.Stop()
	select {
	case r := <-done:
		b.respond(i, b.fallback(i, r.resp, r.err), first)
	case <-timer.C:
		if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
			// Autocomplete cannot be deferred: offer nothing rather than
			// let the member's box hang.
			b.respond(i, &discordgo.InteractionResponse{
				Type: discordgo.InteractionApplicationCommandAutocompleteResult,
				Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{}},
			}, first)
			return
		}
		d := b.deferral(i)
		if err := first(d); err != nil {
			b.log.Warn("defer interaction", "interaction", describe(i), "err", redact(err))
			return
		}
		r := <-done
		b.complete(i, d, b.fallback(i, r.resp, r.err))
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
	b.log.Error("interaction failed", "interaction", describe(i), "err", redact(err))
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

func (b *Bot) respond(i *discordgo.Interaction, resp *discordgo.InteractionResponse, first firstCallback) {
	if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult && resp.Data != nil {
		resp.Data.AllowedMentions = render.NoMentions()
	}
	if err := first(resp); err != nil {
		b.log.Warn("answer interaction", "interaction", describe(i), "err", redact(err))
	}
}

// restCallback sends the first answer to the interaction's callback route.
func (b *Bot) restCallback(i *discordgo.Interaction) firstCallback {
	return func(resp *discordgo.InteractionResponse) error {
		endpoint := discordgo.EndpointInteractionResponse(i.ID, i.Token)
		_, err := b.session.RequestWithBucketID("POST", endpoint, wire(resp), endpoint)
		return err
	}
}

// wire is a first answer as Discord expects its JSON. Discord requires an
// autocomplete's choices array even when nothing matches, and discordgo
// omits an empty one.
func wire(resp *discordgo.InteractionResponse) any {
	if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
		return resp
	}
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	if resp.Data != nil && resp.Data.Choices != nil {
		choices = resp.Data.Choices
	}
	body := struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data struct {
			Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
		} `json:"data"`
	}{Type: resp.Type}
	body.Data.Choices = choices
	return body
}

// complete turns the deferred response into the real answer. An answer
// meant for the asker alone (an error, most often) must not land in a
// public message: when the deferral was public - or it was a button on a
// message that must stay as it is - the answer goes out as an ephemeral
// followup instead, and a public "thinking…" message is removed.
func (b *Bot) complete(i *discordgo.Interaction, deferred, resp *discordgo.InteractionResponse) {
	data := resp.Data
	if data == nil {
		data = &discordgo.InteractionResponseData{}
	}
	private := data.Flags&discordgo.MessageFlagsEphemeral != 0
	deferredPrivate := deferred.Data != nil && deferred.Data.Flags&discordgo.MessageFlagsEphemeral != 0
	if private && !deferredPrivate {
		if deferred.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource {
			if err := b.session.InteractionResponseDelete(i); err != nil {
				b.log.Warn("remove deferred response", "interaction", describe(i), "err", redact(err))
			}
		}
		_, err := b.session.FollowupMessageCreate(i, true, &discordgo.WebhookParams{
			Content: data.Content, Embeds: data.Embeds, Components: data.Components,
			Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: render.NoMentions(),
		})
		if err != nil {
			b.log.Warn("send private answer", "interaction", describe(i), "err", redact(err))
		}
		return
	}
	edit := &discordgo.WebhookEdit{
		Content:         &data.Content,
		Embeds:          &data.Embeds,
		Components:      &data.Components,
		AllowedMentions: render.NoMentions(),
	}
	if _, err := b.session.InteractionResponseEdit(i, edit); err != nil {
		b.log.Warn("complete deferred interaction", "interaction", describe(i), "err", redact(err))
	}
}

// redact keeps interaction tokens out of logs: a failed request's error
// quotes its URL, and interaction and webhook URLs carry the token.
func redact(err error) string {
	if err == nil {
		return ""
	}
	return tokenInURL.ReplaceAllString(err.Error(), "$1/…")
}

var tokenInURL = regexp.MustCompile(`(/(?:interactions|webhooks)/\d+)/[^/\s"]+`)

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
