package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected/connectedtest"
	"github.com/dronline/connected-go/internal/rawapi"
	"github.com/dronline/connected-go/internal/sandbox"
)

// pageDeadline bounds a whole browser session, and waitDeadline one wait
// for the page to show something. The page polls every second; both are
// for a wedged browser or a page that never shows what it should, not a
// measure of speed.
const (
	pageDeadline = 3 * time.Minute
	waitDeadline = 30 * time.Second
)

// monday is the sandbox clock's start: a Monday 08:00 in winter, so
// Europe/London is UTC and the working day is ahead.
var monday = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

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

// newSandbox starts the fake with the control API on (behind token when
// it is not ""), its clock frozen at monday.
func newSandbox(t *testing.T, token string) *connectedtest.Server {
	t.Helper()
	s := connectedtest.NewServer(append(
		sandbox.WithControlAPI(token, sandbox.JournalLimits{Entries: 1000}),
		connectedtest.WithStartTime(monday),
	)...)
	t.Cleanup(s.Close)
	return s
}

// root is the sandbox's origin, where /_sandbox/ lives.
func root(s *connectedtest.Server) string { return strings.TrimSuffix(s.URL(), "/v1") }

// short is a key as the journal and the page show it.
func short(key string) string { return "sk_sandbox_…" + key[len(key)-4:] }

// control calls the sandbox's control API and returns the decoded answer
// (nil for 204).
func control(t *testing.T, s *connectedtest.Server, token, method, path string, body any) map[string]any {
	t.Helper()
	var rd io.Reader = http.NoBody
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, root(s)+path, rd)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Less(t, resp.StatusCode, 300, "%s %s: %s", method, path, raw)
	if resp.StatusCode == http.StatusNoContent {
		return nil
	}
	var out map[string]any
	require.NoError(t, json.Unmarshal(raw, &out), "%s", raw)
	return out
}

// journal is every entry of the journal the control API reads with
// query, newest first.
func journal(t *testing.T, s *connectedtest.Server, token, query string) []map[string]any {
	t.Helper()
	l := control(t, s, token, http.MethodGet, "/_sandbox/requests?limit=1000&"+query, nil)
	var out []map[string]any
	for _, e := range l["data"].([]any) {
		out = append(out, e.(map[string]any))
	}
	return out
}

func ids(entries []map[string]any) []string {
	out := []string{}
	for _, e := range entries {
		out = append(out, e["request_id"].(string))
	}
	return out
}

// keep is the entries f keeps, in order.
func keep(entries []map[string]any, f func(map[string]any) bool) []map[string]any {
	var out []map[string]any
	for _, e := range entries {
		if f(e) {
			out = append(out, e)
		}
	}
	return out
}

func newAPI(t *testing.T, s *connectedtest.Server, key string) *rawapi.Client {
	return rawapi.NewClient(t, s.URL(), key)
}

// slotAt is the default catalogue's GP slot of prac_ahmed at start.
func slotAt(start time.Time) string {
	return fmt.Sprintf("slot_aptype_gp15.prac_ahmed.%d", start.Unix())
}

// lost sends a request whose connection the sandbox drops (a drop or a
// lost_response fault): the client gets no answer.
func lost(t *testing.T, s *connectedtest.Server, key, method, path string, body any, header map[string]string) {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(method, s.URL()+path, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	tr := &http.Transport{DisableKeepAlives: true} // no silent retry on a reused connection
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err == nil {
		_ = resp.Body.Close()
	}
	require.Error(t, err, "the sandbox drops the connection")
}

// page is one headless Chromium on the inspector.
type page struct {
	t   *testing.T
	ctx context.Context

	mu     sync.Mutex
	errs   []string
	reads  map[string]int // GETs of the control API answered, by path
	notMod int            // of them, journal reads answered 304
	// atNotMod[i] is reads when the (i+1)th 304 came.
	atNotMod    []map[string]int
	journalURLs []string // the journal reads answered 200
}

type pageOptions struct {
	timezone      string
	width, height int64
}

// open starts Chromium on url, in timezone, and waits for nothing.
func open(t *testing.T, url string, o pageOptions) *page {
	t.Helper()
	browser := findBrowser(t)
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
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(profileDir(t)),
		chromedp.WindowSize(int(o.width), int(o.height)),
	)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancelDeadline := context.WithTimeout(ctx, pageDeadline)
	t.Cleanup(cancelDeadline)

	p := &page{t: t, ctx: ctx, reads: map[string]int{}}
	chromedp.ListenTarget(ctx, p.listen)
	require.NoError(t, chromedp.Run(ctx,
		log.Enable(),
		runtime.Enable(),
		network.Enable(),
		emulation.SetTimezoneOverride(o.timezone),
		emulation.SetLocaleOverride().WithLocale("en-GB"),
		emulation.SetDeviceMetricsOverride(o.width, o.height, 1, false),
		chromedp.Navigate(url),
	))
	return p
}

