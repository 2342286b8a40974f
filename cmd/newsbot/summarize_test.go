package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/summarize"
)

// The golden files live with the summarize package's test data.
var summarizeTestdata = filepath.Join("..", "..", "internal", "summarize", "testdata")

// Other test files of this package may define -update too; define it only
// once and read it by name.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// runCLI runs newsbot in-process and returns its exit status and streams.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &cmdEnv{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := runMain(context.Background(), env, args)
	return code, out.String(), errb.String()
}

func TestSummarizeCLIGolden(t *testing.T) {
	in := filepath.Join(summarizeTestdata, "cli.jsonl")
	code, stdout, stderr := runCLI(t, "", "summarize", "--words", "30", in)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	golden := filepath.Join(summarizeTestdata, "cli.golden")
	if updating() {
		if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if stdout != string(want) {
		t.Errorf("output differs from %s:\n got %s\nwant %s", golden, stdout, want)
	}
	// The same input through stdin gives the same bytes.
	data, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	if _, again, _ := runCLI(t, string(data), "summarize", "--words", "30"); again != stdout {
		t.Errorf("stdin run differs from file run:\n%s\nvs\n%s", again, stdout)
	}
}

func TestSummarizeCLIEchoesIDsAndKeepsBudget(t *testing.T) {
	in := `{"id": 3.50, "comments": ["one two three four five six seven eight nine ten eleven twelve"]}` + "\n" +
		`{"id": "x-1", "title": "T", "question": "Q?", "comments": [{"author": "a", "body": "Alpha beta gamma delta epsilon."}], "extra": [1, 2]}` + "\n"
	code, stdout, stderr := runCLI(t, in, "summarize", "--words", "5")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	want := `{"id":3.50,"summary":"one two three four five…"}` + "\n" +
		`{"id":"x-1","summary":"Alpha beta gamma delta epsilon."}` + "\n"
	if stdout != want {
		t.Errorf("got\n%swant\n%s", stdout, want)
	}
}

func TestSummarizeCLIMalformedLines(t *testing.T) {
	in := filepath.Join(summarizeTestdata, "cli_bad.jsonl")
	code, stdout, stderr := runCLI(t, "", "summarize", in)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var out struct {
			ID      json.RawMessage `json:"id"`
			Summary string          `json:"summary"`
		}
		if err := json.Unmarshal([]byte(line), &out); err != nil {
			t.Fatalf("output line %q: %v", line, err)
		}
		ids = append(ids, string(out.ID))
	}
	if got := strings.Join(ids, " "); got != `"abc-2" 8` {
		t.Errorf("answered ids %s, want the two good lines", got)
	}
	for _, want := range []string{
		"cli_bad.jsonl: line 2: invalid JSON",
		"line 3: comment 1: want a string or {\"author\",\"body\"}",
		"line 4: missing \"id\"",
		"line 6: \"id\" must be a number or a string",
		"line 7: invalid JSON",
		"5 malformed line(s) skipped",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "line 5:") {
		t.Errorf("the blank line 5 was reported: %s", stderr)
	}
}

func TestSummarizeCLIUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"zero words", []string{"summarize", "--words", "0"}, 2, "--words must be at least 1"},
		{"two files", []string{"summarize", "a", "b"}, 2, "at most one FILE"},
		{"bad flag", []string{"summarize", "--nope"}, 2, "flag provided but not defined"},
		{"bad style", []string{"summarize", "--style", "poem"}, 2, `--style is points or prose, not "poem"`},
		{"missing file", []string{"summarize", filepath.Join(t.TempDir(), "none.jsonl")}, 1, "none.jsonl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d stderr %q; want exit %d mentioning %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

// TestSummarizeCLIProse: --style prose writes a paragraph within the
// budget in which every quotation is a commenter's own words.
func TestSummarizeCLIProse(t *testing.T) {
	in := filepath.Join(summarizeTestdata, "cli.jsonl")
	data, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "", "summarize", "--style", "prose", "--words", "45", in)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	var first struct{ Summary string }
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(first.Summary, "4 people commented.") || !regexp.MustCompile(`\b(alice|bob|carol) points out, “`).MatchString(first.Summary) {
		t.Errorf("prose %q lacks the size sentence or the authors", first.Summary)
	}
	for _, line := range lines {
		var out struct{ Summary string }
		if err := json.Unmarshal([]byte(line), &out); err != nil {
			t.Fatal(err)
		}
		if n := len(strings.Fields(out.Summary)); n > 45 {
			t.Errorf("prose of %d words, budget 45: %q", n, out.Summary)
		}
		for _, q := range quotations.FindAllStringSubmatch(out.Summary, -1) {
			text := strings.TrimSuffix(q[1], "…")
			if !verbatimQuote(string(data), text) {
				t.Errorf("quotation %q is not in the input", text)
			}
		}
	}
	if code, points, _ := runCLI(t, "", "summarize", "--words", "45", in); code != 0 || points == stdout {
		t.Errorf("points is not the default style (exit %d)", code)
	}
}

var quotations = regexp.MustCompile(`“([^”]+)”`)

func TestSummarizeCLIEmptyInput(t *testing.T) {
	code, stdout, stderr := runCLI(t, "\n\n", "summarize")
	if code != 0 || stdout != "" || stderr != "" {
		t.Errorf("exit %d stdout %q stderr %q; want a quiet success", code, stdout, stderr)
	}
}

func FuzzSummarizeLine(f *testing.F) {
	f.Add([]byte(`{"id": 1, "title": "T", "comments": ["Hello there. Bye now.", {"author": "a", "body": "Hi"}]}`), 5)
	f.Add([]byte(`{"id": "x", "comments": [null, 1, []]}`), 65)
	f.Add([]byte(`{"id": -0.5e3}`), 1)
	f.Fuzz(func(t *testing.T, line []byte, words int) {
		if words < 1 || words > 500 {
			return
		}
		out, err := summarizeLine(line, words, summarize.Points)
		if err != nil {
			return
		}
		if n := len(strings.Fields(out.Summary)); n > words {
			t.Errorf("summary of %d words, budget %d", n, words)
		}
		prose, err := summarizeLine(line, words, summarize.Prose)
		if err != nil {
			t.Fatalf("points summarized the line, prose failed: %v", err)
		}
		if n := len(strings.Fields(prose.Summary)); n > words {
			t.Errorf("prose of %d words, budget %d: %q", n, words, prose.Summary)
		}
		b, err := json.Marshal(out)
		if err != nil || !json.Valid(b) {
			t.Errorf("output %q does not encode: %v", b, err)
		}
	})
}
