// Package makefile holds tests of the Makefile's own recipes: what make
// does around the go command, with the go command replaced by a stand-in.
package makefile
