package main

import (
	"bytes"
	"context"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
	mocksandbox "github.com/dronline/connected-go/internal/sandbox"
)

// sdkFor is a client of a running mock.
func sdkFor(t *testing.T, base, key string) *connected.Client {
	t.Helper()
	c, err := connected.NewClient(key, connected.WithBaseURL(base))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// sandboxOf is the control API of the mock serving base.
func sandboxOf(t *testing.T, base string) sandbox {
	hc := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(hc.CloseIdleConnections)
	return sandbox{origin: strings.TrimSuffix(base, "/v1"), hc: hc}
}

func TestMockStateSurvivesARestart(t *testing.T) {
	state := filepath.Join(t.TempDir(), "sandbox.json")
	base, key, _, stop, wait := startMock(t, "mock", "--addr", "127.0.0.1:0", "--state", state)
	info, err := os.Stat(state)
	require.NoError(t, err, "written at start, so the key outlives a crash in the first interval")
	if runtime.GOOS != "windows" {
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "it holds keys and patients")
	}
	sdk := sdkFor(t, base, key)
	apt := bookSlot(t.Context(), t, sdk, slotAfter(t.Context(), t, sdk, time.Now().Add(72*time.Hour), "aptype_gp15"), "order_1")
	hold, err := sdk.Holds.Create(t.Context(), &connected.HoldParams{SlotID: slotAfter(t.Context(), t, sdk, time.Now().Add(96*time.Hour), "aptype_gp15").ID})
	require.NoError(t, err)
	_, err = sandboxOf(t, base).advance(t.Context(), 5*time.Minute)
	require.NoError(t, err)
	stop()
	code, out := wait()
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "Stopped.")

	base2, key2, _, stop2, wait2 := startMock(t, "mock", "--addr", "127.0.0.1:0", "--state", state)
	assert.Equal(t, key, key2, "the same sandbox key after a restart")
	sdk2 := sdkFor(t, base2, key2)
	got, err := sdk2.Appointments.Get(t.Context(), apt.ID)
	require.NoError(t, err)
	assert.Equal(t, apt.PartnerReference, got.PartnerReference)
	// The hold was made before the restart and is confirmed after it.
	p := testPatient(t)
	_, err = sdk2.Appointments.Confirm(t.Context(), hold.AppointmentID, hold.HoldToken, &connected.ConfirmParams{Patient: p, ExternalPaymentReference: "pay_2"})
	require.NoError(t, err)
	// Five minutes advanced before the restart are still advanced: the
	// mock runs on the real clock, and the margin tells the two apart.
	now, err := sandboxOf(t, base2).now(t.Context())
	require.NoError(t, err)
	assert.Greater(t, time.Until(now), 4*time.Minute)
	stop2()
	code, _ = wait2()
	require.Equal(t, exitOK, code)
	leftovers, err := filepath.Glob(filepath.Join(filepath.Dir(state), ".*tmp*"))
	require.NoError(t, err)
	assert.Empty(t, leftovers, "no temporary file is left behind")
}

func TestMockRefusesAStateItCannotRead(t *testing.T) {
	dir := t.TempDir()
	// A real state to break.
	good := filepath.Join(dir, "good.json")
	_, _, _, stop, wait := startMock(t, "mock", "--addr", "127.0.0.1:0", "--state", good)
	stop()
	wait()
	data, err := os.ReadFile(good)
	require.NoError(t, err)
	newer := bytes.Replace(data, []byte(`"version": 1`), []byte(`"version": 2`), 1)
	require.NotEqual(t, data, newer)

	for name, tc := range map[string]struct {
		content []byte
		want    string
	}{
		"corrupt":     {data[:len(data)/3], "the JSON is cut short"},
		"newer":       {newer, "version 2 was written by a newer version of the sandbox; this one reads version 1"},
		"other file":  {[]byte(`{"appointment_types": []}`), "not a sandbox state"},
		"empty":       {nil, "the file is empty"},
		"not json":    {[]byte("timezone: UTC\n"), "not valid JSON"},
		"wrong value": {bytes.Replace(data, []byte(`"clock_offset_ns": 0`), []byte(`"clock_offset_ns": "0"`), 1), "clock_offset_ns: must be a number"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".json")
			require.NoError(t, os.WriteFile(path, tc.content, 0o600))
			r := runCLI(t, nil, "mock", "--addr", "127.0.0.1:0", "--state", path)
			assert.Equal(t, exitConfig, r.code)
			assert.Contains(t, r.stderr, "--state "+path+": state: "+tc.want)
			assert.Contains(t, r.stderr, "the file is left as it is")
			assert.Empty(t, r.stdout, "refused before it listens")
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, string(tc.content), string(after), "never replaced")
		})
	}
}

