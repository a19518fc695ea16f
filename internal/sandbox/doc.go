// Package sandbox is the control API that dronline mock serves next to
// the fake under /_sandbox/, for test suites in any language: the clock,
// faults, the request journal, credentials, state and reset over HTTP,
// described by its own OpenAPI document, with an inspector page. It also
// reads and writes the mock's --state and --catalogue files.
//
// It is built on connectedtest's exported API only, so a Go test that
// imports connectedtest compiles none of it.
package sandbox
