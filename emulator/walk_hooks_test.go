package emulator

import (
	"encoding/json"
	"strings"
)

// walkForums posts in the forum with tags, archives and reopens a
// thread, lists threads and crossposts in the announcement channel.
func walkForums(w *walker) {
	forum := "/channels/" + DefaultForumChannel
	post := w.id(w.do("POST", forum+"/threads", map[string]any{"name": "a tagged post",
		"applied_tags": []string{DefaultTagWorld, DefaultTagPolitics},
		"message":      map[string]any{"content": "first", "allowed_mentions": map[string]any{"parse": []string{}}}}, 201))
	w.do("PATCH", "/channels/"+post, map[string]any{"archived": true}, 200)
	w.do("GET", forum+"/threads/archived/public", nil, 200)
	w.do("PATCH", "/channels/"+post+"/messages/"+post, map[string]any{"content": "edited"}, 400)
	w.do("POST", "/channels/"+post+"/messages", map[string]any{"content": "reopens it"}, 200)
	w.do("PATCH", "/channels/"+post, map[string]any{"applied_tags": []string{DefaultTagTech}, "auto_archive_duration": 60}, 200)
	w.do("GET", "/guilds/"+DefaultGuildID+"/threads/active", nil, 200)

	w.do("POST", forum+"/threads", map[string]any{"name": "too many tags",
		"applied_tags": []string{DefaultTagWorld, DefaultTagPolitics, DefaultTagTech, DefaultTagScience, DefaultTagLocal, DefaultTagStaff},
		"message":      map[string]any{"content": "x"}}, 400)
	w.do("POST", forum+"/threads", map[string]any{"name": strings.Repeat("n", 101), "message": map[string]any{"content": "x"}}, 400)
	w.do("PATCH", "/channels/"+DefaultNewsChannel, map[string]any{"name": "renamed"}, 403)

	msgs := "/channels/" + DefaultAnnounceChan + "/messages"
	news := w.id(w.do("POST", msgs, map[string]any{"content": "big news"}, 200))
	w.do("POST", msgs+"/"+news+"/crosspost", nil, 200)
	w.do("POST", msgs+"/"+news+"/crosspost", nil, 400)
}

// walkWebhooks creates, uses, edits and deletes channel webhooks, in a
// text channel and in the forum.
func walkWebhooks(w *walker) {
	hooks := "/channels/" + DefaultNewsChannel + "/webhooks"
	var h struct{ ID, Token string }
	if err := json.Unmarshal(w.do("POST", hooks, map[string]any{"name": "newsbot feeds"}, 200), &h); err != nil {
		w.t.Fatal(err)
	}
	w.do("POST", hooks, map[string]any{"name": "my discord hook"}, 400)
	w.do("GET", hooks, nil, 200)
	w.do("GET", "/guilds/"+DefaultGuildID+"/webhooks", nil, 200)
	w.do("GET", "/webhooks/"+h.ID, nil, 200)
	w.do("PATCH", "/webhooks/"+h.ID, map[string]any{"name": "world desk", "avatar": "data:image/png;base64,iVBORw0KGgo="}, 200)

	tok := "/webhooks/" + h.ID + "/" + h.Token
	msg := w.id(w.send("POST", tok+"?wait=true", "", map[string]any{"content": "via hook", "username": "World News",
		"avatar_url": "https://example.com/world.png", "allowed_mentions": map[string]any{"parse": []string{}}}, 200))
	w.send("POST", tok, "", map[string]any{"content": "no wait"}, 204)
	w.send("GET", tok+"/messages/"+msg, "", nil, 200)
	w.send("PATCH", tok+"/messages/"+msg, "", map[string]any{"content": "edited via hook"}, 200)
	w.send("DELETE", tok+"/messages/"+msg, "", nil, 204)
	w.send("GET", tok, "", nil, 200)
	w.send("PATCH", tok, "", map[string]any{"name": "renamed desk"}, 200)
	w.send("POST", "/webhooks/"+h.ID+"/wrong-token", "", map[string]any{"content": "x"}, 401)

	var fh struct{ ID, Token string }
	if err := json.Unmarshal(w.do("POST", "/channels/"+DefaultForumChannel+"/webhooks", map[string]any{"name": "forum desk"}, 200), &fh); err != nil {
		w.t.Fatal(err)
	}
	ftok := "/webhooks/" + fh.ID + "/" + fh.Token
	post := w.id(w.send("POST", ftok+"?wait=true", "", map[string]any{"content": "a post", "thread_name": "Hooked post",
		"applied_tags": []string{DefaultTagScience}}, 200))
	w.send("POST", ftok+"?wait=true&thread_id="+post, "", map[string]any{"content": "a reply in it"}, 200)
	w.send("PATCH", ftok+"/messages/"+post+"?thread_id="+post, "", map[string]any{"content": "edited post"}, 200)
	w.send("PATCH", ftok+"/messages/"+post, "", map[string]any{"content": "no thread_id"}, 404)
	w.send("POST", ftok, "", map[string]any{"content": "nowhere"}, 400)
	w.send("DELETE", ftok, "", nil, 204)
	w.do("DELETE", "/webhooks/"+h.ID, nil, 204)
	w.send("POST", tok, "", map[string]any{"content": "gone"}, 404)
}