func (p *page) listen(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.APITypeError || e.Type == runtime.APITypeAssert {
			p.errs = append(p.errs, "console."+string(e.Type))
		}
	case *runtime.EventExceptionThrown:
		p.errs = append(p.errs, "exception: "+e.ExceptionDetails.Text+" "+exceptionText(e.ExceptionDetails))
	case *log.EventEntryAdded:
		// Failed loads (a 404 script, a refused call) land here.
		if e.Entry.Level == log.LevelError {
			p.errs = append(p.errs, "log: "+e.Entry.Text+" "+e.Entry.URL)
		}
	case *network.EventResponseReceived:
		path, query, _ := strings.Cut(strings.TrimPrefix(e.Response.URL, "http://"), "?")
		if i := strings.Index(path, "/_sandbox/"); i >= 0 {
			path = path[i:]
		}
		if e.Type != network.ResourceTypeFetch || !strings.HasPrefix(path, "/_sandbox/") {
			return
		}
		p.reads[path]++
		if path == "/_sandbox/requests" {
			if e.Response.Status == http.StatusNotModified {
				p.notMod++
				snap := map[string]int{}
				for k, v := range p.reads {
					snap[k] = v
				}
				p.atNotMod = append(p.atNotMod, snap)
			} else {
				p.journalURLs = append(p.journalURLs, query)
			}
		}
	}
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d.Exception != nil {
		return d.Exception.Description
	}
	return ""
}

// run runs actions on the page, failing the test on an error.
func (p *page) run(actions ...chromedp.Action) {
	p.t.Helper()
	require.NoError(p.t, chromedp.Run(p.ctx, actions...))
}

// waitFor waits until the JavaScript expression is true, and fails the
// test with what the page shows when it does not become so in time.
func (p *page) waitFor(expr, what string) {
	p.t.Helper()
	var ok bool
	err := chromedp.Run(p.ctx, chromedp.Poll(expr, &ok, chromedp.WithPollingTimeout(waitDeadline)))
	if err != nil {
		var status, banner string
		_ = chromedp.Run(p.ctx, chromedp.Text("#status", &status, chromedp.ByQuery, chromedp.AtLeast(0)),
			chromedp.Evaluate(`document.getElementById("banner").textContent`, &banner))
		p.t.Fatalf("the page never showed %s (%v); status %q, banner %q", what, err, status, banner)
	}
}

// eval evaluates a JavaScript expression into out.
func (p *page) eval(expr string, out any) {
	p.t.Helper()
	p.run(chromedp.Evaluate(expr, out))
}

// rows is the request ids of the journal's rows, top first.
func (p *page) rows() []string {
	var out []string
	p.eval(`[...document.querySelectorAll("#journal tbody tr[data-request-id]")].map(r => r.dataset.requestId)`, &out)
	return out
}

// waitRows waits until the journal's rows are want, in order.
func (p *page) waitRows(want []string, what string) {
	p.t.Helper()
	j, err := json.Marshal(want)
	require.NoError(p.t, err)
	var ok bool
	err = chromedp.Run(p.ctx, chromedp.Poll(
		fmt.Sprintf(`JSON.stringify([...document.querySelectorAll("#journal tbody tr[data-request-id]")].map(r => r.dataset.requestId)) === %q`, j),
		&ok, chromedp.WithPollingTimeout(waitDeadline)))
	if err != nil {
		p.t.Fatalf("%s: the rows never were the %d the control API gives (%v)\nwant %v\ngot  %v", what, len(want), err, want, p.rows())
	}
}

// click clicks the element sel finds once there is one. The page redraws
// its tables when the sandbox changes, so the element is looked up and
// clicked in one step: a node found first could be replaced before a
// mouse event reaches it.
func (p *page) click(sel string) {
	p.t.Helper()
	p.waitFor(fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return false; e.click(); return true; })()`, sel), "something to click at "+sel)
}

// choose sets a filter or form control as a user does, and lets the
// page hear of it.
func (p *page) choose(sel, value string) {
	p.t.Helper()
	p.run(chromedp.Evaluate(fmt.Sprintf(`(() => {
		const e = document.querySelector(%q);
		e.value = %q;
		e.dispatchEvent(new Event(e.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
	})()`, sel, value), nil))
}

// actionDone waits until the page has finished its nth action, and
// returns what it said of it.
func (p *page) actionDone(n int) string {
	p.t.Helper()
	p.waitFor(fmt.Sprintf(`document.getElementById("action-result").dataset.seq === "%d"`, n), fmt.Sprintf("action %d done", n))
	var text, class string
	p.eval(`document.getElementById("action-result").textContent`, &text)
	p.eval(`document.getElementById("action-result").className`, &class)
	require.NotContains(p.t, class, "error", "action %d failed: %s", n, text)
	return text
}

// pageErrors is what went wrong in the page: console errors, exceptions
// and failed loads.
func (p *page) pageErrors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errs...)
}

// overlaps lists, for each selector's elements within each container,
// the pairs whose boxes intersect, the ones not wholly inside their
// container, and the ones whose text is cut.
const overlapsJS = `((container, item) => {
	const bad = [];
	for (const box of document.querySelectorAll(container)) {
		const outer = box.getBoundingClientRect();
		const els = [...box.querySelectorAll(item)];
		const rs = els.map((e) => e.getBoundingClientRect());
		rs.forEach((r, i) => {
			if (r.left < outer.left - 0.5 || r.right > outer.right + 0.5) bad.push("outside: " + els[i].textContent);
			if (els[i].scrollWidth > els[i].clientWidth + 1) bad.push("cut: " + els[i].textContent);
			for (let j = i + 1; j < rs.length; j++) {
				const s = rs[j];
				if (r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom)
					bad.push("overlap: " + JSON.stringify(els[i].textContent) + " and " + JSON.stringify(els[j].textContent));
			}
		});
	}
	return bad;
})`

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
