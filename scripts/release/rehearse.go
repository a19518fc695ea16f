package main

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/dronline/connected-go/internal/modgraph"
)

// The consumers' sources: a new user's booking test against connectedtest,
// and a user who traces with otelconnected.
//
//go:embed testdata/consumers
var consumers embed.FS

// rehearsal is one run of `release rehearse`.
type rehearsal struct {
	root    string
	work    string   // temporary; removed at the end
	env     []string // every go command of the consumers
	version string
	stdout  io.Writer
	stderr  io.Writer
}

// rehearse publishes every module to a file-based proxy at a rehearsal
// version and proves, as a new user with an empty module cache, no
// workspace and no replace directive would, that go get, go test, go
// install and the OpenTelemetry module work from it.
func rehearse(ctx context.Context, root string, stdout, stderr io.Writer) error {
	v, err := sourceVersion(root)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "rehearse-release-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(work) }()
	r := &rehearsal{root: root, work: work, version: "v" + v + "-rehearsal", stdout: stdout, stderr: stderr}

	when, err := git(ctx, root, "log", "-1", "--format=%cI")
	if err != nil {
		return err
	}
	at, err := time.Parse(time.RFC3339, strings.TrimSpace(when))
	if err != nil {
		return fmt.Errorf("the last commit's time: %w", err)
	}
	proxy := filepath.Join(work, "proxy")
	mods, err := writeProxy(ctx, root, proxy, r.version, at)
	if err != nil {
		return err
	}
	for _, m := range mods {
		r.say("published %s@%s (%d files) to a file proxy", m.Path, r.version, m.Files)
	}
	if r.env, err = consumerEnv(ctx, work, proxy); err != nil {
		return err
	}

	var problems []string
	check := func(err error) {
		if err != nil {
			problems = append(problems, err.Error())
		}
	}
	check(r.sdkConsumer(ctx))
	check(r.installCommand(ctx))
	check(r.otelConsumer(ctx))
	if len(problems) > 0 {
		return problem{"the release rehearsal failed:\n  " + strings.Join(problems, "\n  ")}
	}
	r.say("every published module works from the proxy as a new user meets it")
	return nil
}

// consumerEnv is a new user's environment: an empty module cache, no
// workspace, no checksum database, -mod=mod, and the proxy first. Modules
// this repository does not publish come from the machine's module cache
// when it has them (read as a proxy, never written), then from the
// machine's usual proxy.
func consumerEnv(ctx context.Context, work, proxy string) ([]string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMODCACHE", "GOPROXY").Output()
	if err != nil {
		return nil, fmt.Errorf("go env: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 {
		return nil, fmt.Errorf("go env printed %q", out)
	}
	goproxy := "file://" + filepath.ToSlash(proxy)
	if cache := filepath.Join(lines[0], "cache", "download"); isDir(cache) {
		goproxy += ",file://" + filepath.ToSlash(cache)
	}
	if lines[1] != "" && lines[1] != "off" {
		goproxy += "," + lines[1]
	}
	env := os.Environ()
	return append(env,
		"GOPROXY="+goproxy,
		"GOMODCACHE="+filepath.Join(work, "modcache"),
		"GOWORK=off",
		"GOFLAGS=-mod=mod -modcacherw",
		"GOSUMDB=off",
		"GONOSUMDB=",
		"GOPRIVATE=",
		"GOTOOLCHAIN=local",
		"GOBIN="+filepath.Join(work, "bin"),
	), nil
}

func isDir(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}

// sdkConsumer: go get the SDK, test a booking against connectedtest, and
// hold the module graph to its bound.
func (r *rehearsal) sdkConsumer(ctx context.Context) error {
	mods, err := r.getAndTest(ctx, "sdk", "example.com/booking", "github.com/dronline/connected-go")
	if err != nil {
		return err
	}
	r.say("SDK consumer: go get, a booking tested against connectedtest: ok; go list -m all: %d modules (bound %d)", len(mods), modgraph.MaxModules)
	if err := modgraph.Check(mods); err != nil {
		return fmt.Errorf("SDK consumer: %w", err)
	}
	return nil
}

// installCommand: go install the command line at the version, and run its
// demo.
func (r *rehearsal) installCommand(ctx context.Context) error {
	if _, err := r.goIn(ctx, r.work, "install", "github.com/dronline/connected-go/cmd/dronline@"+r.version); err != nil {
		return err
	}
	bin := filepath.Join(r.work, "bin", "dronline")
	cmd := exec.CommandContext(ctx, bin, "demo") // #nosec G204 -- the binary this rehearsal built
	cmd.Dir = r.work
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("dronline demo, installed with go install …@%s: %w\n%s", r.version, err, out.String())
	}
	r.say("go install …/cmd/dronline@%s: ok; dronline demo: ok", r.version)
	return nil
}

// otelConsumer: go get otelconnected and trace a call.
func (r *rehearsal) otelConsumer(ctx context.Context) error {
	mods, err := r.getAndTest(ctx, "otel", "example.com/tracing", "github.com/dronline/connected-go/connected/otelconnected")
	if err != nil {
		return err
	}
	r.say("otelconnected consumer: go get, a call traced: ok; go list -m all: %d modules", len(mods))
	return nil
}

// getAndTest makes the consumer name (see consumer), requires module at
// the rehearsal's version with go get, tidies, runs its tests and returns
// its module graph (go list -m all).
func (r *rehearsal) getAndTest(ctx context.Context, name, modulePath, module string) ([]string, error) {
	dir, err := r.consumer(name, modulePath)
	if err != nil {
		return nil, err
	}
	for _, args := range [][]string{{"get", module + "@" + r.version}, {"mod", "tidy"}, {"test", "-count=1", "./..."}} {
		if _, err := r.goIn(ctx, dir, args...); err != nil {
			return nil, err
		}
	}
	return r.graph(ctx, dir)
}

// consumer makes a new module named path holding the sources of
// testdata/consumers/<name>.
func (r *rehearsal) consumer(name, modulePath string) (string, error) {
	dir := filepath.Join(r.work, name)
	if err := os.MkdirAll(dir, 0o755); err != nil { // #nosec G301 -- a temporary consumer
		return "", err
	}
	entries, err := consumers.ReadDir("testdata/consumers/" + name)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		data, err := consumers.ReadFile("testdata/consumers/" + name + "/" + e.Name())
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o600); err != nil {
			return "", err
		}
	}
	gomod := fmt.Sprintf("module %s\n\ngo 1.26.0\n", modulePath)
	return dir, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o600)
}

// graph is go list -m all in dir.
func (r *rehearsal) graph(ctx context.Context, dir string) ([]string, error) {
	out, err := r.goIn(ctx, dir, "list", "-m", "-f", "{{.Path}}", "all")
	if err != nil {
		return nil, err
	}
	return strings.Fields(out), nil
}

// goIn runs the go command in dir with the consumers' environment.
func (r *rehearsal) goIn(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", args...) // #nosec G204 -- go with this program's own arguments
	cmd.Dir = dir
	cmd.Env = r.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go %s (in %s): %w\n%s%s", strings.Join(args, " "), filepath.Base(dir), err, stdout.String(), stderr.String())
	}
	return stdout.String(), nil
}

func (r *rehearsal) say(format string, args ...any) {
	_, _ = fmt.Fprintf(r.stdout, "rehearse-release: "+format+"\n", args...)
}
