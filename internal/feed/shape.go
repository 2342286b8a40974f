package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// Limits on an XML document's shape, checked in one cheap streaming pass
// before the document reaches gofeed, whose tree of a hostile document
// (hundreds of thousands of nested elements) costs 100 times its size in
// memory. Real feeds are a few levels deep and a few thousand elements.
const (
	maxXMLDepth    = 64
	maxXMLElements = 200_000
)

// checkShape refuses XML nested or populated beyond any real feed. It
// reports only shape: syntax errors are left for the parser, which names
// them better.
func checkShape(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	depth, elements := 0, 0
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) || err != nil {
			return nil
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
			elements++
			if depth > maxXMLDepth {
				return fmt.Errorf("parse feed: elements nested more than %d deep (line %d): not a feed", maxXMLDepth, lineOf(d))
			}
			if elements > maxXMLElements {
				return fmt.Errorf("parse feed: more than %d elements: too large for a feed", maxXMLElements)
			}
		case xml.EndElement:
			depth--
		}
	}
}

func lineOf(d *xml.Decoder) int {
	line, _ := d.InputPos()
	return line
}
