package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/newsbot-dev/newsbot/internal/config"
)

func init() {
	register(command{
		name:    "version",
		usage:   "",
		summary: "print the module version and VCS revision this binary was built from",
		run:     runVersion,
	})
	config.Version = build().Version
}

// Set at link time by the release recipe (README "Releases"):
// -ldflags "-X main.version=v1.2.0 -X main.revision=abc1234". Build info
// fills them when a build had none: the module version for `go install
// …@v1.2.0`, the VCS revision when the build ran inside a checkout.
var version, revision string

// buildInfo says what a binary was built from.
type buildInfo struct {
	Version  string // v1.2.0, or "dev"
	Revision string // the VCS commit, or "unknown"
	Time     string // the commit's time, when known
	Modified bool   // built from a checkout with uncommitted changes
	Go       string
}

func build() buildInfo {
	b := buildInfo{Version: version, Revision: revision, Go: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Revision == "" {
					b.Revision = s.Value
				}
			case "vcs.time":
				b.Time = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	if b.Revision == "" {
		b.Revision = "unknown"
	}
	return b
}

func (b buildInfo) String() string {
	var extra []string
	rev := "revision " + b.Revision
	if b.Revision == "unknown" {
		rev = "revision unknown (built without VCS information: see README \"Releases\")"
	}
	extra = append(extra, rev)
	if b.Time != "" {
		extra = append(extra, "committed "+b.Time)
	}
	if b.Modified {
		extra = append(extra, "with uncommitted changes")
	}
	return fmt.Sprintf("newsbot %s (%s) %s %s/%s", b.Version, strings.Join(extra, ", "), b.Go, runtime.GOOS, runtime.GOARCH)
}

func runVersion(_ context.Context, env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "version")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	fmt.Fprintln(env.stdout, build())
	return nil
}
