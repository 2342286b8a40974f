//go:build !unix

package config

import (
	"fmt"
	"os"
)

// openNoBlock refuses what is not a regular file before opening it, since
// opening some special files waits for a peer.
func openNoBlock(path string) (*os.File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &Error{File: path, Msg: fmt.Sprintf("is %s, not a regular file; give the path of a YAML config", typeName(fi.Mode()))}
	}
	return os.Open(path)
}
