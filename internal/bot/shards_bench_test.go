package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
)

// BenchmarkOpenShards measures how long a process takes to bring its
// shards up against the emulator on loopback: every shard's HELLO,
// IDENTIFY and READY, plus the pause Discord's identify rate asks of
// shards sharing a bucket (pause here; Discord's is 5 s, so a real start
// takes (ceil(shards / max_concurrency) - 1) * 5 s more than this).
//
//	go test ./internal/bot -run '^$' -bench OpenShards -benchtime 20x
func BenchmarkOpenShards(b *testing.B) {
	const shards = 4
	for _, pause := range []time.Duration{time.Nanosecond, 50 * time.Millisecond} {
		for _, concurrency := range []int{1, shards} {
			b.Run(fmt.Sprintf("shards=%d/max_concurrency=%d/pause=%v", shards, concurrency, pause), func(b *testing.B) {
				emu := emulator.Start(b, emulator.Options{MaxConcurrency: concurrency})
				log := slog.New(slog.NewTextHandler(io.Discard, nil))
				for b.Loop() {
					bot, err := New(Options{Token: "t", APIURL: emu.URL, Log: log,
						Shards: ShardPlan{Count: shards}, IdentifyInterval: pause})
					if err != nil {
						b.Fatal(err)
					}
					if err := bot.Open(context.Background()); err != nil {
						b.Fatal(err)
					}
					b.StopTimer() // discordgo's Close waits a second for Discord to hang up
					bot.Close()
					b.StartTimer()
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*shards), "ms/shard")
			})
		}
	}
}

// BenchmarkInteractionRoundTrip is one slash command answered at once,
// from the emulator sending it to the answer applied: over the gateway
// (INTERACTION_CREATE, then a REST callback) and over HTTP (a signed
// POST whose response is the callback).
//
//	go test ./internal/bot -run '^$' -bench InteractionRoundTrip
func BenchmarkInteractionRoundTrip(b *testing.B) {
	for _, via := range transports {
		b.Run(via.name, func(b *testing.B) {
			emu := via.connect(b, &fakeHandler{answer: message("pong", 0)})
			for b.Loop() {
				if _, err := emu.Interact(context.Background(), emulator.InteractionRequest{Command: "/ping"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
