package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/newsbot-dev/newsbot/store"
)

// openExisting opens a database the command only reads from or amends.
// Opening creates a missing file, and answering from an empty new database
// would only hide a mistyped --db path, so a missing file is an error.
func openExisting(ctx context.Context, path string) (*store.DB, error) {
	if path != ":memory:" {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("database %s does not exist: give --db the file `newsbot run` or `newsbot import` wrote", path)
		} else if err != nil {
			return nil, fmt.Errorf("database %s: %w", path, err)
		}
	}
	return store.Open(ctx, path)
}
