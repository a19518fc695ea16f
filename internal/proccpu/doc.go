// Package proccpu reads the process's CPU time, for benchmarks that report
// it per op (cpu-ns/op) next to ns/op: on a shared machine wall time per op
// swings with the neighbours' load, CPU time much less.
package proccpu
