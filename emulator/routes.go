package emulator

import (
	"net/http"
	"strconv"
	"strings"
)

// apiRoutes is the REST surface the emulator implements. Routes marked
// open are the interaction and webhook routes, which Discord authorises by
// the token in the path and exempts from the global rate limit.
func apiRoutes() []*route {
	bot := func(method, pattern string, h func(*call) (any, int, error)) *route {
		return &route{method: method, pattern: pattern, auth: true, global: true, handle: h}
	}
	open := func(method, pattern string, h func(*call) (any, int, error)) *route {
		return &route{method: method, pattern: pattern, handle: h}
	}
	const (
		appCmds   = "applications/{application_id}/commands"
		guildCmds = "applications/{application_id}/guilds/{guild_id}/commands"
		msgs      = "channels/{channel_id}/messages"
		hook      = "webhooks/{webhook_id}/{webhook_token}"
	)
	rs := []*route{
		{method: "GET", pattern: "gateway", handle: getGateway},
		bot("GET", "gateway/bot", getGatewayBot),
		bot("GET", "users/@me", getCurrentUser),
		bot("GET", "users/{user_id}", getUser),
		bot("GET", "applications/@me", getApplication),
		bot("GET", appCmds, listCommands),
		bot("PUT", appCmds, overwriteCommands),
		bot("POST", appCmds, createCommand),
		bot("GET", appCmds+"/{command_id}", getCommand),
		bot("PATCH", appCmds+"/{command_id}", editCommand),
		bot("DELETE", appCmds+"/{command_id}", deleteCommand),
		bot("GET", guildCmds, listCommands),
		bot("PUT", guildCmds, overwriteCommands),
		bot("POST", guildCmds, createCommand),
		bot("GET", guildCmds+"/{command_id}", getCommand),
		bot("PATCH", guildCmds+"/{command_id}", editCommand),
		bot("DELETE", guildCmds+"/{command_id}", deleteCommand),
		bot("GET", "guilds/{guild_id}", getGuild),
		bot("GET", "guilds/{guild_id}/channels", getGuildChannels),
		bot("GET", "guilds/{guild_id}/roles", getGuildRoles),
		bot("GET", "guilds/{guild_id}/members/{user_id}", getGuildMember),
		bot("GET", "channels/{channel_id}", getChannel),
		bot("POST", "channels/{channel_id}/typing", postTyping),
		bot("PATCH", "channels/{channel_id}", patchChannel),
		bot("POST", "channels/{channel_id}/threads", startThread),
		bot("GET", "channels/{channel_id}/threads/archived/public", listArchivedThreads),
		bot("GET", "guilds/{guild_id}/threads/active", listActiveThreads),
		bot("POST", "channels/{channel_id}/webhooks", createWebhook),
		bot("GET", "channels/{channel_id}/webhooks", listChannelWebhooks),
		bot("GET", "guilds/{guild_id}/webhooks", listGuildWebhooks),
		bot("GET", "webhooks/{webhook_id}", getWebhook),
		bot("PATCH", "webhooks/{webhook_id}", editWebhook),
		bot("DELETE", "webhooks/{webhook_id}", deleteWebhook),
		bot("GET", msgs, listMessages),
		bot("POST", msgs, createMessage),
		bot("GET", msgs+"/{message_id}", getMessage),
		bot("PATCH", msgs+"/{message_id}", editMessage),
		bot("DELETE", msgs+"/{message_id}", deleteMessage),
		bot("POST", msgs+"/{message_id}/threads", startThreadFromMessage),
		bot("POST", msgs+"/{message_id}/crosspost", crosspostMessage),
		open("POST", "interactions/{interaction_id}/{interaction_token}/callback", interactionCallback),
		open("GET", hook, getWebhookWithToken),
		open("PATCH", hook, editWebhookWithToken),
		open("DELETE", hook, deleteWebhookWithToken),
		open("POST", hook, executeAnyWebhook),
		open("GET", hook+"/messages/{message_id}", getAnyWebhookMessage),
		open("PATCH", hook+"/messages/{message_id}", editAnyWebhookMessage),
		open("DELETE", hook+"/messages/{message_id}", deleteAnyWebhookMessage),
	}
	for _, r := range rs {
		r.segs = strings.Split(r.pattern, "/")
	}
	return rs
}