func TestMockStateKeepsItsCatalogue(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	cat := filepath.Join(dir, "catalogue.json")
	require.NoError(t, os.WriteFile(cat, []byte(`{"timezone": "Europe/Paris",
		"appointment_types": [{"id": "aptype_physio", "name": "Physiotherapy", "duration_minutes": 45, "price_in_cents": 5000, "metadata": {}}],
		"practitioners": [{"id": "prac_dupont", "name": "Dr Marie Dupont", "appointment_type_ids": ["aptype_physio"],
			"working_hours": [{"weekday": "tuesday", "start": "09:00", "end": "12:30"}]}]}`), 0o600))
	_, _, _, stop, wait := startMock(t, "mock", "--addr", "127.0.0.1:0", "--state", state, "--catalogue", cat)
	stop()
	wait()

	// The same catalogue again: the state is restored with it.
	base, key, _, stop, wait := startMock(t, "mock", "--addr", "127.0.0.1:0", "--state", state, "--catalogue", cat)
	r := runCLI(t, map[string]string{connected.EnvAPIKey: key, connected.EnvBaseURL: base}, "practitioners", "list")
	assert.Contains(t, r.stdout, "prac_dupont")
	stop()
	wait()

	// A different one is refused rather than silently ignored.
	other := filepath.Join(dir, "other.json")
	require.NoError(t, os.WriteFile(other, bytes.Replace(mustRead(t, cat), []byte("Europe/Paris"), []byte("Europe/Berlin"), 1), 0o600))
	before := mustRead(t, state)
	res := runCLI(t, nil, "mock", "--addr", "127.0.0.1:0", "--state", state, "--catalogue", other)
	assert.Equal(t, exitConfig, res.code)
	assert.Contains(t, res.stderr, "--catalogue "+other+" differs from the catalogue --state "+state+" holds for the default credential")
	assert.Equal(t, before, mustRead(t, state))
}

func TestMockStateFlagsAreChecked(t *testing.T) {
	r := runCLI(t, nil, "mock", "--addr", "127.0.0.1:0", "--state", filepath.Join(t.TempDir(), "no-such-dir", "s.json"))
	assert.Equal(t, exitConfig, r.code)
	assert.Contains(t, r.stderr, "cannot write it")
	r = runCLI(t, nil, "mock", "--addr", "127.0.0.1:0", "--state-interval", "0s")
	assert.Equal(t, exitConfig, r.code)
	assert.Contains(t, r.stderr, "--state-interval must be positive, not 0s")
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path) //nolint:gosec // a test's own file
	require.NoError(t, err)
	return data
}

// TestStateSaverWritesOnTicksWhatChanged drives the saver with a tick
// channel: it writes only on a tick, only when the state moved, and a
// failed write is reported and retried.
func TestStateSaverWritesOnTicksWhatChanged(t *testing.T) {
	srv := connectedtest.NewServer()
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	s := &stateSaver{path: path, server: srv}
	wrote, err := s.saveIfChanged()
	require.NoError(t, err)
	assert.True(t, wrote, "the first call writes")
	wrote, err = s.saveIfChanged()
	require.NoError(t, err)
	assert.False(t, wrote, "nothing changed")
	first := mustRead(t, path)

	ticks := make(chan time.Time)
	type outcome struct {
		wrote bool
		err   error
	}
	outcomes := make(chan outcome)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.run(ctx, ticks, func(wrote bool, err error) { outcomes <- outcome{wrote, err} })
	}()
	tick := func() outcome {
		ticks <- time.Time{}
		return <-outcomes
	}
	srv.Advance(time.Hour)
	assert.Equal(t, string(first), string(mustRead(t, path)), "not written before a tick")
	assert.Equal(t, outcome{wrote: true}, tick())
	second := mustRead(t, path)
	assert.NotEqual(t, string(first), string(second), "written at the tick after the change")
	assert.Equal(t, outcome{}, tick(), "no change, no write")

	// A write that fails is reported, and the next tick tries again.
	require.NoError(t, os.Rename(dir, dir+"-away"))
	srv.Advance(time.Hour)
	for range 2 {
		o := tick()
		assert.False(t, o.wrote)
		require.Error(t, o.err)
		assert.ErrorIs(t, o.err, fs.ErrNotExist)
	}
	require.NoError(t, os.Rename(dir+"-away", dir))
	assert.Equal(t, string(second), string(mustRead(t, path)), "the file is as the last write left it")
	assert.Equal(t, outcome{wrote: true}, tick(), "the tick after the failures writes")
	cancel()
	<-done
	assert.NotEqual(t, string(second), string(mustRead(t, path)))
	st, err := mocksandbox.ReadState(bytes.NewReader(mustRead(t, path)))
	require.NoError(t, err)
	restored := connectedtest.NewServer(mocksandbox.WithState(st), connectedtest.WithStartTime(srv.Now().Add(-2*time.Hour)))
	defer restored.Close()
	assert.Equal(t, srv.Now(), restored.Now(), "the two hours advanced are in the state")
}

// TestMockStateAfterKill9 kills the mock with SIGKILL: what was written
// at the last interval is there when it starts again.
func TestMockStateAfterKill9(t *testing.T) {
	// A process of its own: it runs alongside the other tests.
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL")
	}
	bin := buildDronline(t)
	state := filepath.Join(t.TempDir(), "state.json")

	p := startMockProcess(t, bin, "mock", "--addr", "127.0.0.1:0", "--state", state, "--state-interval", "20ms")
	sdk := sdkFor(t, p.base, p.key)
	apt := bookSlot(t.Context(), t, sdk, slotAfter(t.Context(), t, sdk, time.Now().Add(72*time.Hour), "aptype_gp15"), "order_9")
	// Wait, with a deadline, for an interval's write to carry the booking.
	deadline := time.Now().Add(stopDeadline)
	for !bytes.Contains(mustRead(t, state), []byte(apt.ID)) {
		require.True(t, time.Now().Before(deadline), "the booking never reached the state file")
		time.Sleep(10 * time.Millisecond)
	}
	require.NoError(t, p.cmd.Process.Kill())
	<-p.exited

	p2 := startMockProcess(t, bin, "mock", "--addr", "127.0.0.1:0", "--state", state)
	assert.Equal(t, p.key, p2.key)
	got, err := sdkFor(t, p2.base, p2.key).Appointments.Get(t.Context(), apt.ID)
	require.NoError(t, err)
	assert.Equal(t, apt.ID, got.ID)
	code, _ := p2.stop(t)
	assert.Equal(t, 0, code)
}
