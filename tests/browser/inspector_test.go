package browser

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/internal/rawapi"
)

var desktop = pageOptions{timezone: "Asia/Kolkata", width: 1280, height: 900}

// A request opens to all a developer needs to debug it, redacted as the
// journal is, in local times; and once the page has read the sandbox it
// reads again only what changed.
func TestInspectorOpensARequest(t *testing.T) {
	s := newSandbox(t, "")
	key := s.APIKey()
	api := newAPI(t, s, key)
	hold := api.Hold(slotAt(monday.Add(2*time.Hour)), nil)
	body := map[string]any{"patient": map[string]any{"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com",
		"date_of_birth": "1985-12-10", "sex": "female"}, "external_payment_reference": "pi_1"}
	apt := api.Confirm(hold, body, rawapi.Header{K: "Idempotency-Key", V: "idem-browser-1"})
	require.Equal(t, http.StatusOK, apt.Status, "%s", apt.Raw)
	// A fault that hits once and stays queued for one more.
	control(t, s, "", http.MethodPost, "/_sandbox/faults", map[string]any{"path": "/connected/account", "kind": "status", "status": 503, "count": 2})
	require.Equal(t, http.StatusServiceUnavailable, api.Get("/connected/account").Status)

	confirm := journal(t, s, "", "idempotency_key=idem-browser-1")[0]
	failed := journal(t, s, "", "status=503")[0]

	p := open(t, root(s)+"/_sandbox/", desktop)
	p.run(
		chromedp.WaitVisible(`tr[data-appointment="`+apt.Str("id")+`"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#journal .mark.fault[data-fault="status"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#faults tbody tr`, chromedp.ByQuery),
	)
	var status string
	p.run(chromedp.Text("#status", &status, chromedp.ByQuery))
	assert.Equal(t, "live", status)

	// Readable local times: the sandbox's 08:00 UTC is 13:30 in Kolkata.
	var received, clock string
	p.run(chromedp.Text(`tr[data-request-id="`+confirm["request_id"].(string)+`"] td`, &received, chromedp.ByQuery),
		chromedp.Text("#clock", &clock, chromedp.ByQuery))
	assert.Equal(t, "13:30:00.000", received)
	assert.Contains(t, clock, "13:30:00")
	assert.Contains(t, clock, "23 Nov 2026")

	fields := p.open(confirm["request_id"].(string))
	assert.Equal(t, map[string]string{
		"method": "POST", "path": "/v1/connected/appointments/" + hold.Str("appointment_id") + "/confirm",
		"template": "/connected/appointments/{appointment_id}/confirm", "status": "200",
		"request_id": confirm["request_id"].(string), "credential": short(key), "idempotency_key": "idem-browser-1",
		"replayed": "no", "fault": "none", "error_code": "none", "error_message": "none",
	}, without(fields, "received", "took"))
	assert.Regexp(t, `^Mon, 23 Nov 2026, 13:30:00 .*\(sandbox clock\)$`, fields["received"])
	sections := p.sections()
	assert.Contains(t, sections["request-headers"], "idempotency-key idem-browser-1")
	assert.Contains(t, sections["request-headers"], "authorization Bearer sk_sandbox_REDACTED")
	assert.Contains(t, sections["request-headers"], "x-appointment-hold-token REDACTED")
	assert.Contains(t, sections["request_body"], `"last_name": "Lovelace"`)
	assert.Contains(t, sections["response-headers"], "x-request-id "+confirm["request_id"].(string))
	assert.Contains(t, sections["response-headers"], "content-type application/json")
	assert.Contains(t, sections["response_body"], apt.Str("id"))

	fields = p.open(failed["request_id"].(string))
	errEnv := failed["response_body"].(map[string]any)["error"].(map[string]any)
	assert.Equal(t, "503", fields["status"])
	assert.Equal(t, errEnv["code"], fields["error_code"])
	assert.Equal(t, errEnv["message"], fields["error_message"])
	assert.Equal(t, "status ("+failed["fault"].(map[string]any)["id"].(string)+")", fields["fault"])

	// Nothing secret anywhere in the page.
	var html string
	p.run(chromedp.OuterHTML("html", &html, chromedp.ByQuery))
	assert.NotContains(t, html, hold.Str("hold_token"))
	assert.NotContains(t, html, strings.TrimPrefix(key, "sk_sandbox_"))

	// Idle, the page reads the journal and learns that nothing changed
	// (304): no fault list, no state. Three unchanged reads in a row.
	p.waitFor(`Number(document.getElementById("status").dataset.unchanged) >= 3`, "three reads with nothing changed")
	p.mu.Lock()
	require.GreaterOrEqual(t, len(p.atNotMod), 2, "the journal reads answered 304")
	first, last := p.atNotMod[0], p.atNotMod[len(p.atNotMod)-1]
	p.mu.Unlock()
	for _, path := range []string{"/_sandbox/faults", "/_sandbox/state", "/_sandbox/credentials"} {
		assert.Equal(t, first[path], last[path], "%s read while nothing changed", path)
	}
	// One new request: the page reads it alone (after=), and the state.
	newest := api.Get("/connected/practitioners")
	p.run(chromedp.WaitVisible(`tr[data-request-id="`+newest.Header.Get("X-Request-Id")+`"]`, chromedp.ByQuery))
	p.mu.Lock()
	lastRead := p.journalURLs[len(p.journalURLs)-1]
	p.mu.Unlock()
	assert.Contains(t, lastRead, "after="+failed["request_id"].(string), "only what is new since the newest entry")
	assert.Len(t, p.rows(), 4)

	assert.Empty(t, p.pageErrors(), "the page runs with no console error")
}

