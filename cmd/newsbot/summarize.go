package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/summarize"
)

func init() {
	register(command{
		name:    "summarize",
		usage:   "[--words N] [--style points|prose] [FILE]",
		summary: "summarize comment threads given as JSON lines (extractive, offline)",
		run:     runSummarize,
	})
}

// maxLine bounds one input line so a hostile file cannot exhaust memory.
const maxLine = 64 << 20

// summaryIn is one input line. Comments are strings or {"author","body"}
// objects; unknown fields are ignored.
type summaryIn struct {
	ID       json.RawMessage   `json:"id"`
	Title    string            `json:"title"`
	Question string            `json:"question"`
	Comments []json.RawMessage `json:"comments"`
}

type summaryOut struct {
	ID      json.RawMessage `json:"id"`
	Summary string          `json:"summary"`
}

func runSummarize(ctx context.Context, env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "summarize")
	words := fs.Int("words", 65, "most words in each summary")
	style := fs.String("style", string(summarize.Points), "points: the extracts alone; prose: a paragraph of attributed extracts")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *words < 1 {
		return fmt.Errorf("%w: --words must be at least 1, got %d", errUsage, *words)
	}
	st := summarize.Style(*style)
	if st != summarize.Points && st != summarize.Prose {
		return fmt.Errorf("%w: --style is points or prose, not %q", errUsage, *style)
	}
	if fs.NArg() > 1 {
		return fmt.Errorf("%w: at most one FILE, got %d", errUsage, fs.NArg())
	}
	in, name := env.stdin, "stdin"
	if fs.NArg() == 1 && fs.Arg(0) != "-" {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err // already names the file
		}
		defer f.Close()
		in, name = f, fs.Arg(0)
	}
	return summarizeLines(ctx, env, in, name, *words, st)
}

// summarizeLines answers every line in order. A bad line is reported with
// its number and skipped; the run still fails at the end so scripts notice.
func summarizeLines(ctx context.Context, env *cmdEnv, in io.Reader, name string, words int, style summarize.Style) error {
	r := bufio.NewReaderSize(in, 1<<16)
	out := bufio.NewWriter(env.stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	bad := 0
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, err := readLine(r)
		if errors.Is(err, io.EOF) && len(line) == 0 {
			break
		}
		if err != nil && !errors.Is(err, io.EOF) {
			if errors.Is(err, errLongLine) {
				bad++
				fmt.Fprintf(env.stderr, "newsbot summarize: %s: line %d: %v\n", name, n, err)
				continue
			}
			return fmt.Errorf("read %s: line %d: %w", name, n, err)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		o, perr := summarizeLine(line, words, style)
		if perr != nil {
			bad++
			fmt.Fprintf(env.stderr, "newsbot summarize: %s: line %d: %v\n", name, n, perr)
			continue
		}
		if err := enc.Encode(o); err != nil {
			return fmt.Errorf("write summary for %s line %d: %w", name, n, err)
		}
	}
	if bad > 0 {
		return fmt.Errorf("%s: %d malformed line(s) skipped", name, bad)
	}
	return nil
}

var errLongLine = fmt.Errorf("line longer than %d bytes", maxLine)

// readLine reads one line without its line ending. A line over maxLine is
// read to its end and reported as errLongLine.
func readLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	tooLong := false
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) > maxLine {
			tooLong, line = true, nil
		}
		if !tooLong {
			line = append(line, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if tooLong {
			return nil, errLongLine
		}
		return bytes.TrimRight(line, "\r\n"), err
	}
}

// summarizeLine parses one thread and summarizes it in style.
func summarizeLine(line []byte, words int, style summarize.Style) (summaryOut, error) {
	var in summaryIn
	if err := json.Unmarshal(line, &in); err != nil {
		return summaryOut{}, fmt.Errorf("invalid JSON: %w", err)
	}
	id := bytes.TrimSpace(in.ID)
	if len(id) == 0 || bytes.Equal(id, []byte("null")) {
		return summaryOut{}, errors.New(`missing "id"`)
	}
	if id[0] != '"' && (id[0] < '0' || id[0] > '9') && id[0] != '-' {
		return summaryOut{}, fmt.Errorf(`"id" must be a number or a string, got %s`, id)
	}
	t := summarize.Thread{Title: in.Title, Question: in.Question}
	for i, raw := range in.Comments {
		c, err := parseComment(raw)
		if err != nil {
			return summaryOut{}, fmt.Errorf("comment %d: %w", i+1, err)
		}
		c.Index = i + 1
		t.Comments = append(t.Comments, c)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, id); err != nil {
		return summaryOut{}, fmt.Errorf("invalid id: %w", err)
	}
	text := summarize.Text(summarize.Extract(t, words), words)
	if style == summarize.Prose {
		text = summarize.ProseText(t, words)
	}
	return summaryOut{ID: compact.Bytes(), Summary: text}, nil
}

// parseComment accepts a comment as a plain string or as an object with
// author and body.
func parseComment(raw json.RawMessage) (news.Comment, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var body string
		if err := json.Unmarshal(raw, &body); err != nil {
			return news.Comment{}, err
		}
		return news.Comment{Body: body}, nil
	}
	if len(raw) == 0 || raw[0] != '{' {
		return news.Comment{}, fmt.Errorf(`want a string or {"author","body"}, got %.40s`, raw)
	}
	var obj struct {
		Author string `json:"author"`
		Body   string `json:"body"`
	}
	if err := json.Unmarshal(raw, &obj); err != nil {
		return news.Comment{}, err
	}
	return news.Comment{Author: obj.Author, Body: obj.Body}, nil
}
