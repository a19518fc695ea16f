package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/dronline/connected-go/connected"
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
		return nil, configErrorf("%s is not set: export a sk_sandbox_… key, or run `dronline mock` for a local fake and use the key it prints", connected.EnvAPIKey)
	}
	return a.newClient(key, a.baseURLFromEnv())
}

func (a *app) newClient(key, baseURL string) (*apiClient, error) {
	c, err := connected.NewClient(key,
		connected.WithBaseURL(baseURL),
		connected.WithLogger(a.retryLogger()),
	)
	if err != nil {
		// NewClient's messages name the setting, never the key's value.
		var apiErr *connected.Error
		if errors.As(err, &apiErr) {
			return nil, configErrorf("%s", apiErr.Message)
		}
		return nil, configErrorf("%v", err)
	}
	return &apiClient{Client: c}, nil
}

// retryLogger shows each failed attempt that will be retried on stderr, so
// a long wait between retries is explained as it happens. The SDK logs
// successful attempts at Info and failures at Warn; a failure that is not
// retried is dropped here, as the command reports it as its error anyway.
// The SDK never logs bodies, patient fields or the key.
func (a *app) retryLogger() *slog.Logger {
	h := slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelWarn})
	return slog.New(retriesOnly{h})
}

// retriesOnly passes on the records that carry retry=true.
type retriesOnly struct{ slog.Handler }

func (h retriesOnly) Handle(ctx context.Context, r slog.Record) error {
	retry := false
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "retry" {
			retry = a.Value.Kind() == slog.KindBool && a.Value.Bool()
			return false
		}
		return true
	})
	if !retry {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h retriesOnly) WithAttrs(attrs []slog.Attr) slog.Handler {
	return retriesOnly{h.Handler.WithAttrs(attrs)}
}

func (h retriesOnly) WithGroup(name string) slog.Handler {
	return retriesOnly{h.Handler.WithGroup(name)}
}
