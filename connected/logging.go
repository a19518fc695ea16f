package connected

import (
	"context"
	"log/slog"
	"time"
)

// logAttempt writes one line per attempt. Only facts about the exchange are
// logged — never a header value, a body, a query value, a patient field or
// the key — so the line is safe in any log pipeline handling health data.
func (c *requestConfig) logAttempt(ctx context.Context, op operation, attempt int, info ResponseInfo, err *Error, took time.Duration, retry bool, wait time.Duration) {
	if c.logger == nil {
		return
	}
	level := slog.LevelInfo
	if err != nil {
		level = slog.LevelWarn
	}
	// Ask first: building the attributes of a line the handler drops
	// would cost every call allocations for nothing.
	if !c.logger.Enabled(ctx, level) {
		return
	}
	msg := "dronline request"
	attrs := []slog.Attr{
		slog.String("method", op.method),
		slog.String("path", op.path),
		slog.Int("status", info.StatusCode),
		slog.String("request_id", info.RequestID),
		slog.Int("attempt", attempt),
		slog.Duration("duration", took),
	}
	if info.Replayed {
		attrs = append(attrs, slog.Bool("replayed", true))
	}
	if err != nil {
		msg = "dronline request failed"
		attrs = append(attrs, slog.String("error_type", string(err.Type)))
		if err.Code != "" {
			attrs = append(attrs, slog.String("error_code", string(err.Code)))
		}
		attrs = append(attrs, slog.Bool("retry", retry))
		if retry {
			attrs = append(attrs, slog.Duration("retry_in", wait))
		}
	}
	c.logger.LogAttrs(ctx, level, msg, attrs...)
}
