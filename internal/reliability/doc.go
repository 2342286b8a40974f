// Package reliability is newsbot's standing reliability suite. It has no
// code of its own, only tests, and they are black-box: they build the
// newsbot binary once, run it (and the Discord emulator) as child
// processes, and drive them through the command line, the config file,
// news sites served from 127.0.0.1 and the emulator's control API - the
// interfaces that stay put while the packages behind them are reshaped.
//
// What it proves on every run:
//
//   - hostile feeds and config files are refused with a line naming the
//     thing at fault, in bounded memory, while the other feeds keep
//     posting (hostile_test.go, config_test.go);
//   - SSRF forms are refused before any connection (ssrf_test.go);
//   - a bot SIGKILLed at random moments while it polls and delivers, and
//     restarted each time, posts every story exactly once per channel
//     and leaves an intact database (crash_test.go);
//   - Discord faults - 429 storms, 5xx, slow answers, gateway drops,
//     invalid sessions, the emulator stopped, unreachable and restarted -
//     lose nothing and double nothing, and commands are answered or
//     cleanly expired (discord_test.go).
//
// Run it with `go test -v -count=1 ./internal/reliability`; -short cuts
// the long parts, and NEWSBOT_RELIABILITY_KILLS sets the number of
// SIGKILLs (default 20). The figures it measured are printed at the end.
package reliability