// open clicks the request's row and returns the detail's fields.
func (p *page) open(requestID string) map[string]string {
	p.t.Helper()
	p.click(`tr[data-request-id="` + requestID + `"]`)
	p.waitFor(fmt.Sprintf(`document.querySelector("#detail [data-field=request_id]")?.textContent === %q`, requestID), "the request opened")
	var fields map[string]string
	p.eval(`Object.fromEntries([...document.querySelectorAll("#detail dd")].map(d => [d.dataset.field, d.textContent]))`, &fields)
	return fields
}

// sections is the detail's headers and bodies, each as its text, a
// header per line as "name value".
func (p *page) sections() map[string]string {
	p.t.Helper()
	var out map[string]string
	p.eval(`Object.fromEntries([...document.querySelectorAll("#detail [data-section]")].map(s =>
		[s.dataset.section, s.tagName === "TABLE" ? [...s.rows].map(r => r.cells[0].textContent + " " + r.cells[1].textContent).join("\n") : s.textContent]))`, &out)
	return out
}

func without(m map[string]string, keys ...string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

// Each filter, and the text search, shows the rows the control API says
// match, newest first, a hundred at a time.
func TestInspectorFilters(t *testing.T) {
	s := newSandbox(t, "")
	key := s.APIKey()
	other := control(t, s, "", http.MethodPost, "/_sandbox/credentials", nil)["api_key"].(string)
	a, b := newAPI(t, s, key), newAPI(t, s, other)

	book := func(c *rawapi.Client, at time.Time, idem, lastName string) {
		body := map[string]any{"patient": map[string]any{"first_name": "Ada", "last_name": lastName, "email": "ada@example.com",
			"date_of_birth": "1985-12-10", "sex": "female"}, "external_payment_reference": "pi_1"}
		r := c.Confirm(c.Hold(slotAt(at), nil), body, rawapi.Header{K: "Idempotency-Key", V: idem})
		require.Equal(t, http.StatusOK, r.Status, "%s", r.Raw)
	}
	book(a, monday.Add(2*time.Hour), "idem-a-1", "Lovelace")
	book(b, monday.Add(3*time.Hour), "idem-b-1", "Hopper")
	require.Equal(t, http.StatusNotFound, a.Get("/connected/appointments/apt_nosuch").Status)
	require.Equal(t, http.StatusUnauthorized, newAPI(t, s, "sk_sandbox_notakeyatallnotakey").Get("/connected/account").Status)
	require.Equal(t, http.StatusUnauthorized, newAPI(t, s, "").Get("/connected/account").Status)
	control(t, s, "", http.MethodPost, "/_sandbox/faults", map[string]any{"path": "/connected/practitioners", "kind": "status", "status": 502})
	require.Equal(t, http.StatusBadGateway, b.Get("/connected/practitioners").Status)
	control(t, s, "", http.MethodPost, "/_sandbox/faults", map[string]any{"path": "/connected/account", "kind": "drop"})
	lost(t, s, key, http.MethodGet, "/connected/account", nil, nil)
	for range 120 { // past a page of rows
		require.Equal(t, http.StatusOK, b.Get("/connected/account").Status)
	}
	all := journal(t, s, "", "")
	require.Equal(t, 129, len(all), "4 for two bookings, 5 errors, 120 reads")

	p := open(t, root(s)+"/_sandbox/", desktop)
	p.waitRows(ids(all[:100]), "no filter")
	p.click("#more:not([hidden])")
	p.waitRows(ids(all), "show more")

	statusClass := func(class string) func(map[string]any) bool {
		return func(e map[string]any) bool {
			st, ok := e["status"].(float64)
			return ok && fmt.Sprint(int(st))[:1] == class
		}
	}
	cases := []struct {
		name, sel, value string
		want             []map[string]any
	}{
		{"4xx", "#f-status", "4", keep(all, statusClass("4"))},
		{"5xx", "#f-status", "5", keep(all, statusClass("5"))},
		{"no response", "#f-status", "none", journal(t, s, "", "status=0")},
		{"template", "#f-template", "/connected/appointments/{appointment_id}/confirm",
			journal(t, s, "", "path=/connected/appointments/{appointment_id}/confirm")},
		{"credential", "#f-credential", short(key), keep(all, func(e map[string]any) bool { return e["credential"] == short(key) })},
		{"no key", "#f-credential", "none", keep(all, func(e map[string]any) bool { return e["credential"] == nil })},
		{"idempotency key", "#f-idem", "idem-b-1", journal(t, s, "", "idempotency_key=idem-b-1")},
		{"search a body", "#f-search", "hopper", keep(all, func(e map[string]any) bool {
			return strings.Contains(strings.ToLower(fmt.Sprint(e["request_body"], e["response_body"])), "hopper")
		})},
		{"search an error code", "#f-search", "resource_missing", keep(all, func(e map[string]any) bool {
			return strings.Contains(fmt.Sprint(e["response_body"]), "resource_missing")
		})},
	}
	for _, c := range cases {
		require.NotEmpty(t, c.want, c.name)
		require.Less(t, len(c.want), len(all), c.name)
		p.choose(c.sel, c.value)
		p.waitRows(ids(c.want), c.name)
		p.choose(c.sel, "")
		p.waitRows(ids(all[:100]), c.name+" cleared")
	}

	// Together, and paged: the other credential's successes.
	p.choose("#f-credential", short(other))
	p.choose("#f-status", "2")
	both := keep(all, func(e map[string]any) bool { return e["credential"] == short(other) && statusClass("2")(e) })
	require.Greater(t, len(both), 100)
	p.waitRows(ids(both[:100]), "credential and status")
	p.click("#more:not([hidden])")
	p.waitRows(ids(both), "credential and status, all")

	// Text search typed as a user types it: a request id.
	p.choose("#f-credential", "")
	p.choose("#f-status", "")
	target := all[60]["request_id"].(string)
	p.run(chromedp.SendKeys("#f-search", target, chromedp.ByQuery))
	p.waitRows([]string{target}, "search a request id")

	assert.Empty(t, p.pageErrors(), "the page runs with no console error")
}

// Each action drives the sandbox through the control API, which says it
// was done.
func TestInspectorActions(t *testing.T) {
	s := newSandbox(t, "")
	api := newAPI(t, s, s.APIKey())
	booked := api.BookAt(monday.Add(2 * time.Hour))
	require.Equal(t, http.StatusOK, api.Get("/connected/account").Status)

	p := open(t, root(s)+"/_sandbox/", desktop)
	p.run(chromedp.WaitVisible(`tr[data-appointment="`+booked.Str("id")+`"]`, chromedp.ByQuery))

	// Move the clock 90 minutes.
	p.choose("#advance-amount", "90")
	p.choose("#advance-unit", "60")
	p.run(chromedp.Click("#advance-form button", chromedp.ByQuery))
	assert.Equal(t, "Clock moved 1 h 30 min ahead.", p.actionDone(1))
	assert.EqualValues(t, 5400, control(t, s, "", http.MethodGet, "/_sandbox/clock", nil)["offset_seconds"])
	p.waitFor(`document.getElementById("offset").textContent === "(moved 1 h 30 min ahead)"`, "the clock moved")
	p.waitFor(`document.getElementById("clock").textContent.includes("15:00:00")`, "the clock at 15:00 in Kolkata")

	// Add a status fault and a delay fault.
	p.choose("#fault-method", "GET")
	p.choose("#fault-path", "/connected/account")
	p.choose("#fault-status", "429")
	p.choose("#fault-count", "2")
	p.run(chromedp.Click(`#fault-form button[type=submit]`, chromedp.ByQuery))
	said := p.actionDone(2)
	faults := control(t, s, "", http.MethodGet, "/_sandbox/faults", nil)["data"].([]any)
	require.Len(t, faults, 1)
	f := faults[0].(map[string]any)
	assert.Equal(t, "Fault "+f["id"].(string)+" added.", said)
	assert.Equal(t, map[string]any{"method": "GET", "path": "/connected/account", "kind": "status", "status": 429.0, "count": 2.0},
		map[string]any{"method": f["method"], "path": f["path"], "kind": f["kind"], "status": f["status"], "count": f["count"]})
	p.run(chromedp.WaitVisible(`#faults tr[data-fault-id="`+f["id"].(string)+`"]`, chromedp.ByQuery))

	p.choose("#fault-method", "")
	p.choose("#fault-path", "/connected/slots")
	p.choose("#fault-kind", "delay")
	p.choose("#fault-delay", "1500")
	p.choose("#fault-count", "1")
	p.run(chromedp.Click(`#fault-form button[type=submit]`, chromedp.ByQuery))
	p.actionDone(3)
	faults = control(t, s, "", http.MethodGet, "/_sandbox/faults", nil)["data"].([]any)
	require.Len(t, faults, 2)
	delay := faults[1].(map[string]any)
	assert.Equal(t, "delay", delay["kind"])
	assert.EqualValues(t, 1500, delay["delay_ms"])
	assert.Nil(t, delay["method"])

	// Remove the status fault; the delay stays.
	p.click(`button[data-remove="` + f["id"].(string) + `"]`)
	assert.Equal(t, "Fault "+f["id"].(string)+" removed.", p.actionDone(4))
	faults = control(t, s, "", http.MethodGet, "/_sandbox/faults", nil)["data"].([]any)
	require.Len(t, faults, 1)
	assert.Equal(t, delay["id"], faults[0].(map[string]any)["id"])
	p.waitFor(`document.querySelectorAll("#faults tbody tr").length === 1`, "one fault left")

	// Clear the journal.
	require.NotEmpty(t, journal(t, s, "", ""))
	p.run(chromedp.Click("#clear-journal", chromedp.ByQuery))
	assert.Equal(t, "Journal cleared.", p.actionDone(5))
	assert.Empty(t, journal(t, s, "", ""))
	p.run(chromedp.WaitVisible("#journal-empty", chromedp.ByQuery))
	assert.Empty(t, p.rows())
	// A request after it shows, alone.
	require.Equal(t, http.StatusOK, api.Get("/connected/account").Status)
	p.waitRows(ids(journal(t, s, "", "")), "the one request after the clear")

	// Reset everything: the booking, the clock, the faults, the journal.
	p.run(chromedp.Click("#reset-form button", chromedp.ByQuery))
	assert.Equal(t, "Sandbox reset.", p.actionDone(6))
	assert.EqualValues(t, 0, control(t, s, "", http.MethodGet, "/_sandbox/clock", nil)["offset_seconds"])
	assert.Empty(t, control(t, s, "", http.MethodGet, "/_sandbox/faults", nil)["data"])
	assert.Empty(t, journal(t, s, "", ""))
	state := control(t, s, "", http.MethodGet, "/_sandbox/state?api_key="+s.APIKey(), nil)
	assert.Empty(t, state["appointments"])
	p.waitFor(`!document.querySelector("tr[data-appointment]") && !document.querySelector("#faults tbody tr")`, "the reset state")
	p.run(chromedp.WaitVisible("#faults-empty", chromedp.ByQuery), chromedp.WaitVisible("#journal-empty", chromedp.ByQuery))
	p.waitFor(`document.getElementById("offset").textContent === ""`, "the clock rewound")

	assert.Empty(t, p.pageErrors(), "the page runs with no console error")
}

// Without the control token the page says so, and shows nothing that
// could pass for the sandbox's state; given the token, it reads it.
func TestInspectorWithoutTheToken(t *testing.T) {
	const token = "ctl-browser-token"
	s := newSandbox(t, token)
	require.Equal(t, http.StatusOK, newAPI(t, s, s.APIKey()).Get("/connected/account").Status)

	p := open(t, root(s)+"/_sandbox/", desktop)
	p.run(chromedp.WaitVisible(`#status[data-state="unauthorised"]`, chromedp.ByQuery), chromedp.WaitVisible("#banner", chromedp.ByQuery))
	var banner string
	var mainHidden bool
	p.run(chromedp.Text("#banner", &banner, chromedp.ByQuery))
	p.eval(`document.getElementById("main").hidden`, &mainHidden)
	assert.Contains(t, banner, "needs its token, and this page has none")
	assert.Contains(t, banner, "/_sandbox/#token=TOKEN")
	assert.NotContains(t, banner, "cannot reach")
	assert.True(t, mainHidden, "no empty fault list, no empty journal")
	var visible []string
	p.eval(`[...document.querySelectorAll(".empty")].filter(e => e.offsetParent !== null).map(e => e.textContent)`, &visible)
	assert.Empty(t, visible, "no 'No fault queued.', no 'No request yet.'")

	// A wrong token is refused too, and said so.
	p.run(chromedp.Evaluate(`location.hash = "token=wrong"`, nil))
	p.waitFor(`document.getElementById("banner").textContent.includes("refused the one this page has")`, "the wrong token refused")

	// The token in the fragment: the page reads the sandbox.
	p.run(chromedp.Evaluate(`location.hash = "token=`+token+`"`, nil))
	p.run(chromedp.WaitVisible(`#status[data-state="live"]`, chromedp.ByQuery), chromedp.WaitVisible("#journal tbody tr", chromedp.ByQuery))
	var bannerHidden bool
	p.eval(`document.getElementById("banner").hidden`, &bannerHidden)
	assert.True(t, bannerHidden)

	// The sandbox gone: the page says it cannot reach it, not that it
	// lacks a token, and keeps what it showed, greyed.
	s.Close()
	p.run(chromedp.WaitVisible(`#status[data-state="unreachable"]`, chromedp.ByQuery), chromedp.WaitVisible("#banner", chromedp.ByQuery))
	p.run(chromedp.Text("#banner", &banner, chromedp.ByQuery))
	assert.Contains(t, banner, "Cannot reach the sandbox at "+root(s))
	assert.NotContains(t, banner, "token")
	p.run(chromedp.WaitVisible("main.stale #journal tbody tr", chromedp.ByQuery))

	// Only the refusals (401) and the closed server (refused, or a call
	// in flight cut) may be logged: nothing else went wrong.
	for _, e := range p.pageErrors() {
		assert.Regexp(t, regexp.MustCompile(`^log: Failed to load resource: (the server responded with a status of 401|net::ERR_[A-Z_]+) `), e)
	}
}
