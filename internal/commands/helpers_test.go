package commands

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/render"
	"github.com/newsbot-dev/newsbot/internal/store"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// t0 is the fixture's clock: every time in the fixture counts from it.
var t0 = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// Fixture story ids, in the order fixture() saves them.
const (
	sonyStory    int64 = 1 // a short argumentative thread
	changedStory int64 = 2 // three revisions, no comments
	deletedStory int64 = 3
	longStory    int64 = 4 // one comment too long for a message
	bigStory     int64 = 5 // 45 comments, for /thread pages
	missingStory int64 = 42
)

func at(minutes int) time.Time { return t0.Add(time.Duration(minutes) * time.Minute) }

// sonyComments is a small thread with known answers: alice and ChrisW
// are the most active (3 comments each), comment 1 draws three replies,
// comment 3 was edited, and comment 7 holds mentions that must not ping.
func sonyComments() []news.Comment {
	c := func(author string, minutes, replyTo int, body string) news.Comment {
		return news.Comment{Author: author, PostedAt: at(minutes), ReplyTo: replyTo, Body: body}
	}
	cs := []news.Comment{
		c("ChrisW", 0, 0, "Other news agencies say it looks more like the work of hacktivists than of North Korea. "+
			"Blaming North Korea is easy because nobody will check."),
		c("alice", 10, 1, "No, the FBI found the same servers were used in the attacks on South Korean banks. "+
			"The evidence points at North Korea."),
		c("ChrisW", 20, 2, "Servers and IP addresses are easy to fake. The FBI has shown nothing a court would accept."),
		c("sonic989", 30, 1, "You are assuming they did it and you are assuming they are threatening too."),
		c("alice", 45, 3, "Actually the FBI said it has more evidence it cannot share. That is normal in these cases."),
		c("bob_the_builder", 60, 1, "I want to see the film now, lol. The hack made it famous."),
		c("Mallory", 70, 0, "@everyone look at this <@&123> and <@456> — **North Korea** did it."),
		c("sonic989", 80, 6, "Let's say your neighbors are controlled by a higher authority. The film is not the point."),
		c("alice", 90, 0, "North Korea denies the attack but offers to help investigate it, which is a strange thing to offer."),
		c("ChrisW", 100, 9, "Strange but typical of North Korea: deny everything and threaten everyone."),
	}
	cs[2].EditedAt = at(25)
	return cs
}

var (
	fixtureOnce sync.Once
	fixtureDB   *store.DB
	fixtureErr  error
)

// fixture returns an in-memory store holding the fixture stories, saved
// the way the bot saves them. Commands only read, so every test shares
// one store, built once and closed by TestMain.
func fixture(t testing.TB) *store.DB {
	t.Helper()
	fixtureOnce.Do(func() { fixtureDB, fixtureErr = buildFixture(context.Background()) })
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return fixtureDB
}

func buildFixture(ctx context.Context) (*store.DB, error) {
	db, err := store.Open(ctx, ":memory:")
	if err != nil {
		return nil, err
	}
	var errs []error
	save := func(a news.Article, minutes int) news.SaveResult {
		res, err := db.SaveArticle(ctx, a, store.SaveOptions{FeedID: "example", Now: at(minutes)})
		errs = append(errs, err)
		return res
	}
	sony := save(news.Article{
		GUID: "sony", URL: "https://news.example/sony", Source: "news.example",
		Title:      "North Korea denies attacking Sony, offers to help investigate",
		Paragraphs: []string{"North Korea has denied hacking Sony Pictures and offered a joint probe with the US."},
		Comments:   sonyComments(),
	}, 0)
	changed := news.Article{GUID: "bridge", URL: "https://news.example/bridge", Title: "Bridge closed after storm",
		Paragraphs: []string{"The river bridge closed on Monday after storm damage."}}
	save(changed, 1)
	changed.Paragraphs = append(changed.Paragraphs, "Engineers will inspect it on Tuesday.")
	save(changed, 2)
	changed.Title = "Bridge reopens after storm (updated)"
	changed.Paragraphs = []string{"The river bridge reopened on Wednesday after repairs.", "Engineers will inspect it on Tuesday."}
	save(changed, 3)
	gone := save(news.Article{GUID: "gone", Title: "A story that was taken down", Paragraphs: []string{"Text."},
		Comments: []news.Comment{{Author: "x", Body: "y", PostedAt: at(4)}}}, 4)
	errs = append(errs, db.DeleteStory(ctx, gone.Story.ID))
	save(news.Article{GUID: "long", Title: "Council publishes budget", Paragraphs: []string{"The budget is out."},
		Comments: []news.Comment{{Author: "verbose", PostedAt: at(5), Body: longBody()}}}, 5)
	save(news.Article{GUID: "big", Title: "Election night live", Paragraphs: []string{"Results as they come."},
		Comments: bigThread(45)}, 6)
	if sony.Story.ID != sonyStory {
		errs = append(errs, fmt.Errorf("fixture: sony story saved as %d", sony.Story.ID))
	}
	if err := errors.Join(errs...); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// longBody is a comment of about 3,600 characters in numbered sentences.
func longBody() string {
	var b strings.Builder
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&b, "Sentence %d of a very long comment about the council budget and its many lines. ", i)
	}
	return strings.TrimSpace(b.String())
}

