package revision

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var sharedDir = filepath.Join("..", "..", "..", "shared")

// commentHeader is a seed page's comment header: a name glued to an age.
var commentHeader = regexp.MustCompile(`^\S+?\d+[smhdwy] ago(?: \(Edited .*\))?$`)

// readSeed returns a seed page's title and article paragraphs: blank-line
// separated blocks, chrome before the title skipped, stopping at the first
// comment header.
func readSeed(t *testing.T, name string) (string, []string) {
	t.Helper()
	path := filepath.Join(sharedDir, "seeds", name)
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("seed %s absent (the shared folder is not beside this checkout)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	var title string
	var paras []string
	for _, block := range strings.Split(string(data), "\n\n") {
		block = strings.TrimSpace(block)
		switch {
		case block == "" || (title == "" && isChrome(block)):
			continue
		case commentHeader.MatchString(block):
			return title, paras
		case title == "":
			title = block
		default:
			paras = append(paras, block)
		}
	}
	return title, paras
}

func readShared(t *testing.T, rel ...string) []byte {
	t.Helper()
	path := filepath.Join(append([]string{sharedDir, "testdata"}, rel...)...)
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("%s absent (shared test data is not beside this checkout)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	return data
}

const (
	seedFirst  = "000_fe0adea8449b3ec9.txt"
	seedSecond = "002_d80e6e28c6beaa5f.txt"
)

func TestSeedsAreOneStoryWithAnUpdate(t *testing.T) {
	t1, p1 := readSeed(t, seedFirst)
	t2, p2 := readSeed(t, seedSecond)
	if want := "North Korea denies attacking Sony, offers to help investigate"; t1 != want {
		t.Fatalf("seed title = %q, want %q", t1, want)
	}
	if TitleKey(t1) != TitleKey(t2) {
		t.Errorf("TitleKey(%q) = %q, TitleKey(%q) = %q; want equal", t1, TitleKey(t1), t2, TitleKey(t2))
	}
	if TitleChanged(t1, t2) {
		t.Errorf("TitleChanged(%q, %q) = true; the (updated) marker is not a change", t1, t2)
	}
	added, removed := Diff(p1, p2)
	if len(removed) != 0 {
		t.Errorf("Diff removed %q, want nothing", removed)
	}
	if want := p2[1:]; !equalStrings(added, want) {
		t.Errorf("Diff added %d paragraphs %q\nwant %d: %q", len(added), added, len(want), want)
	}
	if last := added[len(added)-1]; !strings.HasPrefix(last, "Update:") {
		t.Errorf("last added paragraph = %.40q…, want the Update: paragraph", last)
	}
	for _, p := range added {
		if p == "Advertisement" {
			t.Error("Diff reported page chrome as an added paragraph")
		}
	}
	a := Fingerprint{TitleKey: TitleKey(t1), Paras: p1}
	b := Fingerprint{TitleKey: TitleKey(t2), Paras: p2}
	if !SameStory(a, b) || !SameStory(b, a) {
		t.Errorf("SameStory(seed 000, seed 002) = false, want true (similarity %.2f)", Similarity(p1, p2))
	}
	if Hash(t1, p1) == Hash(t2, p2) {
		t.Error("the two seeds hash equal, want different")
	}
}

// The Engadget page exists only after its updates; cutting the "(updated)"
// suffix and everything from "Update:" on gives the version before.
func TestEngadgetSyntheticBefore(t *testing.T) {
	var meta struct {
		HandLabels struct {
			BaseTitle     string   `json:"base_title"`
			UpdateMarkers []string `json:"update_markers"`
		} `json:"hand_labels"`
	}
	dir := []string{"updates", "engadget_updated"}
	if err := json.Unmarshal(readShared(t, append(dir, "engadget_sony_move_updated_2010-11-30.meta.json")...), &meta); err != nil {
		t.Fatal(err)
	}
	text := string(readShared(t, append(dir, "engadget_sony_move_updated_2010-11-30.txt")...))
	lines := strings.Split(text, "\n")
	afterTitle := strings.TrimSpace(lines[0])
	var afterParas []string
	for _, l := range lines[1:] {
		if l = strings.TrimSpace(l); l != "" {
			afterParas = append(afterParas, l)
		}
	}
	beforeTitle := strings.TrimSuffix(afterTitle, " (updated)")
	if beforeTitle != meta.HandLabels.BaseTitle {
		t.Fatalf("title without suffix = %q, meta says %q", beforeTitle, meta.HandLabels.BaseTitle)
	}
	cut := strings.Index(text, meta.HandLabels.UpdateMarkers[0])
	var beforeParas []string
	for _, l := range strings.Split(text[:cut], "\n")[1:] {
		if l = strings.TrimSpace(l); l != "" {
			beforeParas = append(beforeParas, l)
		}
	}

	if TitleChanged(beforeTitle, afterTitle) {
		t.Errorf("TitleChanged(%q, %q) = true, want false", beforeTitle, afterTitle)
	}
	added, removed := Diff(beforeParas, afterParas)
	// The update was appended inside the last paragraph: that paragraph is
	// edited, so its old form is removed and its new form added.
	if len(removed) != 1 || len(added) != 1 || !strings.HasPrefix(added[0], removed[0]) {
		t.Errorf("Diff = added %q, removed %q; want the body paragraph replaced by its extension", added, removed)
	}
	if !strings.Contains(added[0], "Update 2:") {
		t.Errorf("added paragraph lacks the second update: %q", added)
	}
	before := Fingerprint{TitleKey: TitleKey(beforeTitle), Paras: beforeParas}
	after := Fingerprint{TitleKey: TitleKey(afterTitle), Paras: afterParas}
	if !SameStory(before, after) {
		t.Errorf("SameStory(before, after) = false (similarity %.2f)", Similarity(beforeParas, afterParas))
	}
	if Hash(beforeTitle, beforeParas) == Hash(afterTitle, afterParas) {
		t.Error("before and after hash equal")
	}
}

type apPair struct {
	ID string `json:"entry_id"`
	X  string `json:"sentence_x"`
	Y  string `json:"sentence_y"`
}

// apMarkup strips the tokenised HTML the AP pairs carry ("< /p > < p >").
var apMarkup = regexp.MustCompile(`<\s*/?\s*p\s*>`)

// The AP pairs are two versions of one sentence from successive revisions.
// An extended or lightly edited sentence stays similar; a rewritten lede
// ("says a ban must be in place" → "eased a ban") is a different text, and
// on its own must not be enough to call two stories the same.
func TestAPSentencePairs(t *testing.T) {
	var pairs []apPair
	for _, line := range strings.Split(strings.TrimSpace(string(readShared(t, "updates", "newsedits_demo", "ap_sentence_pairs.jsonl"))), "\n") {
		var p apPair
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			t.Fatalf("ap pair %q: %v", line, err)
		}
		p.X, p.Y = apMarkup.ReplaceAllString(p.X, " "), apMarkup.ReplaceAllString(p.Y, " ")
		pairs = append(pairs, p)
	}
	want := map[string]struct {
		min, max float64
		same     bool
	}{
		"4212": {0, 0.3, false},  // lede rewritten
		"3800": {0.6, 0.9, true}, // "would reveal" → "have revealed"
		"4040": {1, 1, true},     // a sentence glued in front
		"4242": {1, 1, true},     // a clause added at the end
		"3629": {0.5, 0.9, true}, // "landmines" → "land mines"
	}
	for i, p := range pairs {
		w, ok := want[p.ID]
		if !ok {
			t.Errorf("unexpected pair %s", p.ID)
			continue
		}
		t.Run(p.ID, func(t *testing.T) {
			x, y := []string{p.X}, []string{p.Y}
			sim := Similarity(x, y)
			if sim < w.min || sim > w.max {
				t.Errorf("Similarity = %.3f, want in [%.2f, %.2f]", sim, w.min, w.max)
			}
			if back := Similarity(y, x); back != sim {
				t.Errorf("Similarity not symmetric: %.3f vs %.3f", sim, back)
			}
			other := pairs[(i+1)%len(pairs)]
			if cross := Similarity(x, []string{other.Y}); cross >= sim && sim > 0 {
				t.Errorf("similarity to pair %s's sentence %.3f ≥ own pair's %.3f", other.ID, cross, sim)
			}
			fa := Fingerprint{TitleKey: "ap story " + p.ID, Paras: x}
			fb := Fingerprint{TitleKey: "ap story " + p.ID, Paras: y}
			if got := SameStory(fa, fb); got != w.same {
				t.Errorf("SameStory with equal titles = %v, want %v (similarity %.3f)", got, w.same, sim)
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
