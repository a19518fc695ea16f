package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/internal/contract"
)

// apiClient is the connected.Client of a command, which closes its idle
// connections when it is done.
type apiClient struct {
	*connected.Client
}

func (c *apiClient) close() { c.CloseIdleConnections() }

// baseURLFromEnv is --base-url, else DRONLINE_BASE_URL, else the live base.
func (a *app) baseURLFromEnv() string {
	if a.baseURL != "" {
		return a.baseURL
	}
	if v := a.getenv(connected.EnvBaseURL); v != "" {
		return v
	}
	return connected.DefaultBaseURL
}

// clientFromEnv makes a client from DRONLINE_API_KEY and the base URL.
//
// It mirrors connected.NewClientFromEnv, which reads the process
// environment directly: going through a.getenv lets tests inject the key.
// The key comes only from the environment, never from a flag.
func (a *app) clientFromEnv() (*apiClient, error) {
	key := a.getenv(connected.EnvAPIKey)
	if key == "" {
		return nil, configErrorf("%s is not set: export a %s… key, or run `dronline mock` for a local fake and use the key it prints", connected.EnvAPIKey, contract.SandboxKeyPrefix)
	}
	return a.newClient(key, a.baseURLFromEnv())
}

func (a *app) newClient(key, baseURL string) (*apiClient, error) {
	c, err := a.sdkClient(key, baseURL)
	if err != nil {
		return nil, err
	}
	return &apiClient{Client: c}, nil
}

// sdkClient is the SDK's client for key at baseURL, printing its retries,
// with more options where a command needs them; a setup the SDK refuses
// is a configuration error (exit 3).
func (a *app) sdkClient(key, baseURL string, more ...connected.ClientOption) (*connected.Client, error) {
	opts := append([]connected.ClientOption{connected.WithBaseURL(baseURL), connected.WithHooks(a.retryLines())}, more...)
	c, err := connected.NewClient(key, opts...)
	if err != nil {
		// NewClient's messages name the setting, never the key's value.
		var cfgErr *connected.ConfigError
		if errors.As(err, &cfgErr) {
			return nil, configErrorf("%s %s", cfgErr.Setting, cfgErr.Problem)
		}
		return nil, configErrorf("%v", err)
	}
	return c, nil
}

// retryLines shows each failed attempt that will be retried on stderr, so
// a long wait between retries is explained as it happens. A failure that
// is not retried is not shown here: the command reports it as its error.
// An attempt tells the path template, never an id, a body or the key.
func (a *app) retryLines() connected.Hooks {
	return connected.Hooks{AttemptEnd: func(_ context.Context, at connected.AttemptInfo) {
		if !at.Retry {
			return
		}
		what := "no response"
		if at.StatusCode != 0 {
			what = fmt.Sprintf("HTTP %d", at.StatusCode)
		}
		if at.Err != nil && at.Err.Code != "" {
			what += " " + string(at.Err.Code)
		} else if at.Err != nil && at.StatusCode == 0 {
			what += " (" + at.Err.Message + ")"
		}
		if at.RequestID != "" {
			what += ", request " + at.RequestID
		}
		_, _ = fmt.Fprintf(a.stderr, "retrying %s %s: attempt %d got %s; next attempt in %s\n",
			at.Operation.Method, at.Operation.Path, at.Attempt, what, at.RetryWait.Round(time.Millisecond))
	}}
}
