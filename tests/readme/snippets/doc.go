// Package snippets is where the Go code of the repository's README.md is
// compiled: the readme test supplies a file per code block at test time.
package snippets
