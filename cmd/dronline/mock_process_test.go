package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// startDeadline bounds how long the mock may take to print its base URL.
const startDeadline = 30 * time.Second

// dronlineBuild is the command built once for every test that runs it as
// a process; TestMain removes its directory.
var dronlineBuild struct {
	sync.Once
	dir, bin string
	err      error
}

// buildDronline builds this command once per test binary into a temporary
// directory, so that a test can run it as a process of its own: its memory
// is then its own, readable from /proc, and not mixed with the test's.
func buildDronline(t *testing.T) string {
	t.Helper()
	goTool := requireTool(t, "go")
	dronlineBuild.Do(func() {
		dir, err := os.MkdirTemp("", "dronline-test-")
		if err != nil {
			dronlineBuild.err = err
			return
		}
		dronlineBuild.dir, dronlineBuild.bin = dir, filepath.Join(dir, "dronline")
		if out, err := exec.Command(goTool, "build", "-o", dronlineBuild.bin, ".").CombinedOutput(); err != nil {
			dronlineBuild.err = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	require.NoError(t, dronlineBuild.err)
	return dronlineBuild.bin
}

// mockProcess is `dronline mock` running as a child process.
type mockProcess struct {
	cmd       *exec.Cmd
	base, key string
	origin    string // base without /v1: where /_sandbox/ is
	exited    chan struct{}
	waitErr   error         // set before exited is closed
	rest      chan string   // stdout after the start-up lines, once it closes
	logLines  atomic.Int64  // lines on stderr: one per request answered
	stderrEnd *tailWriter   // the last lines of stderr, for a failure message
	started   chan struct{} // closed once base and key are read
}

// startMockProcess runs bin with args, which must start the mock, and
// returns once it has printed its base URL and key.
func startMockProcess(t *testing.T, bin string, args ...string) *mockProcess {
	t.Helper()
	p := &mockProcess{exited: make(chan struct{}), rest: make(chan string, 1), started: make(chan struct{}), stderrEnd: &tailWriter{max: 4 << 10}}
	p.cmd = exec.Command(bin, args...)
	// Through a pipe of ours rather than StdoutPipe: Wait closes that one
	// as the process exits, and could take the last line with it.
	pr, pw := io.Pipe()
	p.cmd.Stdout = pw
	// The mock logs a line per request: count them, keep only the last
	// few (a line holds a method, path, status and request id, never a
	// body), and never block the mock on a full pipe.
	p.cmd.Stderr = io.MultiWriter(lineCounter{&p.logLines}, p.stderrEnd)
	require.NoError(t, p.cmd.Start())
	go func() {
		p.waitErr = p.cmd.Wait() // returns once stdout and stderr are copied
		_ = pw.Close()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	})

	go p.readStdout(pr)
	select {
	case <-p.started:
	case <-p.exited:
		t.Fatalf("the mock exited before it started: %v\nstderr ends:\n%s", p.waitErr, p.stderrEnd)
	case <-time.After(startDeadline):
		t.Fatalf("the mock did not print its base URL within %s", startDeadline)
	}
	require.NotEmpty(t, p.base, "base URL")
	require.NotEmpty(t, p.key, "sandbox key")
	p.origin = strings.TrimSuffix(p.base, "/v1")
	return p
}

// readStdout reads the start-up lines, then drains the rest into p.rest.
func (p *mockProcess) readStdout(stdout io.Reader) {
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "  base URL:"); ok {
			p.base = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "  sandbox key:"); ok {
			p.key = strings.TrimSpace(v)
		}
		if strings.HasPrefix(line, "export ") {
			close(p.started)
			break
		}
	}
	var b strings.Builder
	for sc.Scan() {
		b.WriteString(sc.Text() + "\n")
	}
	// Whatever the scanner left (a line too long for it): the mock must
	// never block on a full pipe.
	_, _ = io.Copy(io.Discard, stdout)
	p.rest <- b.String()
}

// stop sends SIGINT, as Ctrl-C does, and returns the exit code and what
// the mock printed after its start-up lines.
func (p *mockProcess) stop(t *testing.T) (int, string) {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(os.Interrupt))
	select {
	case <-p.exited:
	case <-time.After(stopDeadline):
		t.Fatalf("the mock did not stop within %s of SIGINT", stopDeadline)
	}
	code := 0
	var exit *exec.ExitError
	if errors.As(p.waitErr, &exit) {
		code = exit.ExitCode()
	} else if p.waitErr != nil {
		t.Fatalf("waiting for the mock: %v", p.waitErr)
	}
	return code, <-p.rest
}

// rss is the mock's resident set size in bytes, and its peak so far
// (VmHWM), from /proc; ok is false where there is no /proc.
func (p *mockProcess) rss() (now, peak int64, ok bool) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(p.cmd.Process.Pid), "status"))
	if err != nil {
		return 0, 0, false
	}
	field := func(name string) int64 {
		for line := range strings.Lines(string(b)) {
			if v, found := strings.CutPrefix(line, name+":"); found {
				kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				if err == nil {
					return kb << 10
				}
			}
		}
		return -1
	}
	now, peak = field("VmRSS"), field("VmHWM")
	return now, peak, now >= 0 && peak >= 0
}

// lineCounter counts the lines written to it.
type lineCounter struct{ n *atomic.Int64 }

func (c lineCounter) Write(b []byte) (int, error) {
	c.n.Add(int64(bytes.Count(b, []byte("\n"))))
	return len(b), nil
}

// tailWriter keeps the last max bytes written to it.
type tailWriter struct {
	max int
	mu  sync.Mutex
	buf []byte
}

func (w *tailWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, b...)
	if over := len(w.buf) - w.max; over > 0 {
		w.buf = append(w.buf[:0], w.buf[over:]...)
	}
	return len(b), nil
}

func (w *tailWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(w.buf)
}
