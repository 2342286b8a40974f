package feed

import "testing"

func TestDetect(t *testing.T) {
	tests := []struct {
		name, in string
		want     Kind
	}{
		{"rss", `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`, KindRSS},
		{"rss with BOM and doctype", "\ufeff\n<?xml version=\"1.0\"?>\n<!DOCTYPE rss SYSTEM \"x.dtd\">\n<!-- c -->\n<rss/>", KindRSS},
		{"rdf", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>`, KindRSS},
		{"atom", `<feed xmlns="http://www.w3.org/2005/Atom"></feed>`, KindAtom},
		{"atom with latin-1 declaration", `<?xml version="1.0" encoding="iso-8859-1"?><feed></feed>`, KindAtom},
		{"json feed", `{"version": "https://jsonfeed.org/version/1.1", "items": []}`, KindJSON},
		{"json feed version after items", `{"items": [{"id": "1"}], "version": "https://jsonfeed.org/version/1"}`, KindJSON},
		{"other json", `{"kind": "Listing", "data": {}}`, KindPage},
		{"html", "<!DOCTYPE html><html><head><title>x</title></head></html>", KindPage},
		{"html without doctype", "<html><body><p>hi</p></body></html>", KindPage},
		{"xhtml", `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"></html>`, KindPage},
		{"text dump", "Some title\nChrisW2138d ago\nA comment", KindPage},
		{"empty", "", KindPage},
		{"broken xml", "<<<>>>", KindPage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Detect([]byte(tt.in)); got != tt.want {
				t.Errorf("Detect(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
