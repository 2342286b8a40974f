package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/opml"
)

func init() {
	register(command{
		name:    "feeds",
		usage:   "import-opml --config FILE --channel ID [--schedule SPEC] [--backfill N] LIST.opml | export-opml --config FILE [--out FILE]",
		summary: "move feed lists in and out of a config as OPML",
		run:     runFeeds,
	})
}

func runFeeds(ctx context.Context, env *cmdEnv, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: say import-opml or export-opml", errUsage)
	}
	switch args[0] {
	case "import-opml":
		return runImportOPML(ctx, env, args[1:])
	case "export-opml":
		return runExportOPML(ctx, env, args[1:])
	}
	return fmt.Errorf("%w: unknown feeds command %q (want import-opml or export-opml)", errUsage, args[0])
}

// runImportOPML appends a subscription list's feeds to a config file,
// posting to one channel on one schedule. Feeds the config already has
// (by address) are left out, and only http(s) addresses are taken: a list
// from elsewhere must not point the bot at local files. The file is
// written only when the result is a valid config.
func runImportOPML(_ context.Context, env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "feeds import-opml")
	path := fs.String("config", "", "config file to add the feeds to (changed in place)")
	channel := fs.String("channel", "", "channel id the imported feeds post in")
	schedule := fs.String("schedule", "", "cron spec of the imported feeds (default: the config's defaults)")
	backfill := fs.Int("backfill", -1, "newest N items each imported feed posts when first seen (default: the config's defaults)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() != 1:
		return fmt.Errorf("%w: give one OPML file", errUsage)
	case *path == "":
		return fmt.Errorf("%w: --config is required", errUsage)
	case *channel == "":
		return fmt.Errorf("%w: --channel is required (the id of the channel the feeds post in)", errUsage)
	}
	data, cfg, err := readConfig(env, *path)
	if err != nil {
		return fmt.Errorf("fix the config before importing into it: %w", err)
	}
	list, err := readOPML(fs.Arg(0))
	if err != nil {
		return err
	}
	add := pickFeeds(env, cfg, list, *channel, *schedule, *backfill)
	if len(add) == 0 {
		fmt.Fprintf(env.stdout, "%s: nothing to add: every feed of %s is already there or was left out\n", *path, fs.Arg(0))
		return nil
	}
	out, err := config.AppendFeeds(data, add)
	if err != nil {
		return fmt.Errorf("%s: %w", *path, err)
	}
	if _, err := config.Parse(out, *path, lookupEnv(env)); err != nil {
		fmt.Fprintf(env.stderr, "%s was not changed: with the imported feeds it would not be valid:\n", *path)
		return reportProblems(env, *path, err)
	}
	if err := writeFileAtomic(*path, out); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%s: added %d feeds posting in channel %s; run newsbot check --config %s to see them\n",
		*path, len(add), *channel, *path)
	return nil
}

func readOPML(file string) ([]opml.Feed, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	list, err := opml.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return list, nil
}

// pickFeeds turns a list's feeds into config entries with ids of their
// own, saying on stderr what it leaves out and why.
func pickFeeds(env *cmdEnv, cfg *config.Config, list []opml.Feed, channel, schedule string, backfill int) []config.NewFeed {
	ids, urls := map[string]bool{}, map[string]bool{}
	for _, f := range cfg.Feeds {
		ids[f.ID], urls[sameURL(f.URL)] = true, true
	}
	var add []config.NewFeed
	for _, f := range list {
		u := strings.TrimSpace(f.XMLURL)
		lower := strings.ToLower(u)
		switch {
		case !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://"):
			fmt.Fprintf(env.stderr, "left out %q: %q is not an http(s) address\n", f.Title, u)
			continue
		case urls[sameURL(u)]:
			fmt.Fprintf(env.stderr, "left out %q: the config already has %s\n", f.Title, u)
			continue
		}
		urls[sameURL(u)] = true
		id := config.FeedID(f.Title, u, func(id string) bool { return ids[id] })
		ids[id] = true
		nf := config.NewFeed{ID: id, Name: f.Title, URL: u, Channels: []string{channel}, Schedule: schedule}
		if backfill >= 0 {
			nf.Backfill = &backfill
		}
		add = append(add, nf)
	}
	return add
}

// sameURL is the form two feed addresses are compared in: the config
// keeps them without a trailing slash.
func sameURL(u string) string { return strings.TrimRight(strings.TrimSpace(u), "/") }

// writeFileAtomic replaces path with data, keeping its mode, so a crash
// never leaves half a config.
func writeFileAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// runExportOPML writes a config's feeds as an OPML 2.0 subscription list.
// Feeds read from local files have no address another reader could use
// and are left out.
func runExportOPML(_ context.Context, env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "feeds export-opml")
	path := fs.String("config", "", "config file whose feeds to export")
	outPath := fs.String("out", "", "file to write (default: standard output)")
	if err := fs.Parse(args); err != nil {
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
	var list []opml.Feed
	for _, f := range cfg.Feeds {
		if f.IsLocal() {
			fmt.Fprintf(env.stderr, "left out feed %s: it reads the local file %s\n", f.ID, f.URL)
			continue
		}
		list = append(list, opml.Feed{Title: f.Name, XMLURL: f.URL})
	}
	var w io.Writer = env.stdout
	var b strings.Builder
	if *outPath != "" {
		w = &b
	}
	if err := opml.Write(w, "newsbot feeds ("+filepath.Base(*path)+")", time.Now(), list); err != nil {
		return err
	}
	if *outPath != "" {
		return writeFileAtomic(*outPath, []byte(b.String()))
	}
	return nil
}
