package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

func TestShardOf(t *testing.T) {
	for _, tc := range []struct {
		guild  string
		shards int
		want   int
	}{
		{DefaultGuildID, 2, 0},
		{AnnexGuildID, 2, 1},
		{AnnexGuildID, 1, 0},
		{"not a snowflake", 2, 0},
	} {
		if got := ShardOf(tc.guild, tc.shards); got != tc.want {
			t.Errorf("ShardOf(%s, %d) = %d, want %d", tc.guild, tc.shards, got, tc.want)
		}
	}
}

// shardSession is a discordgo session identifying as shard id of count,
// recording the guilds it hears of and the messages it receives.
type shardSession struct {
	s        *discordgo.Session
	guilds   chan string
	messages chan string
}

func openShard(t *testing.T, e *Emulator, id, count int) *shardSession {
	t.Helper()
	sh := &shardSession{s: newSession(t, e), guilds: make(chan string, 8), messages: make(chan string, 8)}
	sh.s.ShardID, sh.s.ShardCount = id, count
	sh.s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages
	sh.s.AddHandler(func(_ *discordgo.Session, g *discordgo.GuildCreate) { sh.guilds <- g.ID })
	sh.s.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { sh.messages <- m.Content })
	openBot(t, sh.s)
	return sh
}

func TestShardsReceiveTheirGuildsEvents(t *testing.T) {
	t.Parallel()
	seed := TwoGuildSeed()
	e := startEmu(t, Options{Seed: &seed})
	shards := []*shardSession{openShard(t, e, 0, 2), openShard(t, e, 1, 2)}
	for i, want := range []string{DefaultGuildID, AnnexGuildID} {
		if got := waitFor(t, shards[i].guilds, fmt.Sprintf("shard %d's GUILD_CREATE", i)); got != want {
			t.Errorf("shard %d was given guild %s, want %s", i, got, want)
		}
	}
	for i, ch := range []string{DefaultNewsChannel, AnnexChannelID} {
		if _, err := shards[i].s.ChannelMessageSendComplex(ch, &discordgo.MessageSend{Content: "for shard " + fmt.Sprint(i), AllowedMentions: noMentions()}); err != nil {
			t.Fatal(err)
		}
	}
	for i, sh := range shards {
		if got := waitFor(t, sh.messages, fmt.Sprintf("shard %d's MESSAGE_CREATE", i)); got != fmt.Sprintf("for shard %d", i) {
			t.Errorf("shard %d received %q", i, got)
		}
	}
	// Events are sent in order per session: had a shard been sent the
	// other guild's message, it would have arrived before this marker.
	if _, err := shards[1].s.ChannelMessageSendComplex(AnnexChannelID, &discordgo.MessageSend{Content: "marker", AllowedMentions: noMentions()}); err != nil {
		t.Fatal(err)
	}
	if got := waitFor(t, shards[1].messages, "the marker"); got != "marker" {
		t.Errorf("shard 1 received %q, a message of the other shard's guild", got)
	}
	select {
	case g := <-shards[0].guilds:
		t.Errorf("shard 0 was also given guild %s", g)
	case m := <-shards[0].messages:
		t.Errorf("shard 0 received %q from the other shard's guild", m)
	default:
	}
}

func TestInteractionsGoToTheGuildsShard(t *testing.T) {
	t.Parallel()
	seed := TwoGuildSeed()
	e := startEmu(t, Options{Seed: &seed})
	var shards []*shardSession
	for id := range 2 {
		sh := openShard(t, e, id, 2)
		sh.s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
			s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: fmt.Sprintf("shard %d", id), AllowedMentions: noMentions()},
			})
		})
		shards = append(shards, sh)
	}
	if _, err := shards[0].s.ApplicationCommandBulkOverwrite(DefaultApplicationID, "", testCommands()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ guild, answer string }{{DefaultGuildID, "shard 0"}, {AnnexGuildID, "shard 1"}} {
		res, err := e.Interact(testCtx(t), InteractionRequest{GuildID: tc.guild, Command: "/quote story:1"})
		if err != nil {
			t.Fatalf("guild %s: %v", tc.guild, err)
		}
		if len(res.Messages) != 1 || res.Messages[0].Content != tc.answer {
			t.Errorf("guild %s answered by %+v, want %q", tc.guild, res.Messages, tc.answer)
		}
	}
}

func TestNoSessionForTheGuildsShard(t *testing.T) {
	t.Parallel()
	seed := TwoGuildSeed()
	e := startEmu(t, Options{Seed: &seed})
	sh := openShard(t, e, 0, 2)
	registerCommands(t, sh.s)
	_, err := e.Interact(testCtx(t), InteractionRequest{GuildID: AnnexGuildID, Command: "/quote story:1"})
	if !errors.Is(err, ErrNoBot) || !strings.Contains(err.Error(), AnnexGuildID) {
		t.Errorf("an interaction in a guild no session holds: %v; want ErrNoBot naming the guild", err)
	}
}

