package emulator

import (
	"net/http"
	"time"
)

// crosspostLimit is Discord's limit on publishing in one announcement
// channel: 10 messages an hour.
var crosspostLimit = Limit{Requests: 10, Window: time.Hour}

// crosspostMessage publishes a message of an announcement channel to the
// channels following it. The bot's own messages need SEND_MESSAGES,
// others' (a webhook's included) MANAGE_MESSAGES too; a message is
// published once.
func crosspostMessage(c *call) (any, int, error) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	ch, err := st.channelFor(c.param("channel_id"), PermSendMessages)
	if err != nil {
		return nil, 0, err
	}
	if ch.Type != ChannelAnnouncement {
		return nil, 0, errWrongChannelType()
	}
	m, err := st.channelMessage(ch, c.param("message_id"))
	if err != nil {
		return nil, 0, err
	}
	if m.Author.ID != st.bot.ID && st.permissions(st.guilds[ch.GuildID], st.bot.ID, ch)&PermManageMessages == 0 {
		return nil, 0, errMissingPermissions()
	}
	switch {
	case m.Flags&FlagCrossposted != 0:
		return nil, 0, &apiError{Status: 400, Code: codeAlreadyCrossposted, Message: "This message has already been crossposted."}
	case m.Type != 0 && m.Type != 19:
		return nil, 0, &apiError{Status: 400, Code: codeInvalidMessageType, Message: "Invalid message type"}
	}
	m.Flags |= FlagCrossposted
	s.gw.dispatchMessage("MESSAGE_UPDATE", ch, m)
	return public(m), http.StatusOK, nil
}
