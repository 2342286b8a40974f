package config

import (
	"os"
	"path/filepath"
	"testing"
)

func BenchmarkParseExample(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "config.example.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data, "config.example.yaml", nil); err != nil {
			b.Fatal(err)
		}
	}
}
