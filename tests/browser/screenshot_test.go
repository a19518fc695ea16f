package browser

import (
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/internal/rawapi"
)

// The inspector over a scripted scenario: bookings on two days, one of
// them cancelled, a hold, a confirm whose response is lost and its retry
// replayed, a delay fault, errors, the clock moved. Its timeline's labels
// never overlap, nor its bars, at a desktop's width and at a narrow one.
// The screenshot goes to $INSPECTOR_SCREENSHOT when set (make
// inspector-screenshot: docs/inspector.png, shown in the README), and
// to the test's artefacts always.
func TestInspectorScreenshot(t *testing.T) {
	s := newSandbox(t, "")
	key := s.APIKey()
	api := newAPI(t, s, key)

	step := func(minutes int) { // a scenario takes time
		control(t, s, "", http.MethodPost, "/_sandbox/clock/advance", map[string]any{"seconds": minutes * 60})
	}
	require.Equal(t, http.StatusOK, api.Get("/connected/slots?appointment_type_id=aptype_gp15").Status)
	api.BookAt(monday.Add(2 * time.Hour))
	step(3)
	api.BookAt(monday.Add(26 * time.Hour))
	step(2)
	cancelled := api.BookAt(monday.Add(5 * time.Hour))
	require.Equal(t, http.StatusOK, api.Post("/connected/appointments/"+cancelled.Str("id")+"/cancel", nil).Status)
	step(4)

	// A confirm whose response is lost, retried with the same key.
	control(t, s, "", http.MethodPost, "/_sandbox/faults", map[string]any{"method": "POST", "path": "/connected/appointments/{appointment_id}/confirm", "kind": "lost_response"})
	hold := api.Hold(slotAt(monday.Add(4*time.Hour)), nil)
	body := map[string]any{"patient": rawapi.Patient("jane@example.com"), "external_payment_reference": "pi_42"}
	lost(t, s, key, http.MethodPost, "/connected/appointments/"+hold.Str("appointment_id")+"/confirm", body,
		map[string]string{"X-Appointment-Hold-Token": hold.Str("hold_token"), "Idempotency-Key": "checkout-42"})
	step(1)
	replay := api.Confirm(hold, body, rawapi.Header{K: "Idempotency-Key", V: "checkout-42"})
	require.Equal(t, "true", replay.Header.Get("Idempotent-Replayed"))
	step(5)

	// A slow slot search, errors, a fault still queued, a hold pending.
	control(t, s, "", http.MethodPost, "/_sandbox/faults", map[string]any{"path": "/connected/slots", "kind": "delay", "delay_ms": 300})
	require.Equal(t, http.StatusOK, api.Get("/connected/slots?appointment_type_id=aptype_gp15").Status)
	require.Equal(t, http.StatusNotFound, api.Get("/connected/appointments/apt_nosuch").Status)
	step(2)
	control(t, s, "", http.MethodPost, "/_sandbox/faults", map[string]any{"path": "/connected/account", "kind": "status", "status": 503, "count": 2})
	require.Equal(t, http.StatusServiceUnavailable, api.Get("/connected/account").Status)
	step(1)
	api.Hold(slotAt(monday.Add(27*time.Hour+30*time.Minute)), nil)

	p := open(t, root(s)+"/_sandbox/", pageOptions{timezone: "Europe/London", width: 1400, height: 1000})
	replayID := replay.Header.Get("X-Request-Id")
	p.run(chromedp.WaitVisible(`tr[data-request-id="`+replayID+`"]`, chromedp.ByQuery), chromedp.WaitVisible(".axis .tick", chromedp.ByQuery))
	fields := p.open(replayID)
	assert.Equal(t, "yes: the stored response", fields["replayed"])

	drawn := `[...document.querySelectorAll(".timeline")].every(t => t.dataset.width === String(t.clientWidth))`
	checkTimeline := func(width string) {
		t.Helper()
		p.waitFor(drawn, "the timelines drawn at "+width)
		var ticks, bars []string
		var n int
		p.eval(overlapsJS+`(".axis", ".tick")`, &ticks)
		p.eval(overlapsJS+`(".timeline", ".bar")`, &bars)
		p.eval(`document.querySelectorAll(".axis .tick").length`, &n)
		assert.Empty(t, ticks, "axis labels at %s", width)
		assert.Empty(t, bars, "bars at %s", width)
		assert.GreaterOrEqual(t, n, 2, "an axis has labels at %s", width)
	}
	checkTimeline("1400px")
	var shot []byte
	p.run(chromedp.FullScreenshot(&shot, 100)) // 100: PNG
	saveArtefact(t, "inspector.png", shot)
	if path := os.Getenv("INSPECTOR_SCREENSHOT"); path != "" {
		require.NoError(t, os.WriteFile(path, shot, 0o644)) //nolint:gosec // an image for the README
		t.Logf("screenshot: %s", path)
	}

	for _, w := range []int64{720, 420} {
		p.run(emulation.SetDeviceMetricsOverride(w, 1000, 1, false))
		checkTimeline(map[int64]string{720: "720px", 420: "420px"}[w])
	}
	assert.Empty(t, p.pageErrors(), "the page runs with no console error")
}
