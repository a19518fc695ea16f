package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/dronline/connected-go/connected/connectedtest"
	mocksandbox "github.com/dronline/connected-go/internal/sandbox"
)

// readStateFile reads a --state file. A missing file is no state yet (nil,
// nil): the mock starts afresh and creates it. Anything else wrong is an
// error, and the file is left as it is.
func readStateFile(path string) (*mocksandbox.State, error) {
	data, err := os.ReadFile(path) //nolint:gosec // the file the user names with --state
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("--state: %w", err)
	}
	st, err := mocksandbox.ReadState(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("--state %s: %w (the file is left as it is: move it away to start afresh)", path, err)
	}
	return st, nil
}

// stateSaver writes a server's state to its --state file when it has
// changed since the last write.
type stateSaver struct {
	path   string
	server *connectedtest.Server
	saved  bool   // whether a write has succeeded
	last   uint64 // server.Changes() before that write
}

// saveIfChanged writes the state unless nothing changed since the last
// write, and reports whether it wrote.
func (s *stateSaver) saveIfChanged() (bool, error) {
	// Read before the snapshot: a change made during it moves Changes
	// past n, and the next call writes again.
	n := s.server.Changes()
	if s.saved && n == s.last {
		return false, nil
	}
	var buf bytes.Buffer
	if err := mocksandbox.SaveState(&buf, s.server); err != nil {
		return false, err
	}
	if err := writeFileAtomic(s.path, buf.Bytes()); err != nil {
		return false, err
	}
	s.saved, s.last = true, n
	return true, nil
}

// run saves on every tick until ctx is done, and reports each tick's
// outcome. A failed write is tried again at the next tick: the state is
// still in memory.
func (s *stateSaver) run(ctx context.Context, ticks <-chan time.Time, report func(wrote bool, err error)) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticks:
			report(s.saveIfChanged())
		}
	}
}

// writeFileAtomic replaces path with data so that a crash at any moment
// leaves either the old file or the new one whole: it writes a temporary
// file beside it, flushes it to disk, renames it over path and flushes the
// directory. The file is readable by its owner only (it holds API keys
// and patients). Written here rather than with a library because the
// usual one does not build for Windows, which the mock is released for.
func writeFileAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*") // mode 0600
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable. Windows has no such call (its
// rename is durable once it returns).
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir) //nolint:gosec // the directory of the --state file
	if err != nil {
		return err
	}
	defer func() { _ = d.Close() }()
	return d.Sync()
}
