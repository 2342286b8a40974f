package bot

import (
	"context"
	"fmt"
	"sync"

	"github.com/bwmarrin/discordgo"
)

// postable are the channel types a story card can be posted in as a
// message. Forum and media channels take threads, not messages.
var postable = map[discordgo.ChannelType]bool{
	discordgo.ChannelTypeGuildText:         true,
	discordgo.ChannelTypeGuildNews:         true,
	discordgo.ChannelTypeGuildPublicThread: true,
	discordgo.ChannelTypeGuildNewsThread:   true,
}

// unsupportedChannel is a channel the bot cannot post stories in: the
// admin must point the feed elsewhere, so it counts as refused.
type unsupportedChannel struct {
	id  string
	typ discordgo.ChannelType
}

func (e unsupportedChannel) Error() string {
	return fmt.Sprintf("channel %s is a %s channel: newsbot posts stories in text and announcement channels",
		e.id, channelTypeName(e.typ))
}

func channelTypeName(t discordgo.ChannelType) string {
	switch t {
	case discordgo.ChannelTypeGuildForum:
		return "forum"
	case discordgo.ChannelTypeGuildMedia:
		return "media"
	case discordgo.ChannelTypeGuildVoice, discordgo.ChannelTypeGuildStageVoice:
		return "voice"
	case discordgo.ChannelTypeGuildCategory:
		return "category"
	}
	return fmt.Sprintf("type-%d", t)
}

// channelTypes remembers what kind each channel is; channels rarely change
// kind, and asking Discord once per channel is enough.
type channelTypes struct {
	mu    sync.Mutex
	known map[string]discordgo.ChannelType
}

// checkChannel refuses channels a story cannot be posted in, before the
// post is attempted. A channel the bot cannot look up is let through: the
// post itself then says what is wrong.
func (dl *Deliverer) checkChannel(ctx context.Context, id string) error {
	dl.types.mu.Lock()
	t, ok := dl.types.known[id]
	dl.types.mu.Unlock()
	if !ok {
		c, err := dl.Session.State.Channel(id)
		if err != nil {
			if c, err = dl.Session.Channel(id, rest(ctx)...); err != nil {
				return nil
			}
		}
		t = c.Type
		dl.types.mu.Lock()
		if dl.types.known == nil {
			dl.types.known = map[string]discordgo.ChannelType{}
		}
		dl.types.known[id] = t
		dl.types.mu.Unlock()
	}
	if !postable[t] {
		return unsupportedChannel{id: id, typ: t}
	}
	return nil
}
