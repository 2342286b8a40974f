package store

import (
	"encoding/hex"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// Stored stories keep the digest of their last copy (copy_digest), so the
// digest of a copy must not change between versions: if it did, every
// story would be compared in full once more after an upgrade.
func TestCopyDigestIsStable(t *testing.T) {
	a := news.Article{GUID: "g-1", URL: "https://courier.example/a?x=1", Title: "Bridge reopens",
		Author: "Ann", Source: "Courier", ImageURL: "https://courier.example/i.jpg", CommentsURL: "https://courier.example/c",
		ExternalID: "e9", Published: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), Updated: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC),
		Paragraphs: []string{"The bridge reopened on Monday.", "Café owners — relieved."}}
	got := hex.EncodeToString(copyDigest(a, "courier"))
	const want = "dc673e4421a5b0edd1c114e63d26ed4121bce4891bdd10b3191af32779f22bed"
	if got != want {
		t.Errorf("copyDigest = %s, want %s", got, want)
	}
}