func TestShardRules(t *testing.T) {
	t.Parallel()
	seed := TwoGuildSeed()
	e := startEmu(t, Options{Seed: &seed, MaxGuildsPerShard: 1})
	for _, tc := range []struct {
		name, shard string
		want        int // close code; 0 means READY
	}{
		{"shard id equal to the count", `[2,2]`, 4010},
		{"negative shard id", `[-1,2]`, 4010},
		{"no shard count", `[0]`, 4010},
		{"zero shards", `[0,0]`, 4010},
		{"not sharding when required", `null`, 4011},
		{"one shard of one is not sharding", `[0,1]`, 4011},
		{"a valid shard", `[1,2]`, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := dialGateway(t, e, "v=10&encoding=json")
			g.mustRead()
			g.send(`{"op":2,"d":{"token":"Bot x","intents":1,"properties":{},"shard":` + tc.shard + `}}`)
			if tc.want != 0 {
				if got := g.closeCode(); got != tc.want {
					t.Errorf("close code %d, want %d", got, tc.want)
				}
				return
			}
			ready := g.mustRead()
			var r struct {
				Guilds []struct{ ID string } `json:"guilds"`
				Shard  []int                 `json:"shard"`
			}
			json.Unmarshal(ready.D, &r)
			if ready.T != "READY" || len(r.Guilds) != 1 || r.Guilds[0].ID != AnnexGuildID || fmt.Sprint(r.Shard) != "[1 2]" {
				t.Errorf("got %s %s; want READY for shard [1 2] with the annex guild only", ready.T, ready.D)
			}
		})
	}
}

// TestDiscordgoSeesShardCloses checks that the real client's Open fails
// with the close code, so a bot can say what is wrong.
func TestDiscordgoSeesShardCloses(t *testing.T) {
	t.Parallel()
	seed := TwoGuildSeed()
	e := startEmu(t, Options{Seed: &seed, MaxGuildsPerShard: 1})
	for _, tc := range []struct {
		name  string
		shard *[2]int
		want  int
	}{
		{"unsharded", nil, 4011},
		{"shard beyond the count", &[2]int{3, 2}, 4010},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession(t, e)
			s.Identify.Shard = tc.shard // discordgo itself refuses ShardID >= ShardCount
			err := s.Open()
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != tc.want {
				s.Close()
				t.Fatalf("Open = %v; want close code %d", err, tc.want)
			}
		})
	}
}

func TestGatewayBotRecommendsShards(t *testing.T) {
	t.Parallel()
	seed := TwoGuildSeed()
	e := startEmu(t, Options{Seed: &seed, MaxGuildsPerShard: 1, MaxConcurrency: 2})
	s := newSession(t, e)
	before, err := s.GatewayBot()
	if err != nil {
		t.Fatal(err)
	}
	if before.Shards != 2 || before.SessionStartLimit.MaxConcurrency != 2 {
		t.Errorf("GET /gateway/bot = %+v; want 2 shards and max_concurrency 2", before)
	}
	s.ShardCount = 2
	openBot(t, s)
	after, err := s.GatewayBot()
	if err != nil {
		t.Fatal(err)
	}
	if after.SessionStartLimit.Remaining != before.SessionStartLimit.Remaining-1 {
		t.Errorf("remaining session starts %d after one IDENTIFY, was %d", after.SessionStartLimit.Remaining, before.SessionStartLimit.Remaining)
	}
}

func TestIdentifyWindow(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{MaxConcurrency: 2, IdentifyWindow: time.Hour})
	identify := func(shard string) payload {
		g := dialGateway(t, e, "v=10&encoding=json")
		g.mustRead()
		g.send(`{"op":2,"d":{"token":"Bot x","intents":1,"properties":{},"shard":` + shard + `}}`)
		return g.mustRead()
	}
	// Shards 0 and 1 are in different buckets of max_concurrency 2;
	// shard 2 shares shard 0's, which identified within the window.
	for _, tc := range []struct {
		shard string
		op    int
	}{{`[0,4]`, 0}, {`[1,4]`, 0}, {`[2,4]`, 9}} {
		if p := identify(tc.shard); p.Op != tc.op {
			t.Errorf("IDENTIFY as %s answered with op %d, want %d", tc.shard, p.Op, tc.op)
		}
	}
	if n := e.GatewayStats().IdentifyRateLimited; n != 1 {
		t.Errorf("IdentifyRateLimited = %d, want 1", n)
	}
}

func TestGatewayBotNeedsAToken(t *testing.T) {
	t.Parallel()
	e := startEmu(t, Options{})
	resp, err := http.Get(e.URL + "/api/v10/gateway/bot")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /gateway/bot without a token: %d, want 401", resp.StatusCode)
	}
}
