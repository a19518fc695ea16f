package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// fetch GETs the official spec. Every error says which of the ways a fetch
// fails happened, because the maintainer's next step differs: retry later,
// fix DRONLINE_SPEC_URL, or ask Dr.Online where the spec moved.
func fetch(ctx context.Context, rawURL string, timeout time.Duration, maxBytes int64) (body []byte, contentType string, err error) {
	shown := redactURL(rawURL)
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, "", fmt.Errorf("invalid spec URL %q: want an http(s) URL", shown)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, "", fmt.Errorf("invalid spec URL %q: %w", shown, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "connected-go-contract-drift")

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("fetching %s: %s", shown, networkReason(err, timeout))
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("fetching %s: HTTP %s (want 200 OK)", shown, resp.Status)
	}
	if resp.ContentLength > maxBytes {
		return nil, "", fmt.Errorf("fetching %s: body too large: %d bytes, the limit is %d", shown, resp.ContentLength, maxBytes)
	}
	body, err = io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("fetching %s: reading the body: %s", shown, networkReason(err, timeout))
	}
	if int64(len(body)) > maxBytes {
		return nil, "", fmt.Errorf("fetching %s: body too large: more than %d bytes", shown, maxBytes)
	}
	return body, resp.Header.Get("Content-Type"), nil
}

// networkReason names the usual network failures in plain words, keeping
// Go's error text for the rest.
func networkReason(err error, timeout time.Duration) string {
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return fmt.Sprintf("network error: timed out after %s", timeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "network error: connection refused"
	case errors.As(err, &dnsErr):
		return "network error: DNS lookup failed: " + dnsErr.Err
	}
	// *url.Error's text repeats the unredacted URL; keep only the cause.
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	return "network error: " + err.Error()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// redactURL drops credentials, query and fragment so that a token someone
// put in DRONLINE_SPEC_URL never reaches a log or a job summary.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	if u.RawQuery != "" {
		u.RawQuery = "REDACTED"
	}
	u.Fragment = ""
	return strings.TrimSpace(u.String())
}
