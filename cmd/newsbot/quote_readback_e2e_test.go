package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// TestQuoteAnswerReadBack: the bot's public /quote answer, read back from
// the channel's history by a client that speaks only HTTP, carries the
// whole interaction_metadata, which clients such as discord.js read
// unguarded (issue 17).
func TestQuoteAnswerReadBack(t *testing.T) {
	w, _ := slashWorld(t)
	r, err := w.app.db.SaveArticle(context.Background(), news.Article{GUID: "readback", Title: "Talks resume", Paragraphs: []string{"Talks resumed."},
		Comments: []news.Comment{{Index: 1, Author: "ChrisW", Body: "What would you do?"}}}, store.SaveOptions{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	res, _ := w.ask("/quote story:"+itoa(r.Story.ID)+" author:ChrisW", "")
	if len(res.Messages) == 0 || res.Messages[0].Flags&ephemeral != 0 {
		t.Fatalf("the /quote answer = %+v; want a public message", res.Messages)
	}
	req, _ := http.NewRequest("GET", w.emu.URL+"/api/v10/channels/"+newsChannel+"/messages", nil)
	req.Header.Set("Authorization", "Bot test-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var history []struct {
		ID       string `json:"id"`
		Metadata *struct {
			ID     string              `json:"id"`
			Type   int                 `json:"type"`
			User   struct{ ID string } `json:"user"`
			Owners map[string]string   `json:"authorizing_integration_owners"`
		} `json:"interaction_metadata"`
	}
	if err := json.Unmarshal(body, &history); err != nil {
		t.Fatalf("GET messages: %d %s", resp.StatusCode, body)
	}
	for _, m := range history {
		if m.ID != res.Messages[0].ID {
			continue
		}
		md := m.Metadata
		switch {
		case md == nil:
			t.Fatalf("the answer has no interaction_metadata")
		case md.ID != res.InteractionID || md.Type != 2 || md.User.ID != emulator.DefaultAdminUserID:
			t.Errorf("interaction_metadata = %+v; want interaction %s, type 2, user %s", md, res.InteractionID, emulator.DefaultAdminUserID)
		case !reflect.DeepEqual(md.Owners, map[string]string{"0": emulator.DefaultGuildID}):
			t.Errorf("authorizing_integration_owners = %v; want the guild install {\"0\": %s}", md.Owners, emulator.DefaultGuildID)
		}
		return
	}
	t.Errorf("the answer %s is not in #news's history: %s", res.Messages[0].ID, body)
}
