package page

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// testNow is the fixed moment relative ages resolve against in tests.
var testNow = time.Date(2020, 10, 20, 12, 0, 0, 0, time.UTC)

var (
	seedDir   = filepath.Join("..", "..", "..", "..", "shared", "seeds")
	sharedDir = filepath.Join("..", "..", "..", "..", "shared", "testdata")
)

// openShared opens a file of the shared data, skipping the test when the
// folder is not beside the repository (a fresh clone elsewhere).
func openShared(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		t.Skipf("shared data %s not present: %v", path, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func parseShared(t *testing.T, path string) news.Article {
	t.Helper()
	a, err := ParseText(openShared(t, path), Options{Now: testNow})
	if err != nil {
		t.Fatalf("ParseText(%s): %v", path, err)
	}
	return a
}

func daysAgo(n int) time.Time { return testNow.Add(-time.Duration(n) * day) }

func TestParseTextSeedThread(t *testing.T) {
	a := parseShared(t, filepath.Join(seedDir, "000_fe0adea8449b3ec9.txt"))

	if want := "North Korea denies attacking Sony, offers to help investigate"; a.Title != want {
		t.Errorf("title = %q, want %q", a.Title, want)
	}
	if len(a.Paragraphs) != 1 || !strings.HasPrefix(a.Paragraphs[0], "North Korea has ratcheted") ||
		!strings.HasSuffix(a.Paragraphs[0], "(judging by the rough translation).") {
		t.Errorf("paragraphs = %q, want the one article paragraph", a.Paragraphs)
	}

	wantAuthors := []string{"Devil-X", "ChrisW", "plmkoh", "ChrisW", "SilentNegotiator", "ChrisW",
		"amiga-man", "BeastBoxOne", "ChrisW", "SilentNegotiator", "BeastBoxOne", "SilentNegotiator",
		"sonic989", "SmielmaN", "NarooN", "Rute", "Devil-X", "Jrmy84", "sonic989",
		"SilentNegotiator", "TechImperia", "Whatever4Ever"}
	var authors []string
	distinct := map[string]bool{}
	var edited []int
	for i, c := range a.Comments {
		if c.Index != i+1 {
			t.Errorf("comment %d has Index %d", i+1, c.Index)
		}
		authors = append(authors, c.Author)
		distinct[c.Author] = true
		if c.Edited() {
			edited = append(edited, c.Index)
			if !c.EditedAt.Equal(daysAgo(2138)) {
				t.Errorf("comment %d edited at %v, want 2138 days ago", c.Index, c.EditedAt)
			}
		}
	}
	if !slices.Equal(authors, wantAuthors) {
		t.Errorf("authors =\n%q\nwant\n%q", authors, wantAuthors)
	}
	if len(distinct) != 13 {
		t.Errorf("%d distinct authors, want 13", len(distinct))
	}
	if want := []int{2, 6, 8, 10, 18}; !slices.Equal(edited, want) {
		t.Errorf("edited comments = %v, want %v", edited, want)
	}

	ages := map[int]int{1: 2139, 20: 2137} // all others 2138
	for _, c := range a.Comments {
		days, ok := ages[c.Index]
		if !ok {
			days = 2138
		}
		if !c.PostedAt.Equal(daysAgo(days)) {
			t.Errorf("comment %d (%s) posted %v, want %d days before %v", c.Index, c.Author, c.PostedAt, days, testNow)
		}
	}

	replies := map[int]int{3: 2, 5: 3, 6: 5, 19: 18, 20: 16}
	for _, c := range a.Comments {
		if c.ReplyTo != replies[c.Index] {
			t.Errorf("comment %d (%s) ReplyTo = %d, want %d", c.Index, c.Author, c.ReplyTo, replies[c.Index])
		}
		if c.Depth != 0 {
			t.Errorf("comment %d Depth = %d, want 0", c.Index, c.Depth)
		}
	}

	bodies := map[int]string{
		13: "You are assuming they did it and you are assuming they are threatening too.\n" +
			"Too much mainstream media and controlled alternative news Agencies.\n" +
			"If there is any country we should investigate well the answer might quite clear which country is at the center every single chaos on planet earth.",
		15: "\"Let us help you find the bad guys... OR ELSE!!\"\n\nIt's really as if North Korea has reached cartoon levels of supervillainy.",
		17: "These days.. you never know.\n\nTimes are changing fast. :p",
		19: "@ jrmy\nLet's say your neighbors are controlled by a higher authority and threatened .\n" +
			"About the lawyer lol he can just act that he helps you but on back scenes things are already decided by higher ups, don't be naive",
		22: "Not just sanctions, we are going to put them back as a state that sponsors terroristic acts.",
	}
	for i, want := range bodies {
		if got := a.Comments[i-1].Body; got != want {
			t.Errorf("comment %d body =\n%q\nwant\n%q", i, got, want)
		}
	}
	// Several blank lines after a header and between paragraphs collapse.
	if b := a.Comments[4].Body; !strings.HasPrefix(b, "Except this \"antic\"") || strings.Count(b, "\n\n") != 3 ||
		!strings.Contains(b, "\n\n\"Around two weeks later GOP demanded the take down of 'The Interview' which is where the suspicions on Nth Korea started to come in\"\n\n") {
		t.Errorf("comment 5 body = %q, want four paragraphs with the quoted line verbatim", b)
	}
}

func TestParseTextSeedUpdated(t *testing.T) {
	a := parseShared(t, filepath.Join(seedDir, "002_d80e6e28c6beaa5f.txt"))
	if want := "North Korea denies attacking Sony, offers to help investigate (updated)"; a.Title != want {
		t.Errorf("title = %q, want %q", a.Title, want)
	}
	if len(a.Paragraphs) != 5 {
		t.Fatalf("%d paragraphs, want 5: %q", len(a.Paragraphs), a.Paragraphs)
	}
	for _, p := range a.Paragraphs {
		if p == "Advertisement" {
			t.Errorf("chrome line kept as a paragraph: %q", p)
		}
	}
	if !strings.HasPrefix(a.Paragraphs[0], "North Korea has ratcheted") {
		t.Errorf("first paragraph = %q, want the original lead", a.Paragraphs[0])
	}
	if last := a.Paragraphs[4]; !strings.HasPrefix(last, "Update: The US isn't exactly buying") ||
		!strings.HasSuffix(last, "any time soon.") {
		t.Errorf("last paragraph = %q, want the whole Update: paragraph", last)
	}
	if a.Comments != nil {
		t.Errorf("comments = %v, want none", a.Comments)
	}
}

// TestParseTextLabelledPages compares real pages with their hand labels.
func TestParseTextLabelledPages(t *testing.T) {
	for _, name := range []string{"n4g_news_1112478", "n4g_news_132003"} {
		t.Run(name, func(t *testing.T) {
			a := parseShared(t, filepath.Join(sharedDir, "pages", name+".txt"))
			raw, err := os.ReadFile(filepath.Join(sharedDir, "pages", name+".meta.json"))
			if err != nil {
				t.Fatal(err)
			}
			var meta struct {
				Labels struct {
					Title       *string `json:"title"`
					TitleInDump *bool   `json:"title_in_dump"`
					Comments    []struct {
						Author     string `json:"author"`
						AgeDays    int    `json:"age_days"`
						EditedDays int    `json:"edited_age_days"`
					} `json:"comments"`
				} `json:"expected_parse_hand_labelled"`
			}
			if err := json.Unmarshal(raw, &meta); err != nil {
				t.Fatal(err)
			}
			l := meta.Labels
			switch {
			case l.Title != nil && a.Title != *l.Title:
				t.Errorf("title = %q, want %q", a.Title, *l.Title)
			case l.TitleInDump != nil && !*l.TitleInDump && a.Title != "":
				t.Errorf("title = %q, want none (the dump starts with a sentence)", a.Title)
			}
			if len(a.Paragraphs) == 0 {
				t.Error("no article paragraphs")
			}
			if len(a.Comments) != len(l.Comments) {
				t.Fatalf("%d comments, want %d", len(a.Comments), len(l.Comments))
			}
			for i, want := range l.Comments {
				c := a.Comments[i]
				if c.Author != want.Author || !c.PostedAt.Equal(daysAgo(want.AgeDays)) {
					t.Errorf("comment %d = %s posted %v, want %s %d days ago", i+1, c.Author, c.PostedAt, want.Author, want.AgeDays)
				}
				if want.EditedDays != 0 && !c.EditedAt.Equal(daysAgo(want.EditedDays)) {
					t.Errorf("comment %d edited %v, want %d days ago", i+1, c.EditedAt, want.EditedDays)
				}
				if want.EditedDays == 0 && c.Edited() {
					t.Errorf("comment %d has an edit mark, want none", i+1)
				}
			}
		})
	}
}

func TestParseTextEngadgetUpdate(t *testing.T) {
	a := parseShared(t, filepath.Join(sharedDir, "updates", "engadget_updated", "engadget_sony_move_updated_2010-11-30.txt"))
	if want := "Sony ships 4.1 million PlayStation Move controllers to retailers (updated)"; a.Title != want {
		t.Errorf("title = %q, want %q", a.Title, want)
	}
	if a.Author != "Vlad Savov" || !a.Published.Equal(time.Date(2010, 11, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("byline = %q %v, want Vlad Savov 2010-11-30", a.Author, a.Published)
	}
	var starts []string
	for _, p := range a.Paragraphs {
		starts = append(starts, strings.Join(strings.Fields(p)[:2], " "))
	}
	if want := []string{"A little", "Update: Our", "Update 2:"}; !slices.Equal(starts, want) {
		t.Errorf("paragraphs start %q, want %q (update notes split off)", starts, want)
	}
}
