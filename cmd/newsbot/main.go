// Command newsbot is a Discord bot for communities that talk about the news.
//
// Each subcommand lives in its own file and registers itself in init, so the
// pieces of the program can grow without touching one shared switch.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command is one newsbot subcommand.
type command struct {
	name    string
	usage   string // argument synopsis after the name
	summary string // one line for `newsbot help`
	run     func(ctx context.Context, env *cmdEnv, args []string) error
}

// cmdEnv is what a subcommand may touch of the process, so tests can run
// subcommands in-process with their own streams.
type cmdEnv struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

var subcommands = map[string]command{}

func register(c command) {
	if _, dup := subcommands[c.name]; dup {
		panic("newsbot: command registered twice: " + c.name)
	}
	subcommands[c.name] = c
}

// errUsage marks an error that is the user's invocation, not the work:
// the caller prints usage and exits 2.
var errUsage = errors.New("usage")

// exitError carries a chosen exit status out of a subcommand.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := &cmdEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(runMain(ctx, env, os.Args[1:]))
}

// runMain runs one invocation and returns the process exit status.
func runMain(ctx context.Context, env *cmdEnv, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			if c, ok := subcommands[args[1]]; ok {
				fmt.Fprintf(env.stdout, "usage: newsbot %s %s\n\n%s\n", c.name, c.usage, c.summary)
				return 0
			}
		}
		printHelp(env.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := subcommands[args[0]]
	if !ok {
		fmt.Fprintf(env.stderr, "newsbot: unknown command %q\n\n", args[0])
		printHelp(env.stderr)
		return 2
	}
	err := c.run(ctx, env, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(env.stderr, "newsbot %s: %v\nusage: newsbot %s %s\n", c.name, err, c.name, c.usage)
		return 2
	}
	fmt.Fprintf(env.stderr, "newsbot %s: %v\n", c.name, err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "newsbot posts news feeds to Discord and answers questions about their comment threads.")
	fmt.Fprintln(w, "\nusage: newsbot <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-11s %s\n", n, subcommands[n].summary)
	}
	fmt.Fprintln(w, "\nRun `newsbot <command> -h` for a command's flags.")
}

// newFlagSet returns a flag set that prints its usage to the command's
// stderr and reports errors instead of exiting.
func newFlagSet(env *cmdEnv, c string) *flag.FlagSet {
	fs := flag.NewFlagSet("newsbot "+c, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	return fs
}
