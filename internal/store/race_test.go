//go:build race

package store

// raceEnabled: SQLite runs about 40 times slower under the race detector,
// so the randomised tests try fewer cases there.
const raceEnabled = true
