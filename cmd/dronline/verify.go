package main

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/internal/contract"
)

// Exit codes of verify beyond the command line's own (0, 1, 2, 3).
const (
	exitAdditions  = 4 // the API sends what the pinned contract does not list; nothing breaks
	exitViolations = 5 // the API breaks the pinned contract
)

const verifyLong = `Checks the pinned contract (api/openapi-partner-v1.json, compiled into this
binary) against the running API behind DRONLINE_API_KEY and DRONLINE_BASE_URL
(or --base-url).

It runs every documented operation in the booking flow's order — account,
appointment types, practitioners, slots, validate, hold, confirm, get, list
by partner_reference, patient, questionnaire, reschedule, cancel — and the
error answers the documentation names that are safe to provoke: a wrong hold
token, an unknown id, a replay of the confirm with its Idempotency-Key. Every
request and every response is validated against the contract with
kin-openapi: the status, the headers the contract names, the body (required
fields, types, formats, enums, nullability).

  violation  the API breaks the pinned contract: the SDK may fail or mislead
  addition   the API sends a property, an enum value or an X- header the
             contract does not list: the contract is behind, nothing breaks

One request at a time; the SDK's retries honour Retry-After. The run books
one appointment for a synthetic patient, with a partner_reference naming the
run (verify-…), and cancels it, also when a step fails. A hold whose confirm
failed expires by itself. It never prints a patient field, the hold token,
a body or the key. The first 401 stops the run.

Use a sandbox key (` + contract.SandboxKeyPrefix + `…). A live key (` + contract.LiveKeyPrefix + `…) is refused unless
--read-only, which sends only the GETs (no hold, no booking).

Exit codes:
  0  the API conforms to the pinned contract
  1  the run could not complete (network, an unexpected API error, no free
     slot): the operations after it were not checked
  2  usage error
  3  configuration: no or bad key or base URL, a live key without
     --read-only, or the API refused the key (401)
  4  additions only: the API sends what the contract does not list
  5  violations: the API breaks the contract (whatever else happened)`

// errReported is a failed run whose result is already printed.
var errReported = errors.New("verify: reported")

func (a *app) verifyCommand() *cobra.Command {
	var readOnly, asJSON bool
	var reportFile string
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check the pinned contract against the running API (a sandbox key)",
		Long:  verifyLong,
		Args:  cobra.NoArgs,
		RunE: action(func(cmd *cobra.Command, _ []string) error {
			v, err := a.newVerifier(readOnly)
			if err != nil {
				return err
			}
			defer v.client.CloseIdleConnections()
			base := a.baseURLFromEnv()
			if !asJSON {
				printf(a.stdout, "Verifying the pinned contract (info.version %s) against %s with a %s key from %s; run %s.\n",
					v.checker.version(), base, v.client.Mode(), connected.EnvAPIKey, v.runRef)
				v.onOp = func(op *opResult) { printOp(a.stdout, op) }
			}
			v.run(cmd.Context(), v.steps())
			res := v.result(base)
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(res); err != nil {
					return err
				}
			} else {
				printf(a.stdout, "%s\n", res.summaryLine())
			}
			if reportFile != "" {
				// #nosec G306 -- the user's own --report path.
				if err := os.WriteFile(reportFile, []byte(res.markdown()), 0o600); err != nil {
					printf(a.stderr, "error: writing the report: %v\n", err)
				}
			}
			return v.exit(a)
		}),
	}
	cmd.Flags().BoolVar(&readOnly, "read-only", false, "send only the GETs: no validate, hold or booking (the only mode for a live key)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON instead of lines")
	cmd.Flags().StringVar(&reportFile, "report", "", "also write the result as Markdown to `FILE` (e.g. for a CI job summary)")
	return cmd
}

// newVerifier makes the client: the SDK's, so retries, Retry-After and
// the key's redaction are the SDK's, over a transport that records each
// attempt for the check.
func (a *app) newVerifier(readOnly bool) (*verifier, error) {
	key := a.getenv(connected.EnvAPIKey)
	if key == "" {
		return nil, configErrorf("%s is not set: export a %s… key (or run `dronline mock` and use the key it prints)", connected.EnvAPIKey, contract.SandboxKeyPrefix)
	}
	checker, err := newContractChecker()
	if err != nil {
		return nil, err
	}
	rec := &recorder{next: http.DefaultTransport.(*http.Transport).Clone()}
	c, err := a.sdkClient(key, a.baseURLFromEnv(), connected.WithHTTPClient(&http.Client{Transport: rec}))
	if err != nil {
		return nil, err
	}
	if c.Mode() == connected.ModeLive && !readOnly {
		c.CloseIdleConnections()
		return nil, configErrorf("refusing a live key: verify books (and cancels) an appointment; use a %s… key, or --read-only to send only the GETs", contract.SandboxKeyPrefix)
	}
	return &verifier{client: c, rec: rec, checker: checker, now: a.now, readOnly: readOnly, runRef: "verify-" + strings.ToLower(rand.Text()[:12])}, nil
}

// exit says how the run ended, on stderr, and maps it to the exit code.
func (v *verifier) exit(a *app) error {
	if v.leftBooked != "" {
		printf(a.stderr, "warning: appointment %s is still booked: cancel it with `dronline appointments cancel %s`\n", v.leftBooked, v.leftBooked)
	}
	if v.authErr != nil {
		return configErrorf("the API refused the key: HTTP 401 %s (request %s); check that %s is a key of %s. The run stopped there.",
			v.authErr.Code, orDash(v.authErr.RequestID), connected.EnvAPIKey, a.baseURLFromEnv())
	}
	violations, additions := v.totals()
	switch {
	case violations > 0:
		return &exitError{code: exitViolations, err: errReported}
	case v.incomplete:
		return &exitError{code: exitAPI, err: errReported}
	case additions > 0:
		return &exitError{code: exitAdditions, err: errReported}
	}
	return nil
}

func (v *verifier) totals() (violations, additions int) {
	for _, op := range v.ops {
		violations += op.count(kindViolation)
		additions += op.count(kindAddition)
	}
	return violations, additions
}

// mark is an operation's verdict at a glance: ✓, or ✗ (violations), +
// (additions only), ! (could not complete), - (skipped).
func (op *opResult) mark() string {
	switch {
	case op.count(kindViolation) > 0:
		return "✗"
	case op.Problem != "":
		return "!"
	case op.count(kindAddition) > 0:
		return "+"
	case op.Skipped != "":
		return "-"
	}
	return "✓"
}

// printOp prints an operation's line: ✓, or ✗ (violations), + (additions
// only), ! (could not complete), - (skipped), then one line per finding.
func printOp(w io.Writer, op *opResult) {
	mark := op.mark()
	what := strings.TrimSpace(op.Method + " " + op.Path)
	if op.Status != 0 {
		what += fmt.Sprintf(" → %d", op.Status)
	}
	if op.Skipped != "" {
		what = "skipped (" + op.Skipped + ")"
	}
	printf(w, "%s %-28s %s\n", mark, op.Name, what)
	for _, f := range op.Findings {
		printf(w, "    %s %s: %s%s\n", f.Kind, f.Where, f.What, times(f.Count))
	}
	if op.Problem != "" {
		printf(w, "    stopped: %s\n", op.Problem)
	}
}

func times(n int) string {
	if n > 1 {
		return fmt.Sprintf(" (%d items)", n)
	}
	return ""
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
