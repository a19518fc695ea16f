package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

const demoLong = `Runs the documented booking flow end to end, one line per step: account,
appointment types, practitioners, slots, validate, hold, confirm, get,
reconcile by partner_reference, patient, questionnaire, reschedule, cancel.
Each line shows what was done, the ids, the request id and the time taken.

Without DRONLINE_API_KEY it starts an embedded fake server on a loopback
port: no key and no network needed. With a key it talks to
DRONLINE_BASE_URL (or --base-url, default the live base). With a live
key it stops before the hold unless --allow-live is given, as hold and
confirm would book a real appointment (the demo cancels it at the end).

The hold token and patient details are never printed.`

func (a *app) demoCommand() *cobra.Command {
	var allowLive bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole booking flow, against an embedded fake unless DRONLINE_API_KEY is set",
		Long:  demoLong,
		Args:  cobra.NoArgs,
		RunE: action(func(cmd *cobra.Command, _ []string) error {
			client, closeAll, err := a.demoClient()
			if err != nil {
				return err
			}
			defer closeAll()
			d := &demo{out: a.stdout, client: client.Client, now: a.now, allowLive: allowLive}
			return d.run(cmd.Context())
		}),
	}
	cmd.Flags().BoolVar(&allowLive, "allow-live", false, "with a live key, really hold and confirm (then cancel) an appointment")
	return cmd
}

// demoClient returns a client for the key in the environment, or starts
// the embedded fake and returns a client for it. Its first line of output
// says which.
func (a *app) demoClient() (*apiClient, func(), error) {
	if key := a.getenv(connected.EnvAPIKey); key != "" {
		base := a.baseURLFromEnv()
		c, err := a.newClient(key, base)
		if err != nil {
			return nil, nil, err
		}
		printf(a.stdout, "Running the booking flow against %s with a %s key from %s.\n", base, c.Mode(), connected.EnvAPIKey)
		return c, c.close, nil
	}
	srv := connectedtest.NewServer()
	c, err := a.newClient(srv.APIKey(), srv.URL())
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	printf(a.stdout, "No %s set: running the booking flow against the embedded fake server at %s (sandbox, nothing leaves this machine).\n", connected.EnvAPIKey, srv.URL())
	if a.baseURL != "" || a.getenv(connected.EnvBaseURL) != "" {
		// Without a key there is nothing to send to another server.
		printf(a.stdout, "(The base URL setting is ignored without a key.)\n")
	}
	return c, func() { c.close(); srv.Close() }, nil
}

// demoSteps is the number of steps the flow prints.
const demoSteps = 13

// stepFunc does one step's calls with opt (which captures the response
// info of the last call) and returns the step's line.
type stepFunc func(opt connected.CallOption) (string, error)

// step runs f and prints its line: number, name, outcome, request id and
// time taken. A failed step prints its line too, then the error surfaces.
func (d *demo) step(name string, f stepFunc) error {
	d.n++
	var info connected.ResponseInfo
	start := time.Now()
	line, err := f(connected.WithResponseInfo(&info))
	took := time.Since(start)
	reqID := info.RequestID
	if reqID == "" {
		reqID = "-"
	}
	if err != nil {
		printf(d.out, "[%2d/%d] %-14s FAILED after %s (request %s)\n", d.n, demoSteps, name, formatDuration(took), reqID)
		return fmt.Errorf("demo step %q: %w", name, err)
	}
	if info.Attempts == 0 {
		printf(d.out, "[%2d/%d] %-14s %s\n", d.n, demoSteps, name, line)
		return nil
	}
	printf(d.out, "[%2d/%d] %-14s %s  (request %s, %s)\n", d.n, demoSteps, name, line, reqID, formatDuration(took))
	return nil
}
