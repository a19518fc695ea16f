package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
	mocksandbox "github.com/dronline/connected-go/internal/sandbox"
)

const mockLong = `Runs the fake Connected API on a local port, for trying the API by hand
and for test suites in any language. It keeps its state in memory,
enforces the documented rules (holds expire, one reschedule, 24 h / 48 h
windows, idempotency keys) and runs on the real clock.

It prints the base URL and a sandbox key, then logs one line per request
to stderr (method, path, status, request id; never a body). Ctrl-C or
SIGTERM stops it after the requests in flight have been answered.

The sandbox control API under /_sandbox/ moves the clock, injects faults,
shows the journal of requests, adds credentials and resets the state; its
OpenAPI document is at /_sandbox/openapi.json and an inspector page at
/_sandbox/. On a loopback address anyone on the machine may call it;
listening beyond loopback, it is on only with --control-token.

With --state FILE the mock keeps its state across restarts: credentials
and their catalogues, holds, appointments, patients, idempotency keys and
the clock's offset are read from FILE at start and written back to it on
shutdown and, when they have changed, every --state-interval. Each write
replaces the file whole, so a crash leaves the last one intact; a kill -9
loses at most the changes of the last interval. The file holds the API
keys and the patients booked: it is created readable by its owner only.
A file that cannot be read as a state is refused, never replaced.`

// shutdownGrace bounds how long in-flight requests may take to finish.
const shutdownGrace = 5 * time.Second

type mockFlags struct {
	addr         string
	controlToken string
	journal      int
	journalBytes byteSize
	catalogue    string
	state        string
	interval     time.Duration
}

func (a *app) mockCommand() *cobra.Command {
	var f mockFlags
	cmd := &cobra.Command{
		Use:     "mock",
		Aliases: []string{"serve"},
		Short:   "Run the fake Connected API on a local port",
		Long:    mockLong,
		Args:    cobra.NoArgs,
		RunE: action(func(cmd *cobra.Command, _ []string) error {
			return a.serveMock(cmd.Context(), f)
		}),
	}
	cmd.Flags().StringVar(&f.addr, "addr", "127.0.0.1:12111", "address to listen on (host:port; port 0 picks a free one)")
	cmd.Flags().StringVar(&f.controlToken, "control-token", "", "Bearer token the sandbox control API requires (needed to turn it on beyond loopback)")
	cmd.Flags().IntVar(&f.journal, "journal-size", mocksandbox.DefaultJournalEntries, "how many requests the journal keeps at most, with the first 64 KiB of each body")
	f.journalBytes = mocksandbox.DefaultJournalBytes
	cmd.Flags().Var(&f.journalBytes, "journal-bytes", "how much memory the journal's entries may take (at least 1MiB); the oldest go first")
	cmd.Flags().StringVar(&f.catalogue, "catalogue", "", "catalogue of the default credential, a JSON or YAML file")
	cmd.Flags().StringVar(&f.state, "state", "", "file to keep the state in across restarts (created if missing)")
	cmd.Flags().DurationVar(&f.interval, "state-interval", 5*time.Second, "how often the state is written when it has changed")
	return cmd
}

