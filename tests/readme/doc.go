// Package readme tests that every Go code block of the repository's
// README.md compiles against the SDK as it is.
package readme
