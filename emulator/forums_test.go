package emulator

import (
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func TestForumPostWithTags(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	s := newSession(t, e)
	created := make(chan *discordgo.Channel, 1)
	s.AddHandler(func(_ *discordgo.Session, c *discordgo.ThreadCreate) { created <- c.Channel })
	openBot(t, s)

	forum, err := s.Channel(DefaultForumChannel)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tag := range forum.AvailableTags {
		names = append(names, tag.Name)
	}
	if got := strings.Join(names, ","); got != "world,politics,tech,science,local,staff" {
		t.Errorf("forum tags = %s", got)
	}
	th, err := s.ForumThreadStartComplex(DefaultForumChannel,
		&discordgo.ThreadStart{Name: "Council approves footbridge", AutoArchiveDuration: 4320, AppliedTags: []string{DefaultTagLocal, DefaultTagPolitics}},
		&discordgo.MessageSend{Content: "the card", AllowedMentions: noMentions()})
	if err != nil {
		t.Fatal(err)
	}
	ev := waitFor(t, created, "THREAD_CREATE")
	if ev.ID != th.ID || ev.ParentID != DefaultForumChannel || strings.Join(ev.AppliedTags, ",") != DefaultTagLocal+","+DefaultTagPolitics {
		t.Errorf("THREAD_CREATE = %+v; want the post under the forum with its two tags", ev)
	}
	msgs := e.Messages(th.ID)
	if len(msgs) != 1 || msgs[0].ID != th.ID || msgs[0].Content != "the card" {
		t.Errorf("post messages = %+v; want its first message, sharing the thread's id", msgs)
	}
	if len(e.Messages(DefaultForumChannel)) != 0 {
		t.Error("the forum itself holds messages")
	}
}

func TestForumPostChecks(t *testing.T) {
	t.Parallel()
	seed := DefaultSeed()
	g := &seed.Guilds[0]
	g.Channels = append(g.Channels,
		SeedChannel{ID: "100000000000000005", Name: "photos", Type: ChannelMedia, Flags: ChannelFlagRequireTag,
			AvailableTags: []SeedTag{{Name: "landscape"}, {Name: "people"}}})
	g.Roles[2].Permissions &^= PermManageThreads // the bot may not apply moderated tags
	e := startEmu(t, Options{Seed: &seed})
	s := newSession(t, e)
	openBot(t, s) // GUILD_CREATE with a media channel is checked too
	msg := &discordgo.MessageSend{Content: "x", AllowedMentions: noMentions()}
	post := func(channel, name string, tags ...string) error {
		_, err := s.ForumThreadStartComplex(channel, &discordgo.ThreadStart{Name: name, AppliedTags: tags}, msg)
		return err
	}
	media, err := s.Channel("100000000000000005")
	if err != nil || len(media.AvailableTags) != 2 || media.AvailableTags[0].ID == "" {
		t.Fatalf("media channel = %+v, %v; want its two tags with ids", media, err)
	}
	for _, tc := range []struct {
		name       string
		err        error
		status     int
		code       int
		wantDetail string
	}{
		{"name of 101", post(DefaultForumChannel, strings.Repeat("n", 101)), 400, 50035, "name"},
		{"six tags", post(DefaultForumChannel, "t", DefaultTagWorld, DefaultTagPolitics, DefaultTagTech, DefaultTagScience, DefaultTagLocal, "100000000000000005"), 400, 50035, "applied_tags"},
		{"unknown tag", post(DefaultForumChannel, "t", "1"), 400, 50035, "applied_tags"},
		{"moderated tag", post(DefaultForumChannel, "t", DefaultTagStaff), 403, 50013, ""},
		{"tag required", post("100000000000000005", "t"), 400, 40067, ""},
		{"message in a forum", func() error { _, err := s.ChannelMessageSend(DefaultForumChannel, "x"); return err }(), 400, 50008, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if restStatus(t, tc.err) != tc.status || restCode(t, tc.err) != tc.code || !strings.Contains(tc.err.Error(), tc.wantDetail) {
				t.Errorf("got %v; want %d %d naming %q", tc.err, tc.status, tc.code, tc.wantDetail)
			}
		})
	}
	if err := post("100000000000000005", "a photo", media.AvailableTags[1].ID); err != nil {
		t.Errorf("media post with a tag: %v", err)
	}
}

