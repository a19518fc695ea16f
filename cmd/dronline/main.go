// Command dronline is the command line of the Dr.Online Connected API Go
// SDK: a demo of the booking flow, a local fake server, and one command per
// API resource. Run `dronline --help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// The signal context is what `mock` waits on to shut down, and it
	// cancels in-flight requests of every other command on Ctrl-C.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
