package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/english"
	"github.com/newsbot-dev/newsbot/internal/ingest"
	"github.com/newsbot-dev/newsbot/internal/preflight"
)

func init() {
	register(command{
		name:    "check",
		usage:   "--config FILE [--fetch]",
		summary: "validate a config file and show what it would run; --fetch polls each feed once, writing nothing",
		run:     runCheck,
	})
}

func runCheck(ctx context.Context, env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "check")
	path := fs.String("config", "", "config `file` to check")
	fetch := fs.Bool("fetch", false, "also fetch every feed once and say what it found and what `run` would post first (no Discord, no database)")
	if err := parseInterspersed(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	case *path == "":
		return fmt.Errorf("%w: --config is required", errUsage)
	}
	_, cfg, err := readConfig(env, *path)
	if err != nil {
		return err
	}
	findings := preflight.Check(cfg, time.Now())
	if *fetch {
		return fetchReport(ctx, env, cfg, findings)
	}
	errs := 0
	for _, f := range findings {
		fmt.Fprintln(env.stderr, f)
		if f.Severity == preflight.Error {
			errs++
		}
	}
	if errs > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%s: %s", *path, english.Plural(errs, "problem"))}
	}
	fmt.Fprint(env.stdout, cfg.Summary())
	return nil
}

// fetchReport polls each feed once, as `run` would on a fresh database,
// and prints one line per feed: what it found and would post, or why it
// cannot work. Nothing is stored and Discord is never contacted.
func fetchReport(ctx context.Context, env *cmdEnv, cfg *config.Config, findings []preflight.Finding) error {
	byFeed := map[string][]preflight.Finding{}
	for _, f := range findings {
		byFeed[f.Feed] = append(byFeed[f.Feed], f)
	}
	p := &ingest.Poller{Fetcher: ingest.NewFetcher(cfg.Fetch)}
	width := 0
	for _, f := range cfg.Feeds {
		width = max(width, len(f.ID))
	}
	failed := 0
	for _, f := range cfg.Feeds {
		status, line := dryLine(ctx, p, f, byFeed[f.ID])
		if status == "error" {
			failed++
		}
		fmt.Fprintf(env.stdout, "%-7s %-*s  %s\n", status, width, f.ID, line)
	}
	if failed > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%s: %d of %s cannot work", cfg.Path, failed, english.Plural(len(cfg.Feeds), "feed"))}
	}
	return nil
}

// dryLine is one feed's line of the --fetch report.
func dryLine(ctx context.Context, p *ingest.Poller, f config.Feed, findings []preflight.Finding) (status, line string) {
	var warnings []string
	for _, fd := range findings {
		if fd.Severity == preflight.Error {
			return "error", fd.Msg // certain to fail: not worth a request
		}
		warnings = append(warnings, fd.Msg)
	}
	fctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	d, err := p.DryRun(fctx, f)
	if err != nil {
		return "error", err.Error()
	}
	parts := []string{fmt.Sprintf("%s, newest %q", english.Plural(d.Items, "item"), d.Newest)}
	switch {
	case d.Items == 0:
		parts = []string{"the feed has no items yet"}
	case len(d.Post) == 0:
		parts = append(parts, fmt.Sprintf("run would post nothing at first (backfill %d), then each new item", f.Backfill))
	default:
		parts = append(parts, fmt.Sprintf("run would post %d first: %s", len(d.Post), quoteList(d.Post, 3)))
	}
	status = "ok"
	c := d.Comments
	switch {
	case !f.Comments.Source.Enabled():
	case errors.Is(c.Err, ingest.ErrNoThreads):
		status = "error"
		parts = append(parts, "comments: "+c.Err.Error())
	case c.Err != nil:
		status = "error"
		parts = append(parts, fmt.Sprintf("comments: %s unreachable for %q: %v", f.Comments.Source, c.Story, c.Err))
	case c.Tried:
		parts = append(parts, fmt.Sprintf("comments: %s reachable, %s on %q", f.Comments.Source, english.Plural(c.Count, "comment"), c.Story))
	}
	if status == "ok" && len(warnings) > 0 {
		status = "warning"
		parts = append(parts, "warning: "+strings.Join(warnings, "; "))
	}
	return status, strings.Join(parts, "; ")
}

// quoteList quotes up to n titles and counts the rest.
func quoteList(titles []string, n int) string {
	var q []string
	for i, t := range titles {
		if i == n {
			q = append(q, fmt.Sprintf("and %d more", len(titles)-n))
			break
		}
		q = append(q, fmt.Sprintf("%q", t))
	}
	return strings.Join(q, ", ")
}

// readConfig reads and validates a config file, printing each problem
// (see reportProblems); it returns the file's bytes too. The read refuses
// what is no config file (a FIFO, a device, anything over 1 MiB) before
// reading it: see config.ReadFile.
func readConfig(env *cmdEnv, path string) ([]byte, *config.Config, error) {
	data, err := config.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := config.Parse(data, path, lookupEnv(env))
	if err != nil {
		return nil, nil, reportProblems(env, path, err)
	}
	return data, cfg, nil
}

// lookupEnv adapts cmdEnv's getenv, which cannot tell unset from empty;
// an empty variable counts as unset, which is what a secret left blank
// means in practice.
func lookupEnv(env *cmdEnv) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v := env.getenv(k)
		return v, v != ""
	}
}

// reportProblems prints each problem on its own line, where editors and
// terminals can jump to file:line, and returns a one-line count.
func reportProblems(env *cmdEnv, path string, err error) error {
	problems := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		problems = j.Unwrap()
	}
	for _, p := range problems {
		fmt.Fprintln(env.stderr, p)
	}
	noun := "problems"
	if len(problems) == 1 {
		noun = "problem"
	}
	return &exitError{code: 1, err: fmt.Errorf("%s: %d %s", path, len(problems), noun)}
}
