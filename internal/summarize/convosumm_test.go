package summarize

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// convoSummRow is one ConvoSumm thread and its human summary.
type convoSummRow struct {
	thread  Thread
	summary string
}

// convoSummRows loads the first n rows of a ConvoSumm file from the shared
// test data, skipping when it is absent.
func convoSummRows(t testing.TB, file string, n int) []convoSummRow {
	t.Helper()
	path := filepath.Join("..", "..", "..", "shared", "testdata", "convosumm", file)
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		t.Skipf("shared test data %s absent; skipping the ConvoSumm checks", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	var out []convoSummRow
	for sc.Scan() && len(out) < n {
		var row struct {
			Title, Question, Summary string
			Comments                 []string
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("%s: row %d: %v", path, len(out)+1, err)
		}
		th := Thread{Title: row.Title, Question: row.Question}
		for i, body := range row.Comments {
			th.Comments = append(th.Comments, news.Comment{Index: i + 1, Author: "u" + string(rune('a'+i%26)), Body: body})
		}
		out = append(out, convoSummRow{th, row.Summary})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// convoSumm loads the threads of the first n rows of a ConvoSumm file.
func convoSumm(t testing.TB, file string, n int) []Thread {
	t.Helper()
	var out []Thread
	for _, r := range convoSummRows(t, file, n) {
		out = append(out, r.thread)
	}
	return out
}

// TestConvoSummExtractsAreVerbatim checks real threads: every extract is
// its author's words, budgets hold, and sentences split losslessly.
func TestConvoSummExtractsAreVerbatim(t *testing.T) {
	for _, file := range []string{"convosumm_reddit_test.jsonl", "convosumm_stack_test.jsonl"} {
		t.Run(file, func(t *testing.T) {
			for i, th := range convoSumm(t, file, 30) {
				for _, words := range []int{Short.Words(), 65, Detailed.Words()} {
					checkPoints(t, th, Extract(th, words), words)
				}
				for _, c := range th.Comments {
					checkSentences(t, c.Body)
				}
				if len(th.Comments) > 0 && Text(Extract(th, 65), 65) == "" {
					t.Errorf("row %d: empty summary of %d comments", i, len(th.Comments))
				}
			}
		})
	}
}

// rougeTokens splits text as ROUGE-1.5.5 does: runs of ASCII letters and
// digits, lower case, words over three letters stemmed.
func rougeTokens(text string) map[string]int {
	out := map[string]int{}
	for _, w := range asciiWord.FindAllString(strings.ToLower(text), -1) {
		out[porterStem(w)]++
	}
	return out
}

var asciiWord = regexp.MustCompile(`[a-z0-9]+`)

// rouge1 is ROUGE-1 F1 of a candidate against one reference.
func rouge1(cand, ref string) float64 {
	c, r := rougeTokens(cand), rougeTokens(ref)
	var hit, nc, nr int
	for w, n := range c {
		hit += min(n, r[w])
		nc += n
	}
	for _, n := range r {
		nr += n
	}
	if hit == 0 {
		return 0
	}
	return 2 * float64(hit) / float64(nc+nr)
}

// TestConvoSummBeatsTheLead scores real threads against their human
// summaries: the extracts share clearly more words with them (five points
// of ROUGE-1 or more) than the thread's first words do.
func TestConvoSummBeatsTheLead(t *testing.T) {
	for _, tt := range []struct {
		file  string
		words int
	}{{"convosumm_reddit_test.jsonl", 65}, {"convosumm_stack_test.jsonl", 73}} {
		t.Run(tt.file, func(t *testing.T) {
			rows := convoSummRows(t, tt.file, 60)
			var ours, lead float64
			for _, r := range rows {
				ours += rouge1(Text(Extract(r.thread, tt.words), tt.words), r.summary)
				var all []string
				for _, c := range r.thread.Comments {
					all = append(all, strings.Fields(c.Body)...)
				}
				lead += rouge1(strings.Join(all[:min(len(all), tt.words)], " "), r.summary)
			}
			ours, lead = 100*ours/float64(len(rows)), 100*lead/float64(len(rows))
			t.Logf("ROUGE-1 over %d threads: extracts %.2f, lead %.2f", len(rows), ours, lead)
			if ours < lead+5 {
				t.Errorf("extracts score %.2f ROUGE-1, the lead %.2f: want at least 5 points more", ours, lead)
			}
		})
	}
}
