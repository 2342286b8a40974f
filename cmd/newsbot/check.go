package main

import (
	"context"
	"fmt"

	"github.com/newsbot-dev/newsbot/internal/config"
)

func init() {
	register(command{
		name:    "check",
		usage:   "--config FILE",
		summary: "validate a config file and show what it would run",
		run:     runCheck,
	})
}

func runCheck(_ context.Context, env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "check")
	path := fs.String("config", "", "config file to check")
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
	fmt.Fprint(env.stdout, cfg.Summary())
	return nil
}

// readConfig reads and validates a config file, printing each problem
// (see reportProblems); it returns the file's bytes too. The read refuses
// what is no config file (a FIFO, a device, anything over 1 MiB) before
// reading it: see config.ReadFile.
func readConfig(env *cmdEnv, path string) ([]byte, *config.Config, error) {
	data, err := config.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := config.Parse(data, path, lookupEnv(env))
	if err != nil {
		return nil, nil, reportProblems(env, path, err)
	}
	return data, cfg, nil
}

// lookupEnv adapts cmdEnv's getenv, which cannot tell unset from empty;
// an empty variable counts as unset, which is what a secret left blank
// means in practice.
func lookupEnv(env *cmdEnv) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v := env.getenv(k)
		return v, v != ""
	}
}

// reportProblems prints each problem on its own line, where editors and
// terminals can jump to file:line, and returns a one-line count.
func reportProblems(env *cmdEnv, path string, err error) error {
	problems := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		problems = j.Unwrap()
	}
	for _, p := range problems {
		fmt.Fprintln(env.stderr, p)
	}
	noun := "problems"
	if len(problems) == 1 {
		noun = "problem"
	}
	return &exitError{code: 1, err: fmt.Errorf("%s: %d %s", path, len(problems), noun)}
}
