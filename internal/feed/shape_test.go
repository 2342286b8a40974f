package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"golang.org/x/net/html/charset"
)

func TestHostileShapesAreRefusedCheaply(t *testing.T) {
	deep := `<rss version="2.0"><channel><title>x</title><item><title>t</title><description>` +
		strings.Repeat("<x:a>", 10000) + `</description></item></channel></rss>`
	wide := `<rss version="2.0"><channel><title>x</title>` + strings.Repeat("<item><title>t</title></item>", 150_000) + `</channel></rss>`
	nest := strings.Repeat("<x>", 100)
	for name, tc := range map[string]struct{ doc, want string }{
		"deeply nested":     {deep, "nested more than 64 deep"},
		"too many elements": {wide, "more than 200000 elements"},
		// Before gofeed's decoder reads a byte, it drops the control
		// characters XML forbids and reads the rest in the declared
		// encoding: neither may blind the check.
		"nested after a declared Latin-1": {`<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel>` + nest, "nested more than 64 deep (line 1)"},
		"nested after a control byte":     {"<rss><channel><title>a\x01b</title>\n" + nest, "nested more than 64 deep (line 2)"},
		"a second change of encoding": {`<?xml version="1.0" encoding="windows-1252"?><rss><?xml version="1.0" encoding="koi8-r"?>`,
			"a second XML declaration changes the encoding again (line 1)"},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := ParseFeed([]byte(tc.doc), "")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one saying %q", err, tc.want)
			}
		})
	}
}

// What only looks like elements is not counted: markup in CDATA, comments,
// processing instructions, a DOCTYPE's internal subset, attribute values
// and entities.
func TestShapeCountsOnlyElements(t *testing.T) {
	nest := strings.Repeat("<x>", 100)
	for name, doc := range map[string]string{
		"CDATA":            `<rss><![CDATA[` + nest + `]]></rss>`,
		"CDATA with ]]":    `<rss><![CDATA[]]]]><![CDATA[>` + nest + `]]></rss>`,
		"comment":          `<rss><!-- ` + nest + ` --></rss>`,
		"comment, dashes":  `<rss><!---` + nest + `-->` + `</rss>`,
		"PI":               `<rss><?php ` + nest + ` ?></rss>`,
		"DOCTYPE":          `<!DOCTYPE rss [<!ENTITY e "` + nest + `"><!-- > ` + nest + ` -->]><rss>&e;</rss>`,
		"DOCTYPE brackets": `<!DOCTYPE rss [<!ELEMENT a (b)> <!ATTLIST a x CDATA '>'>]><rss>` + strings.Repeat("<x/>", 100) + `</rss>`,
		"attribute value":  `<rss><a t="` + strings.Repeat(`&gt;/x&gt;`, 100) + `" u='"&lt;"' v=bare w>` + strings.Repeat(`<y a=">"/>`, 100) + `</a></rss>`,
		"entities":         `<rss>` + strings.Repeat("&lt;x&gt;", 100) + `</rss>`,
		"closed":           `<rss>` + strings.Repeat("<x></x>\n", 10_000) + `</rss>`,
	} {
		t.Run(name, func(t *testing.T) {
			if err := checkShape([]byte(doc)); err != nil {
				t.Errorf("refused: %v", err)
			}
			// The same document in gofeed's own decoder: the scan agrees.
			if err, complete, _ := referenceShape([]byte(doc), maxXMLDepth, maxXMLElements); err != nil || !complete {
				t.Errorf("reference: %v, complete %v", err, complete)
			}
		})
	}
}

