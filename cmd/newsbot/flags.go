package main

import "flag"

// parseInterspersed parses flags wherever they stand among the arguments,
// so `hide 3 --undo` means what `hide --undo 3` does. A lone "--" ends the
// flags: what follows is taken as arguments even if it starts with "-".
func parseInterspersed(fs *flag.FlagSet, args []string) error {
	var rest []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return err
		}
		left := fs.Args()
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" {
			rest = append(rest, left...)
			break
		}
		if len(left) == 0 {
			break
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
	return fs.Parse(append([]string{"--"}, rest...))
}
