package connected

import (
	"fmt"
	"net/http"
	"net/url"
)

// The SDK follows no redirect. The API never redirects, so a 3xx comes from
// something else (a misconfigured base URL, a proxy, a captive portal), and
// following it would send the key, and a POST's body and Idempotency-Key,
// wherever it points: net/http drops Authorization on a redirect only when
// the host name changes, not when the scheme or the port does. Not
// following is what keeps the key on the base URL's origin (scheme, host
// and port) with any *http.Client, the caller's included: every request is
// built against the base URL and is never sent anywhere else.

// refuseRedirects is the CheckRedirect of every *http.Client the SDK sends
// with: the 3xx response itself comes back to the engine, which turns it
// into an *Error.
func refuseRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// withoutRedirects returns a shallow copy of hc that follows no redirect.
// hc itself is not changed (it may be shared with other code that relies on
// its own policy); the copy shares hc's Transport, Jar and Timeout.
func withoutRedirects(hc *http.Client) *http.Client {
	cp := *hc
	cp.CheckRedirect = refuseRedirects
	return &cp
}

// isRedirect reports a 3xx status.
func isRedirect(status int) bool { return status >= 300 && status <= 399 }

// redirectError describes a 3xx answer. It names where the redirect
// pointed, without the Location's query, fragment or credentials, which
// may hold secrets.
func redirectError(resp *http.Response) *Error {
	where := "with no Location"
	if resp.Header.Get("Location") != "" {
		if u, err := resp.Location(); err == nil {
			where = "to " + withoutSecrets(u)
		} else {
			where = "to an unreadable Location"
		}
	}
	return &Error{
		Type: ErrorTypeAPI, StatusCode: resp.StatusCode, RequestID: resp.Header.Get("X-Request-Id"),
		Message: fmt.Sprintf("redirect %s not followed: the API never redirects, so the SDK follows no redirect (check the base URL)", where),
	}
}

func withoutSecrets(u *url.URL) string {
	safe := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	return safe.String()
}
