package config

import (
	"fmt"
	"io"
	"io/fs"
)

// ReadFile reads a config file without trusting what the path names. A
// FIFO would block the reader until someone writes to it, /dev/zero never
// ends, and a log file passed by mistake can be gigabytes: each is refused
// from its file type or size, before any of it is read, so `check` and a
// running bot's reload fail fast and in bounded memory.
func ReadFile(path string) ([]byte, error) {
	f, err := openNoBlock(path)
	if err != nil {
		return nil, err // *PathError already says "open PATH: …"
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &Error{File: path, Msg: fmt.Sprintf("is %s, not a regular file; give the path of a YAML config", typeName(fi.Mode()))}
	}
	if fi.Size() > maxFileSize {
		return nil, tooBig(path, fmt.Sprintf("%d bytes", fi.Size()))
	}
	// The file may grow between Stat and the read: the read is bounded too.
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, tooBig(path, "more than that")
	}
	return data, nil
}

func tooBig(path, size string) *Error {
	return &Error{File: path, Msg: fmt.Sprintf("file is %s; a config may be at most %d bytes (1 MiB): is this the right file?", size, maxFileSize)}
}

// typeName says what kind of non-regular file m describes, for messages.
func typeName(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	}
	return "not a plain file (" + m.Type().String() + ")"
}
