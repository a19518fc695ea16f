package browser

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected/connectedtest"
	"github.com/dronline/connected-go/internal/sandbox"
)

// pageDeadline bounds the whole browser session. The page shows what it
// polls within a second on an idle machine; the deadline is for a
// wedged browser, not a measure of speed.
const pageDeadline = 2 * time.Minute

// findBrowser returns Chromium's path. Outside CI a missing browser skips
// the test and says so; with CI=true it fails.
func findBrowser(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium found (chromium, chromium-browser or google-chrome), and CI=true: the inspector test must run in CI")
	}
	t.Skip("no Chromium found (chromium, chromium-browser or google-chrome); skipping the inspector test (with CI=true this fails)")
	return ""
}

// api sends one request to the fake's API.
func api(t *testing.T, s *connectedtest.Server, method, path, body string, header map[string]string) map[string]any {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.APIKey())
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return out
}

// The inspector loads with no console error and shows a booking made
// through the API and an injected fault, in a real browser.
func TestInspectorPage(t *testing.T) {
	browser := findBrowser(t)
	s := connectedtest.NewServer(append(
		sandbox.WithControlAPI("", sandbox.JournalLimits{Entries: 100}),
		connectedtest.WithStartTime(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)),
	)...)
	t.Cleanup(s.Close)

	// A booking through the API.
	slots := api(t, s, http.MethodGet, "/connected/slots?appointment_type_id=aptype_gp15", "", nil)
	slot := slots["data"].([]any)[0].(map[string]any)["id"].(string)
	hold := api(t, s, http.MethodPost, "/connected/appointment_holds", `{"slot_id":"`+slot+`"}`, nil)
	apt := api(t, s, http.MethodPost, "/connected/appointments/"+hold["appointment_id"].(string)+"/confirm",
		`{"patient":{"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com","date_of_birth":"1985-12-10","sex":"female"},"external_payment_reference":"pi_1"}`,
		map[string]string{"X-Appointment-Hold-Token": hold["hold_token"].(string), "Idempotency-Key": "idem-browser-1"})
	aptID, _ := apt["id"].(string)
	require.NotEmpty(t, aptID, "booked: %v", apt)
	// A fault that hits once and stays queued for one more.
	s.InjectFault(connectedtest.Fault{Path: "/connected/account", Status: http.StatusServiceUnavailable, Times: 2})
	api(t, s, http.MethodGet, "/connected/account", "", nil)

	alloc, cancelAlloc := chromedp.NewExecAllocator(t.Context(),
		chromedp.ExecPath(browser),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profileDir(t)),
		chromedp.WindowSize(1280, 900),
	)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancelDeadline := context.WithTimeout(ctx, pageDeadline)
	defer cancelDeadline()

	var mu sync.Mutex
	var pageErrors []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError || e.Type == runtime.APITypeAssert {
				pageErrors = append(pageErrors, "console."+string(e.Type))
			}
		case *runtime.EventExceptionThrown:
			pageErrors = append(pageErrors, "exception: "+e.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			// Failed loads (a 404 script, a blocked resource) land here.
			if e.Entry.Level == log.LevelError {
				pageErrors = append(pageErrors, "log: "+e.Entry.Text+" "+e.Entry.URL)
			}
		}
	})

	root := strings.TrimSuffix(s.URL(), "/v1")
	var shot []byte
	var status, journal string
	err := chromedp.Run(ctx,
		log.Enable(),
		runtime.Enable(),
		chromedp.Navigate(root+"/_sandbox/"),
		// Each appears once the page has polled the control API.
		chromedp.WaitVisible(`tr[data-appointment="`+aptID+`"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#journal .mark.fault[data-fault="status"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#faults tbody tr`, chromedp.ByQuery),
		chromedp.Text(`#status`, &status, chromedp.ByQuery),
		chromedp.Text(`#journal`, &journal, chromedp.ByQuery),
		chromedp.FullScreenshot(&shot, 100), // 100: PNG,
	)
	require.NoError(t, err)
	assert.Equal(t, "live", status)
	assert.Contains(t, journal, "/connected/appointments/{appointment_id}/confirm")
	assert.Contains(t, journal, "idem-browser-1")
	assert.NotContains(t, journal, hold["hold_token"].(string))

	saveArtefact(t, "inspector.png", shot)
	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, pageErrors, "the page loads with no console error")
}

// profileDir is a fresh browser profile. Not t.TempDir: Chromium's helper
// processes may still be writing to it for a moment after the browser has
// exited, and a directory that cannot be removed at once is no failure of
// the page.
func profileDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "dronline-inspector-profile-")
	require.NoError(t, err)
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Logf("browser profile %s not removed: %v", dir, err)
		}
	})
	return dir
}

// saveArtefact keeps a file for a human to look at after the run: in
// $TEST_ARTEFACTS when set (CI uploads it), else in artefacts/ here.
func saveArtefact(t *testing.T, name string, data []byte) {
	t.Helper()
	dir := os.Getenv("TEST_ARTEFACTS")
	if dir == "" {
		dir = "artefacts"
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	t.Logf("screenshot: %s", path)
}
