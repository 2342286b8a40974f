package page

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// TestParseHTMLNewYorkTimes parses three real New York Times pages (two
// page designs, one with a correction) and checks the body is exactly the
// story's paragraphs, as the page marks them, and nothing else.
func TestParseHTMLNewYorkTimes(t *testing.T) {
	dir := filepath.Join(sharedDir, "updates", "newsdiffs_nyt_fixtures")
	tests := []struct {
		file       string
		title      string
		url        string
		author     string
		published  time.Time
		bodyClass  string // the class the page gives its story paragraphs
		lead       []string
		correction string
		notInBody  []string
	}{
		{
			file:      "HTML_NEW_FORMAT.html",
			title:     "Mueller Won’t Indict Trump if He Finds Wrongdoing, Giuliani Says",
			url:       "https://www.nytimes.com/2018/05/16/us/politics/mueller-trump-indictment.html",
			author:    "Michael S. Schmidt, Maggie Haberman and Charlie Savage",
			published: time.Date(2018, 5, 16, 23, 37, 56, 0, time.UTC),
			bodyClass: "p.css-1cy1v93",
			lead: []string{
				"WASHINGTON — The special counsel, Robert S. Mueller III, will not indict President Trump if he finds wrongdoing",
				"The disclosure provides the greatest clarity to date about how Mr. Mueller,",
			},
			notInBody: []string{"Advertisement", "Supported by", "You have 3 free articles remaining.", "Subscribe to The Times"},
		},
		{
			file:      "HTML_OLD_FORMAT.html",
			title:     "Texas School Shooting: 10 Dead, 10 Hurt, and Many Not Surprised It Happened",
			url:       "https://www.nytimes.com/2018/05/18/us/school-shooting-santa-fe-texas.html",
			author:    "Manny Fernandez, Richard Fausset and Jess Bidgood",
			published: time.Date(2018, 5, 18, 14, 0, 58, 0, time.UTC),
			bodyClass: "p.story-body-text",
			lead: []string{
				"SANTA FE, Tex. — A nation plagued by a nightmarish loop of mass school shootings watched the latest horror play out",
				"By the end of the day, a 17-year-old suspect, Dimitrios Pagourtzis",
			},
			notInBody: []string{"Advertisement", "Map data ©2018 Google", "View all New York Times newsletters.",
				"Texas has virtually no gun laws."},
		},
		{
			file:       "HTML_WITH_CORRECTION.html",
			title:      "Deal for Macedonia Name? High Treason, Some Greeks Say",
			url:        "https://www.nytimes.com/2018/06/05/world/europe/greece-macedonia.html",
			author:     "Niki Kitsantonis",
			published:  time.Date(2018, 6, 6, 3, 30, 10, 0, time.UTC),
			bodyClass:  "p.css-1i0edl6",
			lead:       []string{"THESSALONIKI, Greece — To understand how deeply the name Macedonia is embedded in the Greek psyche"},
			correction: "Correction: Because of an editing error, an earlier version of a picture caption with this article misidentified the location",
			notInBody:  []string{"Image", "Advertisement", "SEE MY OPTIONS"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, tt.file))
			if os.IsNotExist(err) {
				t.Skipf("shared NYT pages not present: %v", err)
			}
			if err != nil {
				t.Fatal(err)
			}
			a, err := ParseHTML(bytes.NewReader(raw), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != tt.title || a.URL != tt.url || a.Author != tt.author || !a.Published.Equal(tt.published) {
				t.Errorf("got %q, %q, %q, %v\nwant %q, %q, %q, %v", a.Title, a.URL, a.Author, a.Published,
					tt.title, tt.url, tt.author, tt.published)
			}
			if a.Source != "nytimes.com" || !strings.HasPrefix(a.ImageURL, "https://static01.nyt.com/images/") {
				t.Errorf("source %q, image %q", a.Source, a.ImageURL)
			}
			for i, lead := range tt.lead {
				if i >= len(a.Paragraphs) || !strings.HasPrefix(a.Paragraphs[i], lead) {
					t.Errorf("paragraph %d does not start the story: %.80q…, want %q…", i, at(a.Paragraphs, i), lead)
				}
			}
			body := a.Paragraphs
			if tt.correction != "" {
				last := body[len(body)-1]
				if !strings.HasPrefix(last, tt.correction) {
					t.Errorf("last paragraph = %.100q, want the correction %q…", last, tt.correction)
				}
				body = body[:len(body)-1]
			}
			if want := markedParagraphs(t, raw, tt.bodyClass); !slices.Equal(body, want) {
				t.Errorf("body has %d paragraphs, the page marks %d as the story:\n got %.60q\nwant %.60q",
					len(body), len(want), body, want)
			}
			for _, p := range a.Paragraphs {
				for _, bad := range tt.notInBody {
					if strings.HasPrefix(p, bad) {
						t.Errorf("body holds page chrome or comments: %.80q", p)
					}
				}
			}
		})
	}
}

func at(ps []string, i int) string {
	if i < len(ps) {
		return ps[i]
	}
	return ""
}

// markedParagraphs returns the texts of the elements the page itself marks
// as story paragraphs, whitespace collapsed.
func markedParagraphs(t *testing.T, raw []byte, selector string) []string {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	doc.Find(selector).Each(func(_ int, s *goquery.Selection) {
		if txt := strings.Join(strings.Fields(s.Text()), " "); txt != "" {
			out = append(out, txt)
		}
	})
	return out
}

