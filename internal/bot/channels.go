package bot

import (
	"context"
	"fmt"
	"sync"

	"github.com/bwmarrin/discordgo"
)

// postable are the channel types a story can be posted in: as a message,
// or in forum and media channels as a post (a thread) of its own.
var postable = map[discordgo.ChannelType]bool{
	discordgo.ChannelTypeGuildText:         true,
	discordgo.ChannelTypeGuildNews:         true,
	discordgo.ChannelTypeGuildPublicThread: true,
	discordgo.ChannelTypeGuildNewsThread:   true,
	discordgo.ChannelTypeGuildForum:        true,
	discordgo.ChannelTypeGuildMedia:        true,
}

// unsupportedChannel is a channel the bot cannot post stories in: the
// admin must point the feed elsewhere, so it counts as refused.
type unsupportedChannel struct {
	id  string
	typ discordgo.ChannelType
}

func (e unsupportedChannel) Error() string {
	return fmt.Sprintf("channel %s is a %s channel: newsbot posts stories in text, announcement, forum and media channels",
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

// channelInfo is what the deliverer needs to know of a channel.
type channelInfo struct {
	typ   discordgo.ChannelType
	guild string
	known bool // false when Discord could not be asked: assume a text channel
}

// forum reports a channel whose posts are threads.
func (c channelInfo) forum() bool {
	return c.typ == discordgo.ChannelTypeGuildForum || c.typ == discordgo.ChannelTypeGuildMedia
}

// channelTypes remembers what kind each channel is; channels rarely change
// kind, and asking Discord once per channel is enough.
type channelTypes struct {
	mu    sync.Mutex
	known map[string]channelInfo
}

// checkChannel refuses channels a story cannot be posted in, before the
// post is attempted, and says what kind the channel is. A channel the bot
// cannot look up is let through: the post itself then says what is wrong.
func (dl *Deliverer) checkChannel(ctx context.Context, id string) (channelInfo, error) {
	dl.types.mu.Lock()
	info, ok := dl.types.known[id]
	dl.types.mu.Unlock()
	if !ok {
		c, err := dl.Session.State.Channel(id)
		if err != nil {
			if c, err = dl.Session.Channel(id, rest(ctx)...); err != nil {
				return channelInfo{typ: discordgo.ChannelTypeGuildText}, nil
			}
		}
		info = channelInfo{typ: c.Type, guild: c.GuildID, known: true}
		dl.types.mu.Lock()
		if dl.types.known == nil {
			dl.types.known = map[string]channelInfo{}
		}
		dl.types.known[id] = info
		dl.types.mu.Unlock()
	}
	if !postable[info.typ] {
		return info, unsupportedChannel{id: id, typ: info.typ}
	}
	return info, nil
}
