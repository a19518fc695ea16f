package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// stopDeadline bounds how long a stopped mock may take to exit; it stops
// in milliseconds when it works.
const stopDeadline = 30 * time.Second

// startMock runs `dronline <args>` in a goroutine and returns once it has
// printed its base URL and key. cancel stands in for SIGINT; wait returns
// the exit code and the rest of stdout.
func startMock(t *testing.T, args ...string) (base, key string, stderr *syncBuffer, cancel func(), wait func() (int, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	stderr = &syncBuffer{}
	code := make(chan int, 1)
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		c := run(ctx, args, strings.NewReader(""), pw, stderr, func(string) string { return "" })
		_ = pw.Close()
		code <- c
	}()
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "  base URL:"); ok {
			base = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "  sandbox key:"); ok {
			key = strings.TrimSpace(v)
		}
		if strings.HasPrefix(line, "export ") {
			break
		}
	}
	// Keep draining stdout so the command never blocks on the pipe.
	rest := make(chan string, 1)
	go func() {
		var b strings.Builder
		for sc.Scan() {
			b.WriteString(sc.Text() + "\n")
		}
		rest <- b.String()
	}()
	wait = func() (int, string) {
		// A deadline, not a sleep: a mock that ignores the signal fails
		// here instead of hanging the whole test binary.
		select {
		case c := <-code:
			return c, <-rest
		case <-time.After(stopDeadline):
			t.Fatalf("%v did not stop within %s of the signal", args, stopDeadline)
			return 0, ""
		}
	}
	t.Cleanup(func() {
		cancel()
		// Stopped before the test's temporary files go: a mock still
		// writing its state would keep its directory from being removed.
		select {
		case <-exited:
		case <-time.After(stopDeadline):
		}
	})
	return base, key, stderr, cancel, wait
}

func TestMockServesRequestsAndStopsOnSignal(t *testing.T) {
	base, key, stderr, stop, wait := startMock(t, "mock", "--addr", "127.0.0.1:0")
	require.Regexp(t, `^http://127\.0\.0\.1:\d+/v1$`, base)
	require.Regexp(t, `^sk_sandbox_\w+$`, key)

	// The CLI itself, pointed at the mock, books against it.
	env := map[string]string{connected.EnvAPIKey: key, connected.EnvBaseURL: base}
	r := runCLI(t, env, "account", "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"object": "account"`)
	r = runCLI(t, env, "demo")
	require.Equal(t, exitOK, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)

	// One log line per request, without bodies or patient data.
	logged := stderr.String()
	assert.Regexp(t, `(?m)^time=\S+ level=INFO msg="connectedtest request" method=GET path=/v1/connected/account status=200 request_id=req_\w+$`, logged)
	assert.Contains(t, logged, "method=POST path=/v1/connected/appointment_holds status=200")
	assert.Equal(t, 15, strings.Count(logged, "\n"), "one line for account and 14 for the demo's requests:\n%s", logged)
	assert.NotContains(t, logged, "demo.patient@example.com")

	stop()
	code, out := wait()
	assert.Equal(t, exitOK, code)
	assert.Equal(t, "Stopped.\n", out)

	// Stopped means stopped: the port no longer answers.
	resp, err := http.Get(base + "/connected/account")
	if err == nil {
		_ = resp.Body.Close()
	}
	assert.Error(t, err)
}

func TestServeIsAnAliasOfMock(t *testing.T) {
	base, key, _, stop, wait := startMock(t, "serve", "--addr", "127.0.0.1:0")
	r := runCLI(t, map[string]string{connected.EnvAPIKey: key, connected.EnvBaseURL: base}, "practitioners", "list")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "prac_ahmed")
	stop()
	code, _ := wait()
	assert.Equal(t, exitOK, code)
}

func TestMockOnABusyAddressIsAConfigurationError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer func() { _ = l.Close() }()
	r := runCLI(t, nil, "mock", "--addr", l.Addr().String())
	assert.Equal(t, exitConfig, r.code)
	assert.Contains(t, r.stderr, "error: cannot listen on "+l.Addr().String())
	assert.Empty(t, r.stdout)
}
