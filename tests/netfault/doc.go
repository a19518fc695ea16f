// Package netfault holds the SDK's network-fault tests: a real TCP proxy
// (toxiproxy, in process, on loopback) between a client and the fake
// server resets connections before and after the server commits, delays
// and cuts responses, throttles them and takes the server down, and the
// tests check what each confirm, cancel and reschedule tells the caller
// against what the server holds. They use the SDK's public API only, and
// live in the tests module so that toxiproxy and what it requires stay out
// of the SDK's module graph. Everything lives in _test files; this file
// only names the package so that `go build ./...` and `go vet ./...` see it.
package netfault