func FuzzShape(f *testing.F) {
	addFixtures(f)
	for _, s := range []string{
		`<a><b><c><d/></c></b></a>`, `<a><![CDATA[<b><c><d>]]></a>`, `<a><!-- <b><c><d> --></a>`,
		`<!DOCTYPE a [<!ENTITY x "<b><c><d>"> <!-- <b> --> <!x <y>>]><a><b/></a>`,
		`<?xml version="1.0" encoding="iso-8859-1"?><a><b><c><d>`, "<a>\x01<b><c><d>", `<a b='>' c=d e><b><c><d>`,
		`<?xml version="1.0" encoding="shift_jis"?><a><![CDATA[` + "\x81]]>" + `</a></a>]]><b><c><d>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const depth, elements = 3, 8 // small, so that small inputs reach them
		s := shapeScan{maxDepth: depth, maxElements: elements}
		got := s.check(data)
		if got != nil && !strings.HasPrefix(got.Error(), "parse feed: ") {
			t.Fatalf("error %q", got)
		}
		want, complete, switches := referenceShape(data, depth, elements)
		if switches <= 1 {
			// Where gofeed's decoder refuses, the scan refuses alike; where
			// it reads the whole document, the scan agrees with it.
			if want != nil && fmt.Sprint(got) != want.Error() {
				t.Fatalf("scan: %v; gofeed's decoder: %v", got, want)
			}
			if want == nil && complete && got != nil {
				t.Fatalf("scan: %v; gofeed's decoder read it all", got)
			}
		}
		// What the encoding/xml pass this scan replaced refused, it
		// refuses (that pass read control characters as they came).
		if old := encodingXMLShape(data, depth, elements); old != nil && bytes.IndexFunc(data, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' }) < 0 {
			if fmt.Sprint(got) != old.Error() {
				t.Fatalf("scan: %v; the encoding/xml pass: %v", got, old)
			}
		}
	})
}

// referenceShape counts elements with encoding/xml's RawToken over what
// gofeed's decoder reads (control characters dropped, the declared
// encoding decoded). complete says it read to the end without a syntax
// error; switches counts the encodings it switched to.
func referenceShape(data []byte, maxDepth, maxElements int) (refused error, complete bool, switches int) {
	var kept []byte
	for _, b := range data {
		if b >= 0x20 || b == '\t' || b == '\n' || b == '\r' {
			kept = append(kept, b)
		}
	}
	d := xml.NewDecoder(bytes.NewReader(kept))
	d.Strict = false
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		switches++
		return charset.NewReaderLabel(label, r)
	}
	err := countShape(d, maxDepth, maxElements)
	if errors.Is(err, io.EOF) {
		return nil, true, switches
	}
	if strings.HasPrefix(fmt.Sprint(err), "parse feed: ") {
		return err, false, switches
	}
	return nil, false, switches
}

// encodingXMLShape is the check as it was before the scan: one pass of
// encoding/xml over the document as it came.
func encodingXMLShape(data []byte, maxDepth, maxElements int) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	if err := countShape(d, maxDepth, maxElements); strings.HasPrefix(fmt.Sprint(err), "parse feed: ") {
		return err
	}
	return nil
}

func countShape(d *xml.Decoder, maxDepth, maxElements int) error {
	depth, elements := 0, 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
			elements++
			if depth > maxDepth {
				line, _ := d.InputPos()
				return fmt.Errorf("parse feed: elements nested more than %d deep (line %d): not a feed", maxDepth, line)
			}
			if elements > maxElements {
				return fmt.Errorf("parse feed: more than %d elements: too large for a feed", maxElements)
			}
		case xml.EndElement:
			depth--
		}
	}
}

// FuzzIndexForbiddenControl holds the word-at-a-time search to a plain
// loop over the bytes.
func FuzzIndexForbiddenControl(f *testing.F) {
	for _, s := range []string{"", "\x01", "abcdefgh\x1f", "\t\n\r tabs\x0b", "\x80\x9f\xff\x7f\x20\x00", "0123456789abcdef\x08"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want := -1
		for i, b := range data {
			if isForbiddenControl(b) {
				want = i
				break
			}
		}
		if got := indexForbiddenControl(data); got != want {
			t.Fatalf("indexForbiddenControl(%q) = %d, want %d", data, got, want)
		}
	})
}