// bigThread is n comments by five people, each replying to the one two
// before it, so the outline nests.
func bigThread(n int) []news.Comment {
	names := []string{"ann", "ben", "cat", "dan", "eve"}
	cs := make([]news.Comment, n)
	for i := range cs {
		cs[i] = news.Comment{Author: names[i%len(names)], PostedAt: at(10 + i),
			Body: fmt.Sprintf("Comment number %d about the count in district %d.", i+1, i%7)}
		if i >= 2 && i%3 != 0 {
			cs[i].ReplyTo = i - 1
		}
	}
	return cs
}

// testHandler is a Handler on db with a fixed clock, a seeded random
// source and a log the test can read.
func testHandler(t testing.TB, db Store) (*Handler, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	return &Handler{
		Store: db,
		Now:   func() time.Time { return at(24 * 60) },
		Rand:  func() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) },
		Log:   slog.New(slog.NewTextHandler(&logs, nil)),
	}, &logs
}

// admin and member are the permissions of the interactions tests send.
const (
	admin  int64 = permManageServer
	member int64 = 0x400 | 0x800 // view channel, send messages
)

// run parses line as a member would type it, answers it as a member with
// perms, and checks the answer against Discord's limits.
func run(t testing.TB, h *Handler, line string, perms int64) *discordgo.InteractionResponse {
	t.Helper()
	i, err := ParseCommandLine(h.Commands(), line)
	if err != nil {
		t.Fatalf("ParseCommandLine(%q): %v", line, err)
	}
	return respond(t, h, i, perms)
}

// complete asks for the choices of focused while line is typed.
func complete(t testing.TB, h *Handler, line, focused string, perms int64) []*discordgo.ApplicationCommandOptionChoice {
	t.Helper()
	i, err := ParseAutocomplete(h.Commands(), line, focused)
	if err != nil {
		t.Fatalf("ParseAutocomplete(%q, %s): %v", line, focused, err)
	}
	resp := respond(t, h, i, perms)
	if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
		t.Fatalf("autocomplete of %q answered with type %d", line, resp.Type)
	}
	return resp.Data.Choices
}

func respond(t testing.TB, h *Handler, i *discordgo.Interaction, perms int64) *discordgo.InteractionResponse {
	t.Helper()
	i.ID, i.GuildID, i.ChannelID = "900", "100", "200"
	i.Member = &discordgo.Member{User: &discordgo.User{ID: "300", Username: "tester"}, Permissions: perms}
	resp, err := h.Respond(context.Background(), i)
	if err != nil {
		t.Fatalf("Respond: %v", err)
	}
	checkLimits(t, resp)
	return resp
}

// checkLimits fails the test when resp is not something Discord accepts,
// or could ping anyone.
func checkLimits(t testing.TB, resp *discordgo.InteractionResponse) {
	t.Helper()
	if resp == nil || resp.Data == nil {
		t.Fatalf("response without data: %+v", resp)
	}
	d := resp.Data
	if resp.Type == discordgo.InteractionApplicationCommandAutocompleteResult {
		checkChoices(t, d.Choices)
		return
	}
	if am := d.AllowedMentions; am == nil || len(am.Parse) != 0 || len(am.Users) != 0 || len(am.Roles) != 0 || am.RepliedUser {
		t.Errorf("allowed_mentions = %+v, want {\"parse\": []}", am)
	}
	if d.Content == "" && len(d.Embeds) == 0 {
		t.Errorf("message with neither content nor embeds")
	}
	limit(t, "content", d.Content, render.MaxContent)
	if len(d.Embeds) > render.MaxEmbeds {
		t.Errorf("%d embeds, limit %d", len(d.Embeds), render.MaxEmbeds)
	}
	total := 0
	for _, e := range d.Embeds {
		total += checkEmbed(t, e)
	}
	if total > render.MaxEmbedTotal {
		t.Errorf("embeds total %d characters, limit %d", total, render.MaxEmbedTotal)
	}
	checkComponents(t, d.Components)
}

// checkLink fails when u is a link Discord would refuse the message for:
// anything but empty or an absolute http(s) URL.
func checkLink(t testing.TB, what, u string) {
	t.Helper()
	if u == "" {
		return
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		t.Errorf("%s %q is not an http(s) URL Discord accepts", what, u)
	}
}

