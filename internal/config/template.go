package config

import (
	"fmt"
	"reflect"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/newsbot-dev/newsbot/internal/news"
	"gopkg.in/yaml.v3"
)

// TemplateFuncs are the functions a feed's template may call, besides
// text/template's own. The bot executes Feed.Template, parsed with them,
// with the news.Story being posted as data.
var TemplateFuncs = template.FuncMap{
	"lower": strings.ToLower,
	"upper": strings.ToUpper,
	"trim":  strings.TrimSpace,
	"join":  func(sep string, elems []string) string { return strings.Join(elems, sep) },
	"truncate": func(n int, s string) string {
		if r := []rune(s); n >= 0 && len(r) > n {
			return string(r[:max(n-1, 0)]) + "…"
		}
		return s
	},
}

type feedTemplate struct {
	text string
	t    *template.Template
}

// template parses a feed template; an explicit "" clears an inherited one.
func (d *decoder) template(n *yaml.Node, path, name string) *feedTemplate {
	s, ok := d.str(n, path)
	if !ok {
		return nil
	}
	if strings.TrimSpace(s) == "" {
		return &feedTemplate{}
	}
	t, err := template.New(name).Option("missingkey=error").Funcs(TemplateFuncs).Parse(s)
	if err == nil {
		err = checkFields(t.Tree.Root, true)
	}
	if err != nil {
		d.wrap(n, path, "bad template", err)
		return nil
	}
	return &feedTemplate{text: s, t: t}
}

var storyType = reflect.TypeFor[news.Story]()

// checkFields finds misspelt story fields ({{.Titel}}) now rather than at
// the first post. It reads the parse tree instead of executing the
// template, because execution can loop for as long as a template likes.
// dot says whether "." is still the story (range and with change it).
func checkFields(node parse.Node, dot bool) error {
	var kids []parse.Node
	switch n := node.(type) {
	case *parse.ListNode:
		kids = append(kids, n.Nodes...)
	case *parse.ActionNode:
		kids = append(kids, n.Pipe)
	case *parse.TemplateNode:
		if n.Pipe != nil {
			kids = append(kids, n.Pipe)
		}
	case *parse.PipeNode:
		for _, c := range n.Cmds {
			kids = append(kids, c)
		}
	case *parse.CommandNode:
		kids = append(kids, n.Args...)
	case *parse.ChainNode:
		kids = append(kids, n.Node)
	case *parse.IfNode:
		return checkBranch(&n.BranchNode, dot, dot)
	case *parse.RangeNode:
		return checkBranch(&n.BranchNode, false, dot)
	case *parse.WithNode:
		return checkBranch(&n.BranchNode, false, dot)
	case *parse.FieldNode:
		if dot {
			return checkPath(n.Ident)
		}
	case *parse.VariableNode:
		if len(n.Ident) > 1 && n.Ident[0] == "$" {
			return checkPath(n.Ident[1:])
		}
	}
	for _, k := range kids {
		if err := checkFields(k, dot); err != nil {
			return err
		}
	}
	return nil
}

func checkBranch(b *parse.BranchNode, dotInList, dotInElse bool) error {
	if err := checkFields(b.Pipe, dotInElse); err != nil {
		return err
	}
	if err := checkFields(b.List, dotInList); err != nil {
		return err
	}
	if b.ElseList != nil {
		return checkFields(b.ElseList, dotInElse)
	}
	return nil
}

// checkPath checks .A.B.C against news.Story, as deep as the types are
// structs; a method ends the check, as its result type is all we know.
func checkPath(idents []string) error {
	t := storyType
	for i, id := range idents {
		if _, ok := reflect.PointerTo(t).MethodByName(id); ok {
			return nil
		}
		f, ok := t.FieldByName(id)
		if !ok || !f.IsExported() {
			owner := "the story"
			if i > 0 {
				owner = "." + strings.Join(idents[:i], ".")
			}
			return fmt.Errorf("%s has no field %s (the data is a news.Story: .Title, .URL, .Paragraphs, …)", owner, id)
		}
		if t = f.Type; t.Kind() != reflect.Struct {
			return nil
		}
	}
	return nil
}
