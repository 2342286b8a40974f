package emulator

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// specPath is Discord's OpenAPI description in the shared test data.
var specPath = filepath.Join("..", "..", "shared", "testdata", "discord", "openapi.json")

// exercised collects the schemas every test's emulator validated bodies
// against, printed once at the end of the run.
var exercised = struct {
	sync.Mutex
	m map[string]bool
}{m: map[string]bool{}}

func TestMain(m *testing.M) {
	code := m.Run()
	if len(exercised.m) > 0 {
		names := make([]string, 0, len(exercised.m))
		for n := range exercised.m {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Printf("OpenAPI schemas exercised by request bodies (%d): %s\n", len(names), strings.Join(names, ", "))
	}
	os.Exit(code)
}

// startEmu starts an emulator that, when the shared OpenAPI description is
// present, validates every request body against it and fails the test on
// any answer or gateway event the description does not allow.
func startEmu(t *testing.T, opts Options) *Emulator {
	t.Helper()
	if _, err := os.Stat(specPath); err == nil {
		opts.OpenAPIFile = specPath
	} else {
		t.Logf("no OpenAPI description at %s: request bodies are checked against Discord's limits only", specPath)
	}
	e := Start(t, opts)
	t.Cleanup(func() {
		names := e.SchemasExercised()
		exercised.Lock()
		for _, n := range names {
			exercised.m[n] = true
		}
		exercised.Unlock()
	})
	return e
}

// newSession is a discordgo session whose REST calls and gateway reach e.
func newSession(t *testing.T, e *Emulator) *discordgo.Session {
	t.Helper()
	s, err := discordgo.New("Bot test-token")
	if err != nil {
		t.Fatal(err)
	}
	s.Client = e.Client()
	return s
}

// openBot opens the gateway connection and closes it when the test ends.
func openBot(t *testing.T, s *discordgo.Session) {
	t.Helper()
	if err := s.Open(); err != nil {
		t.Fatalf("open gateway: %v", err)
	}
	t.Cleanup(func() { s.Close() })
}

// restCode is the Discord error code of a failed REST call.
func restCode(t *testing.T, err error) int {
	t.Helper()
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Message == nil {
		t.Fatalf("want a Discord error, got %v", err)
	}
	return re.Message.Code
}

func restStatus(t *testing.T, err error) int {
	t.Helper()
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		t.Fatalf("want a Discord error, got %v", err)
	}
	return re.Response.StatusCode
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func waitFor[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(8 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
	panic("unreachable")
}

// testCommands are commands shaped like newsbot's.
func testCommands() []*discordgo.ApplicationCommand {
	manage := int64(discordgo.PermissionManageGuild)
	one, most := 1.0, 500.0
	return []*discordgo.ApplicationCommand{
		{Name: "quote", Description: "Quote a comment of a story", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "story", Description: "Story id", Required: true, Autocomplete: true},
			{Type: discordgo.ApplicationCommandOptionString, Name: "author", Description: "Comment author"},
		}},
		{Name: "summarize", Description: "Summarize a story's comments", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionInteger, Name: "story", Description: "Story id", Required: true, Autocomplete: true},
			{Type: discordgo.ApplicationCommandOptionInteger, Name: "words", Description: "Length", MinValue: &one, MaxValue: most},
		}},
		{Name: "feeds", Description: "Manage feeds", DefaultMemberPermissions: &manage, Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "list", Description: "List feeds"},
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "add", Description: "Add a feed", Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "url", Description: "Feed URL", Required: true},
				{Type: discordgo.ApplicationCommandOptionChannel, Name: "channel", Description: "Where to post",
					ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText}},
			}},
		}},
	}
}

// registerCommands bulk-overwrites the guild's commands through discordgo.
func registerCommands(t *testing.T, s *discordgo.Session) []*discordgo.ApplicationCommand {
	t.Helper()
	cmds, err := s.ApplicationCommandBulkOverwrite(DefaultApplicationID, DefaultGuildID, testCommands())
	if err != nil {
		t.Fatalf("register commands: %v", err)
	}
	return cmds
}

func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// testTime is a fixed moment for tests that build state directly.
var testTime = time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
