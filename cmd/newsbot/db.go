package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"

	"github.com/newsbot-dev/newsbot/internal/store"
)

// openExisting opens a database the command only reads from or amends.
// Opening creates a missing file, and answering from an empty new database
// would only hide a mistyped --db path, so a missing file is an error. (A
// PostgreSQL URL names a server, which says itself when a database is
// missing.)
func openExisting(ctx context.Context, path string) (*store.DB, error) {
	if path != ":memory:" && !store.IsURL(path) {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("database %s does not exist: give --db the file `newsbot run` or `newsbot import` wrote", path)
		} else if err != nil {
			return nil, fmt.Errorf("database %s: %w", path, err)
		}
	}
	return store.Open(ctx, path)
}

// storyArg reads the one STORY id a command takes after its flags.
func storyArg(args []string) (int64, error) {
	if len(args) != 1 {
		return 0, fmt.Errorf("%w: give exactly one STORY id", errUsage)
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%w: STORY must be a story id (a positive number), not %q", errUsage, args[0])
	}
	return id, nil
}