func TestArchivedThreads(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	s := newSession(t, e)
	updates := make(chan *discordgo.Channel, 8)
	s.AddHandler(func(_ *discordgo.Session, c *discordgo.ThreadUpdate) { updates <- c.Channel })
	openBot(t, s)
	th, err := s.ForumThreadStartComplex(DefaultForumChannel, &discordgo.ThreadStart{Name: "Story"},
		&discordgo.MessageSend{Content: "card", AllowedMentions: noMentions()})
	if err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	if _, err := s.ChannelEdit(th.ID, &discordgo.ChannelEdit{Archived: &yes}); err != nil {
		t.Fatal(err)
	}
	if ev := waitFor(t, updates, "THREAD_UPDATE"); !ev.ThreadMetadata.Archived {
		t.Errorf("THREAD_UPDATE after archiving = %+v", ev.ThreadMetadata)
	}
	archived, err := s.ThreadsArchived(DefaultForumChannel, nil, 0)
	if err != nil || len(archived.Threads) != 1 || archived.Threads[0].ID != th.ID {
		t.Fatalf("archived threads = %+v, %v; want the post", archived, err)
	}
	_, err = s.ChannelMessageEdit(th.ID, th.ID, "edited")
	if restCode(t, err) != 50083 {
		t.Errorf("edit in an archived thread: %v; want 50083", err)
	}
	if _, err := s.ChannelMessageSendComplex(th.ID, &discordgo.MessageSend{Content: "update", AllowedMentions: noMentions()}); err != nil {
		t.Fatalf("a message unarchives the thread, got %v", err)
	}
	if ev := waitFor(t, updates, "THREAD_UPDATE"); ev.ThreadMetadata.Archived {
		t.Error("sending did not unarchive the thread")
	}
	if _, err := s.ChannelMessageEdit(th.ID, th.ID, "edited"); err != nil {
		t.Errorf("edit once unarchived: %v", err)
	}
	active, err := s.GuildThreadsActive(DefaultGuildID)
	if err != nil || len(active.Threads) != 1 {
		t.Errorf("active threads = %+v, %v", active, err)
	}

	// A locked thread stays shut to anyone who may not manage threads.
	if _, err := s.ChannelEdit(th.ID, &discordgo.ChannelEdit{Locked: &yes, Archived: &yes}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ChannelEdit(th.ID, &discordgo.ChannelEdit{Archived: &no}); err != nil {
		t.Errorf("a moderator unarchives a locked thread: %v", err)
	}
}

func TestLockingNeedsManageThreads(t *testing.T) {
	t.Parallel()
	seed := DefaultSeed()
	seed.Guilds[0].Roles[2].Permissions &^= PermManageThreads
	e := startEmu(t, Options{Seed: &seed})
	s := newSession(t, e)
	th, err := s.ThreadStartComplex(DefaultNewsChannel, &discordgo.ThreadStart{Name: "t", Type: discordgo.ChannelTypeGuildPublicThread})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	_, err = s.ChannelEdit(th.ID, &discordgo.ChannelEdit{Locked: &yes})
	if restCode(t, err) != 50013 {
		t.Errorf("lock without MANAGE_THREADS: %v; want 50013", err)
	}
	if _, err := s.ChannelEdit(th.ID, &discordgo.ChannelEdit{Archived: &yes, AutoArchiveDuration: 60}); err != nil {
		t.Errorf("its owner archives a thread: %v", err)
	}
}

// Threads archive themselves once idle for their duration; the sweep is
// lazy, so a thread read after that time reads archived.
func TestIdleThreadArchives(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	start := testTime
	th := s.newThread(s.st.channels[DefaultNewsChannel], s.st.newID(start), ChannelPublicThread, &threadBody{Name: "t", AutoArchiveDuration: intPtr(60)}, start)
	m := s.st.buildMessage(th, s.st.bot, &messageBody{Content: new(string)}, nil, start.Add(30*time.Minute))
	s.postMessage(th, m)
	s.expireThread(th, start.Add(80*time.Minute))
	if th.ThreadMetadata.Archived {
		t.Fatal("archived 50 minutes after its last message; the duration is 60")
	}
	s.expireThread(th, start.Add(91*time.Minute))
	if !th.ThreadMetadata.Archived || th.ThreadMetadata.ArchiveTimestamp != discordTime(start.Add(90*time.Minute)) {
		t.Errorf("thread metadata = %+v; want archived at 60 minutes after its last message", th.ThreadMetadata)
	}
}
