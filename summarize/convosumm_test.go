package summarize

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/newsbot-dev/newsbot/news"
)

// convoSumm loads the first n threads of a ConvoSumm file from the shared
// test data, skipping when it is absent.
func convoSumm(t testing.TB, file string, n int) []Thread {
	t.Helper()
	path := filepath.Join("..", "..", "shared", "testdata", "convosumm", file)
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
	var out []Thread
	for sc.Scan() && len(out) < n {
		var row struct {
			Title, Question string
			Comments        []string
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("%s: row %d: %v", path, len(out)+1, err)
		}
		th := Thread{Title: row.Title, Question: row.Question}
		for i, body := range row.Comments {
			th.Comments = append(th.Comments, news.Comment{Index: i + 1, Author: "u" + string(rune('a'+i%26)), Body: body})
		}
		out = append(out, th)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
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
