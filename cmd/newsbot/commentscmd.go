package main

import (
	"context"
	"encoding/json"
	"time"
)

func init() {
	register(command{
		name:    "comments",
		usage:   "[--db PATH] STORY",
		summary: "print a story's comment thread as JSON, in page order",
		run:     runComments,
	})
}

// commentJSON is one element of `newsbot comments`: the contract DESIGN.md
// documents for outside checks.
type commentJSON struct {
	Index    int     `json:"index"`
	Author   string  `json:"author"`
	PostedAt string  `json:"posted_at"`
	EditedAt *string `json:"edited_at"`
	ReplyTo  *int    `json:"reply_to"`
	Body     string  `json:"body"`
}

func runComments(ctx context.Context, env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "comments")
	dbPath := fs.String("db", "newsbot.db", "SQLite database `path` or postgres:// URL")
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
	if _, err := db.Story(ctx, id); err != nil {
		return err
	}
	cs, err := db.Comments(ctx, id)
	if err != nil {
		return err
	}
	out := make([]commentJSON, 0, len(cs))
	for _, c := range cs {
		j := commentJSON{Index: c.Index, Author: c.Author, Body: c.Body}
		if !c.PostedAt.IsZero() {
			j.PostedAt = c.PostedAt.UTC().Format(time.RFC3339)
		}
		if c.Edited() {
			s := c.EditedAt.UTC().Format(time.RFC3339)
			j.EditedAt = &s
		}
		if c.ReplyTo > 0 {
			r := c.ReplyTo
			j.ReplyTo = &r
		}
		out = append(out, j)
	}
	enc := json.NewEncoder(env.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
