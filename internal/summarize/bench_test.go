package summarize

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// generatedThread builds a deterministic thread of n comments: sentences
// of Zipf-distributed words, a few hundred authors, replies to earlier
// comments, now and then a pushback.
func generatedThread(n int) Thread {
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := make([]string, 3000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%dx", i)
	}
	copy(vocab, strings.Fields("the a to and of that is in it for on with as but not they"))
	zipf := rand.NewZipf(rng, 1.1, 1, uint64(len(vocab)-1))
	th := Thread{Title: "A generated story about w20x and w31x", Question: "What do w20x people think?"}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= n; i++ {
		var b strings.Builder
		if rng.IntN(10) == 0 {
			b.WriteString("No, that is wrong. ")
		}
		for range 1 + rng.IntN(4) {
			words := 5 + rng.IntN(20)
			for w := range words {
				if w > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(vocab[zipf.Uint64()])
			}
			b.WriteString(". ")
		}
		c := news.Comment{Index: i, Author: fmt.Sprintf("user%d", rng.IntN(300)), Body: b.String(),
			PostedAt: start.Add(time.Duration(i) * time.Minute)}
		if i > 1 && rng.IntN(3) > 0 {
			c.ReplyTo = 1 + rng.IntN(i-1)
		}
		th.Comments = append(th.Comments, c)
	}
	return th
}

func BenchmarkDigest5000(b *testing.B) {
	th := generatedThread(5000)
	start := cpuTime()
	for b.Loop() {
		NewDigest(th, Detailed)
	}
	reportCPU(b, start)
}

func BenchmarkExtract5000(b *testing.B) {
	th := generatedThread(5000)
	start := cpuTime()
	for b.Loop() {
		Extract(th, Standard.Words())
	}
	reportCPU(b, start)
}

// reportCPU adds the CPU time per operation since start as cpu-ms/op.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}

func BenchmarkSentences(b *testing.B) {
	text := strings.Repeat("Mr. Smith went to the U.S. on Monday... It rained :) Did he care? No. ", 50)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Sentences(text)
	}
}

func BenchmarkExtractConvoSumm(b *testing.B) {
	threads := convoSumm(b, "convosumm_stack_test.jsonl", 250)
	start := cpuTime()
	for b.Loop() {
		for _, th := range threads {
			Extract(th, 73)
		}
	}
	reportCPU(b, start)
}

func TestGeneratedThreadDigest(t *testing.T) {
	th := generatedThread(300)
	d := NewDigest(th, Detailed)
	if d.Comments != 300 || len(d.Points) == 0 || d.MostReplied == nil || len(d.Active) != maxActive {
		t.Fatalf("digest of a generated thread: %d comments, %d points, most replied %v, %d active",
			d.Comments, len(d.Points), d.MostReplied, len(d.Active))
	}
	checkPoints(t, th, d.Points, Detailed.Words())
	for _, e := range d.Disagreements {
		checkPoints(t, th, e.Turns, 1000)
	}
}
