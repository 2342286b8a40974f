package main

import (
	"context"
	"fmt"
)

func init() {
	register(command{
		name:    "hide",
		usage:   "[--db PATH] [--undo] STORY",
		summary: "hide a story from commands, search and posting (or bring it back with --undo)",
		run:     runHide,
	})
}

// runHide is the admin's way to take a story out of the bot — posted by
// mistake, or asked to be removed — without losing what is stored: the
// feed cannot bring a hidden story back as new, and --undo restores it.
func runHide(ctx context.Context, env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "hide")
	dbPath := fs.String("db", "newsbot.db", "SQLite database `path` or postgres:// URL")
	undo := fs.Bool("undo", false, "restore a hidden story instead")
	if err := parseInterspersed(fs, args); err != nil {
		return err
	}
	id, err := storyArg(fs.Args())
	if err != nil {
		return err
	}
	db, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := db.Story(ctx, id)
	if err != nil {
		return err
	}
	if *undo {
		if err := db.RestoreStory(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "story %d restored: %s\n", id, s.Title)
		return nil
	}
	if err := db.DeleteStory(ctx, id); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "story %d hidden: %s\n"+
		"Commands now answer that it was removed, search and /news skip it, and no feed will post it again.\n"+
		"Messages already posted in Discord stay; delete them there if they should go too.\n", id, s.Title)
	return nil
}