// gatewayURL is the emulator's own websocket address as the client reached it.
func gatewayURL(r *http.Request) string {
	scheme := "ws://"
	if r.TLS != nil {
		scheme = "wss://"
	}
	return scheme + r.Host + "/gateway"
}

func getGateway(c *call) (any, int, error) {
	return map[string]string{"url": gatewayURL(c.r)}, 200, nil
}

func getCurrentUser(c *call) (any, int, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	u := c.s.st.bot
	return map[string]any{
		"id": u.ID, "username": u.Username, "global_name": u.GlobalName, "discriminator": "0",
		"avatar": nil, "bot": true, "verified": true, "mfa_enabled": false, "flags": 0,
		"public_flags": 0, "email": nil, "locale": "en-US", "primary_guild": nil,
	}, 200, nil
}

func getUser(c *call) (any, int, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	u, ok := c.s.st.users[c.param("user_id")]
	if !ok {
		return nil, 0, &apiError{Status: 404, Code: 10013, Message: "Unknown User"}
	}
	return u, 200, nil
}

func getApplication(c *call) (any, int, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	st := c.s.st
	return map[string]any{
		"id": st.appID, "name": st.bot.Username, "icon": nil, "description": "",
		"summary": "", "type": nil, "bot_public": true, "bot_require_code_grant": false,
		"verify_key": c.s.PublicKey(), "flags": 0, "bot": st.bot, "owner": st.bot,
		"team": nil, "redirect_uris": []string{}, "interactions_endpoint_url": endpointOrNil(c.s.endpoint.url),
		"approximate_guild_count": len(st.guilds), "tags": []string{}, "flags_new": "0",
		"role_connections_verification_url": nil, "approximate_user_install_count": 0,
		"approximate_user_authorization_count": 0, "explicit_content_filter": 0,
		"eligible_oauth2_scopes": []string{"bot", "applications.commands"},
	}, 200, nil
}

func (c *call) guild() (*guild, error) {
	g := c.s.st.guilds[c.param("guild_id")]
	if g == nil {
		return nil, &apiError{Status: 404, Code: 10004, Message: "Unknown Guild"}
	}
	return g, nil
}

func getGuild(c *call) (any, int, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	g, err := c.guild()
	if err != nil {
		return nil, 0, err
	}
	out := guildObject(g)
	if counts, _ := strconv.ParseBool(c.query.Get("with_counts")); counts {
		out["approximate_member_count"], out["approximate_presence_count"] = len(g.memberOrder), 0
	}
	return out, 200, nil
}

func getGuildChannels(c *call) (any, int, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	g, err := c.guild()
	if err != nil {
		return nil, 0, err
	}
	out := []Channel{}
	for _, id := range g.channels {
		if ch := c.s.st.channels[id]; !isThread(ch.Type) {
			out = append(out, *ch)
		}
	}
	return out, 200, nil
}

func getGuildRoles(c *call) (any, int, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	g, err := c.guild()
	if err != nil {
		return nil, 0, err
	}
	return append([]Role{}, g.roles...), 200, nil
}

func getGuildMember(c *call) (any, int, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	g, err := c.guild()
	if err != nil {
		return nil, 0, err
	}
	m := g.members[c.param("user_id")]
	if m == nil {
		return nil, 0, &apiError{Status: 404, Code: 10007, Message: "Unknown Member"}
	}
	return c.s.st.memberJSON(g, m, true, ""), 200, nil
}

func postTyping(c *call) (any, int, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	if _, err := c.s.st.channelFor(c.param("channel_id"), PermSendMessages); err != nil {
		return nil, 0, err
	}
	return nil, http.StatusNoContent, nil
}
