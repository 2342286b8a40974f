package page

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func benchParse(b *testing.B, path string, parse func(*bytes.Reader) error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		b.Skipf("shared data %s not present", path)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if err := parse(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseTextSeed(b *testing.B) {
	benchParse(b, filepath.Join(seedDir, "000_fe0adea8449b3ec9.txt"), func(r *bytes.Reader) error {
		_, err := ParseText(r, Options{Now: testNow})
		return err
	})
}

func BenchmarkParseHTMLNewYorkTimes(b *testing.B) {
	benchParse(b, filepath.Join(sharedDir, "updates", "newsdiffs_nyt_fixtures", "HTML_NEW_FORMAT.html"), func(r *bytes.Reader) error {
		_, err := ParseHTML(r, Options{})
		return err
	})
}

// BenchmarkParseTextLongThread parses a generated dump of 2,000 comments
// whose headers all read several ways, the split search's worst case.
func BenchmarkParseTextLongThread(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("A long thread\n\nThe article.\n\n")
	for i := range 2000 {
		fmt.Fprintf(&buf, "user%d%dd ago\n\nComment number %d says something.\n\n", i%37, 2200-i/10, i)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseText(bytes.NewReader(data), Options{Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
}
