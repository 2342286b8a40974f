package config

import (
	"fmt"
	"strings"
)

// expand replaces ${NAME} and ${NAME:-default} in one scalar value. It runs
// after YAML parsing, on values only, so whatever an environment variable
// holds stays a plain string and can never add keys or feeds.
//
// ${NAME} takes the variable's value when it is set (even to ""); when it
// is unset, NAME is returned in missing and expands to "". ${NAME:-default}
// takes default when the variable is unset or empty. $${ writes a literal
// ${. A lone $ is left alone, so regexes such as "news$" need no escaping.
func expand(s string, lookup func(string) (string, bool)) (out string, missing []string, err error) {
	if !strings.Contains(s, "${") {
		return s, nil, nil
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), missing, nil
		}
		if i > 0 && s[i-1] == '$' {
			b.WriteString(s[:i-1])
			b.WriteString("${")
			s = s[i+2:]
			continue
		}
		b.WriteString(s[:i])
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return "", nil, fmt.Errorf("unterminated %q (write $${ for a literal ${)", s[i:])
		}
		ref := s[i+2 : i+end]
		s = s[i+end+1:]
		name, def, hasDef := strings.Cut(ref, ":-")
		if !validEnvName(name) {
			return "", nil, fmt.Errorf("bad variable reference %q (want ${NAME} or ${NAME:-default})", "${"+ref+"}")
		}
		v, ok := lookup(name)
		switch {
		case hasDef && (!ok || v == ""):
			v = def
		case !ok:
			missing = append(missing, name)
		}
		b.WriteString(v)
	}
}

func validEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
