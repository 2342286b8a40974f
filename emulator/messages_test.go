package emulator

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestEnforcedNonceReturnsFirstMessage(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	s := newSession(t, e)
	first, err := sendWithNonce(s, DefaultNewsChannel, "New story: Korea talks", "delivery-42")
	if err != nil {
		t.Fatal(err)
	}
	again, err := sendWithNonce(s, DefaultNewsChannel, "New story: Korea talks", "delivery-42")
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID {
		t.Errorf("repeated nonce made message %s; want the first, %s", again.ID, first.ID)
	}
	other, err := sendWithNonce(s, DefaultNewsChannel, "New story: other", "delivery-43")
	if err != nil || other.ID == first.ID {
		t.Fatalf("another nonce: %v (id %s)", err, other.ID)
	}
	url := discordgo.EndpointChannelMessages(DefaultNewsChannel)
	intNonce := struct {
		Content      string `json:"content"`
		Nonce        int64  `json:"nonce"`
		EnforceNonce bool   `json:"enforce_nonce"`
	}{"integer nonce", 1234567890123, true}
	a, errA := s.RequestWithBucketID("POST", url, intNonce, url)
	b, errB := s.RequestWithBucketID("POST", url, intNonce, url)
	if errA != nil || errB != nil || string(a) != string(b) {
		t.Errorf("integer nonce: %v %v\n%s\n%s", errA, errB, a, b)
	}
	if got := e.Messages(DefaultNewsChannel); len(got) != 3 {
		t.Errorf("channel has %d messages; want 3", len(got))
	}
	// Reading back never shows the nonce, as in Discord.
	raw, err := s.Request("GET", discordgo.EndpointChannelMessage(DefaultNewsChannel, first.ID), nil)
	if err != nil || strings.Contains(string(raw), "nonce") {
		t.Errorf("GET message = %s (%v); want no nonce", raw, err)
	}
}

func TestMessagesNewestFirstAndPaged(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	s := newSession(t, e)
	var ids []string
	for _, c := range []string{"one", "two", "three", "four"} {
		m, err := s.ChannelMessageSendComplex(DefaultTechChannel, &discordgo.MessageSend{Content: c, AllowedMentions: noMentions()})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	cases := []struct {
		name                  string
		limit                 int
		before, after, around string
		want                  string
	}{
		{"all", 0, "", "", "", "four three two one"},
		{"limit", 2, "", "", "", "four three"},
		{"before", 0, ids[2], "", "", "two one"},
		{"after", 2, "", ids[0], "", "three two"},
		{"around", 2, "", "", ids[2], "three two"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := s.ChannelMessages(DefaultTechChannel, tc.limit, tc.before, tc.after, tc.around)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range ms {
				got = append(got, m.Content)
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("got %v; want %s", got, tc.want)
			}
		})
	}
	if _, err := s.ChannelMessages(DefaultTechChannel, 101, "", "", ""); restCode(t, err) != 50035 {
		t.Errorf("limit 101: %v", err)
	}
	if err := s.ChannelMessageDelete(DefaultTechChannel, ids[0]); err != nil {
		t.Fatal(err)
	}
	if got := e.Messages(DefaultTechChannel); len(got) != 3 || got[0].Content != "two" {
		t.Errorf("after delete, oldest is %q of %d", got[0].Content, len(got))
	}
}

func TestAllowedMentionsAndReplies(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	s := newSession(t, e)
	text := "<@" + DefaultAdminUserID + "> said @everyone should read this"
	quiet, err := s.ChannelMessageSendComplex(DefaultNewsChannel, &discordgo.MessageSend{Content: text, AllowedMentions: noMentions()})
	if err != nil {
		t.Fatal(err)
	}
	loud, err := s.ChannelMessageSendComplex(DefaultNewsChannel, &discordgo.MessageSend{Content: text})
	if err != nil {
		t.Fatal(err)
	}
	if len(quiet.Mentions) != 0 || len(loud.Mentions) != 1 || loud.Mentions[0].ID != DefaultAdminUserID {
		t.Errorf("mentions: with parse:[] %d, without allowed_mentions %+v", len(quiet.Mentions), loud.Mentions)
	}
	if loud.MentionEveryone {
		t.Errorf("the bot lacks MENTION_EVERYONE, so @everyone must not ping")
	}
	reply, err := s.ChannelMessageSendComplex(DefaultNewsChannel, &discordgo.MessageSend{Content: "update",
		Reference: quiet.Reference(), AllowedMentions: noMentions()})
	if err != nil {
		t.Fatal(err)
	}
	if reply.Type != discordgo.MessageTypeReply || reply.ReferencedMessage == nil || reply.ReferencedMessage.ID != quiet.ID {
		t.Errorf("reply = type %d referencing %+v", reply.Type, reply.ReferencedMessage)
	}
	_, err = s.ChannelMessageSendComplex(DefaultNewsChannel, &discordgo.MessageSend{Content: "x",
		AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{"users"}, Users: []string{DefaultAdminUserID}}})
	if restCode(t, err) != 50035 {
		t.Errorf("parse users with a users list: %v", err)
	}
}

func TestThreadsAndForumPosts(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	s := newSession(t, e)
	m, err := s.ChannelMessageSendComplex(DefaultAnnounceChan, &discordgo.MessageSend{Content: "announcement", AllowedMentions: noMentions()})
	if err != nil {
		t.Fatal(err)
	}
	th, err := s.MessageThreadStart(DefaultAnnounceChan, m.ID, "discussion", 60)
	if err != nil || th.Type != discordgo.ChannelTypeGuildNewsThread {
		t.Fatalf("thread in an announcement channel: %v, type %d", err, th.Type)
	}
	if _, err := s.MessageThreadStart(DefaultAnnounceChan, m.ID, "again", 60); restCode(t, err) != 160004 {
		t.Errorf("second thread on a message: %v", err)
	}
	if _, err := s.MessageThreadStart(DefaultAnnounceChan, m.ID, strings.Repeat("n", 101), 60); restCode(t, err) != 50035 {
		t.Errorf("thread name of 101: %v", err)
	}
	post, err := s.ForumThreadStartComplex(DefaultForumChannel, &discordgo.ThreadStart{Name: "Korea talks"},
		&discordgo.MessageSend{Content: "first post", AllowedMentions: noMentions()})
	if err != nil {
		t.Fatal(err)
	}
	msgs := e.Messages(post.ID)
	if post.ParentID != DefaultForumChannel || len(msgs) != 1 || msgs[0].ID != post.ID || msgs[0].Content != "first post" {
		t.Errorf("forum post %+v with messages %+v", post, msgs)
	}
	ch, err := s.Channel(post.ID)
	if err != nil || ch.MessageCount != 1 || !ch.IsThread() {
		t.Errorf("GET thread = %+v (%v)", ch, err)
	}
}
