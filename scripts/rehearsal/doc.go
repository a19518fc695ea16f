// Package rehearsal rehearses contract updates: each file of testdata/ is
// a change the official spec could make, as a JSON Patch (RFC 6902) on the
// pinned spec, marked additive or breaking. `make rehearse` serves each
// patched spec on a loopback server and runs, on a copy of the module, what
// a maintainer runs — `make update-spec` against it, then the build and
// the tests — asserting that an additive change needs no edit outside what
// `make generate` writes and stays green, and that a breaking one fails.
// `make test` only checks that every patch still applies.
package rehearsal