// serveMock serves the fake until ctx is done (a signal, in main), then
// shuts it down gracefully: requests in flight are answered first.
func (a *app) serveMock(ctx context.Context, f mockFlags) error {
	if f.journal < 1 {
		return configErrorf("--journal-size must be at least 1, not %d", f.journal)
	}
	if f.journalBytes < 1<<20 {
		return configErrorf("--journal-bytes must be at least 1MiB, not %s", f.journalBytes.String())
	}
	if strings.HasPrefix(f.controlToken, "sk_") {
		return configErrorf("--control-token must not look like an API key (sk_…): an API key never opens the control API")
	}
	opts := []connectedtest.Option{
		connectedtest.WithClock(time.Now), // holds expire in real time for clients under test
		connectedtest.WithLogger(slog.New(slog.NewTextHandler(a.stderr, nil))),
		// The control API's journal is the only record a mock needs: it
		// keeps the last requests within its bounds.
		connectedtest.WithRequestRecording(false),
	}
	if f.interval <= 0 {
		return configErrorf("--state-interval must be positive, not %s", f.interval)
	}
	var state *mocksandbox.State
	if f.state != "" {
		var err error
		if state, err = readStateFile(f.state); err != nil {
			return configErrorf("%v", err)
		}
	}
	if f.catalogue != "" {
		cat, err := readCatalogueFile(f.catalogue)
		if err != nil {
			return configErrorf("%v", err)
		}
		switch {
		case state == nil:
			opts = append(opts, connectedtest.WithCatalogue(cat))
		case !mocksandbox.SameCatalogue(state.Catalogue(), cat):
			return configErrorf("--catalogue %s differs from the catalogue --state %s holds for the default credential: "+
				"a state keeps its catalogues (leave out --catalogue, or move the state file away to start afresh)", f.catalogue, f.state)
		}
	}
	if state != nil {
		opts = append(opts, mocksandbox.WithState(state))
	}
	var lc net.ListenConfig
	l, err := lc.Listen(ctx, "tcp", f.addr)
	if err != nil {
		return configErrorf("cannot listen on %s: %v", f.addr, err)
	}
	control := f.controlToken != "" || isLoopback(l.Addr())
	if control {
		// It runs for days: the journal keeps the last requests only.
		opts = append(opts, mocksandbox.WithControlAPI(f.controlToken,
			mocksandbox.JournalLimits{Entries: f.journal, Bytes: int64(f.journalBytes)})...)
	} else {
		opts = append(opts, mocksandbox.WithControlAPIOff())
	}
	fake := connectedtest.NewServer(append(opts, connectedtest.WithListener(l))...)
	var saver *stateSaver
	if f.state != "" {
		// Written at once, so a file that cannot be written is found now
		// and the key printed below outlives a crash in the first interval.
		saver = &stateSaver{path: f.state, server: fake}
		if _, err := saver.saveIfChanged(); err != nil {
			fake.Close()
			return configErrorf("--state %s: cannot write it: %v", f.state, err)
		}
	}

	base := fake.URL()
	printf(a.stdout, "Fake Connected API listening (stop with Ctrl-C).\n")
	printf(a.stdout, "  base URL:    %s\n", base)
	printf(a.stdout, "  sandbox key: %s\n", fake.APIKey())
	if control {
		printf(a.stdout, "  sandbox:     %s/_sandbox/\n", strings.TrimSuffix(base, "/v1"))
	} else {
		printf(a.stdout, "  sandbox:     off (listening beyond loopback without --control-token)\n")
	}
	if saver != nil {
		how := "new"
		if state != nil {
			how = "restored"
		}
		printf(a.stdout, "  state:       %s (%s; written every %s when changed)\n", f.state, how, f.interval)
	}
	printf(a.stdout, "export %s=%s %s=%s\n", connected.EnvBaseURL, base, connected.EnvAPIKey, fake.APIKey())

	saving := make(chan struct{})
	if saver != nil {
		ticker := time.NewTicker(f.interval)
		defer ticker.Stop()
		go func() {
			defer close(saving)
			saver.run(ctx, ticker.C, func(_ bool, err error) {
				if err != nil {
					printf(a.stderr, "dronline mock: writing --state %s: %v (tried again in %s)\n", f.state, err, f.interval)
				}
			})
		}()
	} else {
		close(saving)
	}

	<-ctx.Done()
	<-saving // no write may race the last one
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	shutdownErr := fake.Shutdown(shutdownCtx)
	if saver != nil {
		// After the requests in flight: what they changed is kept too.
		if _, err := saver.saveIfChanged(); err != nil {
			return fmt.Errorf("writing --state %s: %w", f.state, err)
		}
	}
	if shutdownErr != nil {
		return fmt.Errorf("shutting down: %w", shutdownErr)
	}
	printf(a.stdout, "Stopped.\n")
	return nil
}

// isLoopback reports whether the listener accepts only loopback peers.
func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}
