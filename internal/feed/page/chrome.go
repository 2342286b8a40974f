package page

import (
	"regexp"
	"strings"
)

// Page chrome: lines a site wraps around every article that are not part
// of the story or its comments. This is the one list both parsers use; a
// line is chrome when it is, as a whole, one of these (case and spacing
// ignored).
var chromeLines = map[string]bool{}

func init() {
	for _, s := range []string{
		"Advertisement", "Advertisements", "Ad", "Sponsored", "Sponsored content",
		"Supported by", "Paid content", "Paid post",
		"Read Full Story >>", "Read full story", "Read more", "Read more >>",
		"Continue reading", "Continue reading the main story", "Continue reading below",
		"Story continues below advertisement", "Article continues below advertisement",
		"The story is too old to be commented.", "Comments are closed.",
		"Log in to comment", "You must be logged in to post a comment.",
		"Share", "Share this", "Share this article", "Share this story", "Share this post",
		"Tweet", "Email", "Print", "Save", "Copy link", "Link copied",
		"Subscribe", "Subscribe now", "Sign up", "Sign up for our newsletter",
		"Sign up for our newsletters", "Subscribe to our newsletter",
		"View all New York Times newsletters.",
		"Comments", "Show comments", "Hide comments", "Show more comments",
		"Load more comments", "Load more", "View comments", "Add a comment", "Leave a comment",
		"Reply", "Report", "Report abuse", "Permalink",
		"Skip to content", "Skip to main content", "Skip to navigation", "Loading...",
		"Related", "Related articles", "Related stories", "Related coverage",
		"More on this story", "Recommended", "Recommended for you", "Most popular",
		"Trending", "Top stories",
		"Collapse", "See my options", "Click to expand",
		"Image", "Photo", "Video", "Audio", "Graphic", "Credit",
		"Subscribe to The Times", "Subscribe for full access",
	} {
		chromeLines[chromeKey(s)] = true
	}
}

// chromePatterns are chrome lines with a number or a site name in them.
var chromePatterns = []*regexp.Regexp{
	regexp.MustCompile(`^\d+ (comments?|replies|shares)$`),
	regexp.MustCompile(`^(share|post) (on|to|via) [a-z+]+$`),
	regexp.MustCompile(`^(follow|like|find) us on [a-z ]+$`),
	regexp.MustCompile(`^you have \d+ free articles? (left|remaining)\.?$`),
	regexp.MustCompile(`^(subscribe|sign up) (for|to) .{0,40}newsletters?\.?$`),
	// Newsletter and app promotions: "Get politics and Washington news
	// updates via Facebook, Twitter and the Morning Briefing newsletter."
	regexp.MustCompile(`^.{0,80}\b(sign up for|subscribe to|updates via|download) .{0,80}\b(newsletters?|briefing|app)\.?$`),
	regexp.MustCompile(`^a version of this article appears in print on\b`),
}

// maxChromeLen: longer lines are always text (the longest chrome is a
// print-edition note).
const maxChromeLen = 250

// isChrome reports whether line is page chrome.
func isChrome(line string) bool {
	if len(line) > maxChromeLen {
		return false
	}
	k := chromeKey(line)
	if k == "" {
		return false
	}
	if chromeLines[k] {
		return true
	}
	for _, re := range chromePatterns {
		if re.MatchString(k) {
			return true
		}
	}
	return false
}

// chromeKey folds a line for comparison with the chrome list.
func chromeKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
