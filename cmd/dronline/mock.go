package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

const mockLong = `Runs the fake Connected API on a local port, for trying the API by hand
and for test suites in any language. It keeps its state in memory,
enforces the documented rules (holds expire, one reschedule, 24 h / 48 h
windows, idempotency keys) and runs on the real clock.

It prints the base URL and a sandbox key, then logs one line per request
to stderr (method, path, status, request id; never a body). Ctrl-C or
SIGTERM stops it after the requests in flight have been answered.`

// shutdownGrace bounds how long in-flight requests may take to finish.
const shutdownGrace = 5 * time.Second

func (a *app) mockCommand() *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:     "mock",
		Aliases: []string{"serve"},
		Short:   "Run the fake Connected API on a local port",
		Long:    mockLong,
		Args:    cobra.NoArgs,
		RunE: action(func(cmd *cobra.Command, _ []string) error {
			return a.serveMock(cmd.Context(), addr)
		}),
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:12111", "address to listen on (host:port; port 0 picks a free one)")
	return cmd
}

// serveMock serves the fake until ctx is done (a signal, in main), then
// shuts it down gracefully: requests in flight are answered first.
func (a *app) serveMock(ctx context.Context, addr string) error {
	var lc net.ListenConfig
	l, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return configErrorf("cannot listen on %s: %v", addr, err)
	}
	logger := slog.New(slog.NewTextHandler(a.stderr, nil))
	fake := connectedtest.NewServer(
		connectedtest.WithListener(l),
		connectedtest.WithClock(time.Now), // holds expire in real time for clients under test
		connectedtest.WithLogger(logger),
		// It runs for hours: keep no copy of every request (the log has them).
		connectedtest.WithRequestRecording(false),
	)

	base := fake.URL()
	printf(a.stdout, "Fake Connected API listening (stop with Ctrl-C).\n")
	printf(a.stdout, "  base URL:    %s\n", base)
	printf(a.stdout, "  sandbox key: %s\n", fake.APIKey())
	printf(a.stdout, "export %s=%s %s=%s\n", connected.EnvBaseURL, base, connected.EnvAPIKey, fake.APIKey())

	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := fake.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	printf(a.stdout, "Stopped.\n")
	return nil
}