// TestParseHTMLFixtures spells out the key facts of the HTML fixtures
// (their full parse is in the golden files).
func TestParseHTMLFixtures(t *testing.T) {
	tests := []struct {
		file       string
		url        string
		title      string
		wantURL    string
		author     string
		first      string
		last       string
		count      int
		notInBody  []string
		imageURL   string
		sourceName string
	}{
		{
			file: "blog.html", url: "https://gazette.example/news/x",
			title:   "The bridge that learned to sing",
			wantURL: "https://gazette.example/2024/05/bridge-sings.html?utm_source=feed",
			author:  "Ada Lovelace, Grace Hopper", imageURL: "https://gazette.example/img/bridge.jpg",
			sourceName: "Harbour Gazette",
			first:      "When the wind blows from the north-east",
			last:       "The council will tape over some of the holes next week",
			count:      8,
			notInBody: []string{"Home", "Share on Facebook", "Advertisement", "Buy our lovely mugs", "The perforated handrail",
				"Harbour tunnel still leaks", "I walked over it yesterday", "Man finds very large potato", "©", "Continue reading",
				"By Ada Lovelace"},
		},
		{
			file: "split.html", url: "",
			title: "Storm closes ferry routes for a second day", wantURL: "https://news.example/ferries",
			author: "Rui Costa", sourceName: "news.example",
			first:     "All ferry routes to the islands were cancelled again on Wednesday",
			last:      "Correction: An earlier version of this article gave the wrong year",
			count:     8,
			notInBody: []string{"Advertisement", "Supported by", "You have 3 free articles", "More in Weather"},
		},
		{
			file: "latin1.html", url: "https://gazette.example/cafe",
			title: "Café owners protest new rules", wantURL: "https://gazette.example/cafe", sourceName: "gazette.example",
			first: "Owners of the city´s cafés marched on Tuesday", last: "The mayor said", count: 2,
		},
		{
			file: "notitle.html", title: "",
			first: "This page has no headline anywhere", last: "A second paragraph", count: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			a, err := ParseHTML(f, Options{URL: tt.url})
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != tt.title || a.URL != tt.wantURL || a.Author != tt.author ||
				a.ImageURL != tt.imageURL || a.Source != tt.sourceName {
				t.Errorf("got title %q url %q author %q image %q source %q\nwant %q %q %q %q %q",
					a.Title, a.URL, a.Author, a.ImageURL, a.Source, tt.title, tt.wantURL, tt.author, tt.imageURL, tt.sourceName)
			}
			if len(a.Paragraphs) != tt.count || !strings.HasPrefix(at(a.Paragraphs, 0), tt.first) ||
				!strings.HasPrefix(at(a.Paragraphs, len(a.Paragraphs)-1), tt.last) {
				t.Errorf("paragraphs = %q\nwant %d from %q… to %q…", a.Paragraphs, tt.count, tt.first, tt.last)
			}
			for _, p := range a.Paragraphs {
				for _, bad := range tt.notInBody {
					if strings.Contains(p, bad) {
						t.Errorf("paragraph %q holds %q, which is not the story", p, bad)
					}
				}
			}
		})
	}
}

func TestStripSite(t *testing.T) {
	tests := []struct {
		title, site string
		guess       bool
		want        string
	}{
		{"Mueller Won’t Indict Trump if He Finds Wrongdoing, Giuliani Says - The New York Times", "", true, "Mueller Won’t Indict Trump if He Finds Wrongdoing, Giuliani Says"},
		{"The bridge that learned to sing | Harbour Gazette", "Harbour Gazette", false, "The bridge that learned to sing"},
		{"Halo 4 Review | Ready-Up", "", false, "Halo 4 Review | Ready-Up"},
		{"Storm - Live", "", true, "Storm - Live"}, // too short a head to be the title alone
		{"Pros - and cons - of a four-day week at work", "", true, "Pros - and cons - of a four-day week at work"},
	}
	for _, tt := range tests {
		if got := stripSite(tt.title, tt.site, tt.guess); got != tt.want {
			t.Errorf("stripSite(%q, %q, %v) = %q, want %q", tt.title, tt.site, tt.guess, got, tt.want)
		}
	}
}

func TestClassWords(t *testing.T) {
	tests := []struct {
		class, id string
		want      []string
	}{
		{"ResponsiveAd-storyBodyAd--35v2w", "", []string{"responsive", "ad", "story", "body", "ad", "35v2w"}},
		{"site-header shadow", "load-more", []string{"site", "header", "shadow", "load", "more"}},
		{"", "comments", []string{"comments"}},
	}
	for _, tt := range tests {
		n := &html.Node{Type: html.ElementNode, Data: "div", Attr: []html.Attribute{{Key: "class", Val: tt.class}, {Key: "id", Val: tt.id}}}
		if got := classWords(n); !slices.Equal(got, tt.want) {
			t.Errorf("classWords(%q, %q) = %q, want %q", tt.class, tt.id, got, tt.want)
		}
	}
}

func TestParseSniffs(t *testing.T) {
	tests := []struct {
		name, in, title string
		comments        int
	}{
		{"text dump", "A headline\n\nSome text.\n\nalice3h ago\n\nhi", "A headline", 1},
		{"text that starts with <", "<3 Cats rule the internet\n\nSome text.", "<3 Cats rule the internet", 0},
		{"HTML", "\ufeff  <!DOCTYPE html><html><head><title>A page about bridges - Site Name Here</title></head><body><p>Text that is long enough to be a paragraph of the story.</p></body></html>", "A page about bridges", 0},
		{"HTML fragment", "<p>Only a paragraph, but a paragraph of some length, with commas.</p>", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse(strings.NewReader(tt.in), Options{Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != tt.title || len(a.Comments) != tt.comments {
				t.Errorf("Parse = title %q, %d comments; want %q, %d", a.Title, len(a.Comments), tt.title, tt.comments)
			}
		})
	}
}