func limit(t testing.TB, what, s string, max int) int {
	t.Helper()
	if n := render.Len(s); n > max {
		t.Errorf("%s is %d characters, limit %d: %.80q…", what, n, max, s)
	}
	return render.Len(s)
}

func checkEmbed(t testing.TB, e *discordgo.MessageEmbed) int {
	t.Helper()
	checkLink(t, "embed url", e.URL)
	if e.Image != nil {
		checkLink(t, "embed image url", e.Image.URL)
	}
	n := limit(t, "embed title", e.Title, render.MaxEmbedTitle) + limit(t, "embed description", e.Description, render.MaxEmbedDescription)
	if len(e.Fields) > render.MaxEmbedFields {
		t.Errorf("%d fields, limit %d", len(e.Fields), render.MaxEmbedFields)
	}
	for _, f := range e.Fields {
		if f.Name == "" || f.Value == "" {
			t.Errorf("field with an empty name or value: %+v", f)
		}
		n += limit(t, "field name", f.Name, render.MaxFieldName) + limit(t, "field value", f.Value, render.MaxFieldValue)
	}
	if e.Footer != nil {
		n += limit(t, "footer", e.Footer.Text, render.MaxFooter)
	}
	if e.Author != nil {
		n += limit(t, "author", e.Author.Name, render.MaxAuthor)
	}
	return n
}

func checkChoices(t testing.TB, cs []*discordgo.ApplicationCommandOptionChoice) {
	t.Helper()
	if cs == nil {
		t.Errorf("autocomplete answer without a choices list")
	}
	if len(cs) > maxChoices {
		t.Errorf("%d choices, limit %d", len(cs), maxChoices)
	}
	for _, c := range cs {
		if n := render.Len(c.Name); n < 1 || n > maxChoiceName {
			t.Errorf("choice name %q is %d characters, want 1–100", c.Name, n)
		}
		if s, ok := c.Value.(string); ok && render.Len(s) > maxChoiceName {
			t.Errorf("choice value %q over 100 characters", s)
		}
	}
}

func checkComponents(t testing.TB, cs []discordgo.MessageComponent) {
	t.Helper()
	if len(cs) > 5 {
		t.Errorf("%d action rows, limit 5", len(cs))
	}
	ids := map[string]bool{}
	for _, row := range cs {
		r, ok := row.(discordgo.ActionsRow)
		if !ok {
			t.Errorf("top-level component %T is not an action row", row)
			continue
		}
		for _, c := range r.Components {
			b, ok := c.(discordgo.Button)
			if !ok {
				continue
			}
			if len(b.CustomID) == 0 || len(b.CustomID) > maxCustomID || ids[b.CustomID] {
				t.Errorf("button custom_id %q: empty, over 100 or repeated", b.CustomID)
			}
			ids[b.CustomID] = true
		}
	}
}

// wantEphemeral fails unless resp is an ephemeral message matching re.
func wantEphemeral(t testing.TB, resp *discordgo.InteractionResponse, re string) {
	t.Helper()
	if resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("answer %q is not ephemeral", resp.Data.Content)
	}
	if !regexp.MustCompile(re).MatchString(resp.Data.Content) {
		t.Errorf("answer %q does not match %q", resp.Data.Content, re)
	}
}

// wantPublic fails unless resp is a channel message everyone sees.
func wantPublic(t testing.TB, resp *discordgo.InteractionResponse) {
	t.Helper()
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0 {
		t.Errorf("answer is not a public message: type %d, flags %d, %q", resp.Type, resp.Data.Flags, resp.Data.Content)
	}
}

// golden compares resp, as JSON, with testdata/name.json.
func golden(t *testing.T, name string, resp *discordgo.InteractionResponse) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(resp); err != nil {
		t.Fatal(err)
	}
	got := buf.Bytes()
	path := filepath.Join("testdata", name+".json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", path, got)
	}
}

// text is everything a reader sees in resp, for assertions.
func text(resp *discordgo.InteractionResponse) string {
	parts := []string{resp.Data.Content}
	for _, e := range resp.Data.Embeds {
		parts = append(parts, e.Title, e.Description)
		for _, f := range e.Fields {
			parts = append(parts, f.Name, f.Value)
		}
		if e.Footer != nil {
			parts = append(parts, e.Footer.Text)
		}
	}
	return strings.Join(parts, "\n")
}

func seeded(seed uint64) func() *rand.Rand {
	return func() *rand.Rand { return rand.New(rand.NewPCG(seed, seed)) }
}

// field returns the value of the first embed field named name.
func field(resp *discordgo.InteractionResponse, name string) string {
	for _, e := range resp.Data.Embeds {
		for _, f := range e.Fields {
			if f.Name == name {
				return f.Value
			}
		}
	}
	return ""
}

func choiceNames(cs []*discordgo.ApplicationCommandOptionChoice) string {
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	return strings.Join(names, " | ")
}
