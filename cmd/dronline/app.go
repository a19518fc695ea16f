package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/internal/contract"
)

// Exit codes, documented in the root command's help.
const (
	exitOK     = 0
	exitAPI    = 1 // the API (or the network, or the SDK before sending) refused or failed
	exitUsage  = 2 // a bad command, flag or argument
	exitConfig = 3 // the environment is not usable: no key, a bad key or base URL, a live key without --allow-live
)

// app is everything a command needs from the outside world. It is built per
// run, so tests drive the whole command line in-process without globals.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	now    func() time.Time

	baseURL string // --base-url; overrides DRONLINE_BASE_URL
}

// run executes one command line and returns its exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, now: time.Now}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	return a.report(cmd, err)
}

const rootLong = `dronline books Dr.Online appointments through the Connected API.

Start with "dronline demo": the whole booking flow, against an embedded fake
server when DRONLINE_API_KEY is not set. "dronline mock" runs that fake on a
local port for test suites in any language. "dronline verify" checks the
pinned contract against the running API behind a sandbox key.

Environment:
  DRONLINE_API_KEY    secret key, ` + contract.SandboxKeyPrefix + `… or ` + contract.LiveKeyPrefix + `… (never a flag:
                      flags end up in shell history and process lists)
  DRONLINE_BASE_URL   API base URL (default ` + connected.DefaultBaseURL + `);
                      --base-url overrides it

Exit codes:
  0  success
  1  API error: the error's code, message, param and request id go to stderr
  2  usage error: unknown command, bad flag or argument
  3  configuration error: no or bad API key or base URL, or a live key
     without --allow-live where it is needed
  4  verify: the API sends what the pinned contract does not list
  5  verify: the API breaks the pinned contract`

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "dronline",
		Short:         "Dr.Online Connected API command line",
		Version:       connected.Version, // --version
		Long:          rootLong,
		SilenceErrors: true, // report prints errors with their exit code
		SilenceUsage:  true,
		Args:          noSubcommand,
		RunE:          func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.PersistentFlags().StringVar(&a.baseURL, "base-url", "", "API base URL (overrides "+connected.EnvBaseURL+")")
	root.AddCommand(
		a.demoCommand(),
		a.mockCommand(),
		a.accountCommand(),
		a.appointmentTypesCommand(),
		a.practitionersCommand(),
		a.slotsCommand(),
		a.holdsCommand(),
		a.appointmentsCommand(),
		a.patientsCommand(),
		a.questionnairesCommand(),
		a.verifyCommand(),
		a.versionCommand(),
	)
	return root
}

// exitError carries the exit code of a failed command. Every error a
// command's own code returns is one (see action); an error that is not
// came from cobra's parsing of the command line, so it is a usage error.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

func configErrorf(format string, args ...any) error {
	return &exitError{code: exitConfig, err: fmt.Errorf(format, args...)}
}

// action adapts a command body to cobra, marking its errors as runtime
// errors (exit 1) unless they already carry a code.
func action(f func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := f(cmd, args)
		var ee *exitError
		if err != nil && !errors.As(err, &ee) {
			return &exitError{code: exitAPI, err: err}
		}
		return err
	}
}

// report prints err for a human and maps it to an exit code.
func (a *app) report(cmd *cobra.Command, err error) int {
	if err == nil {
		return exitOK
	}
	code := exitUsage
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	}
	if errors.Is(err, errReported) {
		return code // the command printed its result
	}
	var apiErr *connected.Error
	switch {
	case code == exitUsage:
		printf(a.stderr, "error: %v\n", err)
		if cmd != nil {
			printf(a.stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
	case errors.As(err, &apiErr) && code == exitAPI:
		printAPIError(a.stderr, apiErr)
	default:
		printf(a.stderr, "error: %v\n", err)
	}
	return code
}

// printAPIError writes the fields support and scripts need, one per line.
// The SDK's error never holds a body, a patient field or the key.
func printAPIError(w io.Writer, e *connected.Error) {
	code := string(e.Code)
	if code == "" {
		code = string(e.Type)
	}
	printf(w, "error: %s: %s\n", code, e.Message)
	if e.Message == "" && e.Err != nil {
		printf(w, "  cause: %v\n", e.Err)
	}
	if e.StatusCode != 0 {
		printf(w, "  status: %d\n", e.StatusCode)
	}
	if e.Param != "" {
		printf(w, "  param: %s\n", e.Param)
	}
	if e.RequestID != "" {
		printf(w, "  request_id: %s\n", e.RequestID)
	}
	if e.Ambiguous {
		printf(w, "  outcome unknown: repeat the command with --idempotency-key %s\n", e.IdempotencyKey)
	}
}
