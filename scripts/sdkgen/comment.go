package main

import "strings"

// comment writes text as a Go comment of lines at most width wide, each
// starting with indent and "// ". Words are never split, so a long one
// (a URL) makes a long line rather than a broken one.
func comment(indent, text string, width int) string {
	var b strings.Builder
	line := ""
	flush := func() {
		b.WriteString(indent + "// " + line + "\n")
		line = ""
	}
	for _, w := range strings.Fields(text) {
		if line != "" && len(indent)+3+len(line)+1+len(w) > width {
			flush()
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		flush()
	}
	return b.String()
}
