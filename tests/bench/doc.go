// Package bench holds the benchmarks of issue 8: the SDK against a
// hand-written net/http client and the bare generated client, paging in
// flat memory, connection reuse under concurrency, and the fake server's
// throughput. Everything lives in _test files; this file only names the
// package so that `go build ./...` and `go vet ./...` see it. BENCHMARKS.md
// at the repository root records a run and how to reproduce it.
package bench
