//go:build unix

package config

import (
	"os"
	"syscall"
)

// openNoBlock opens path for reading without waiting: opening a FIFO
// blocks until a writer appears, unless O_NONBLOCK is given.
func openNoBlock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
