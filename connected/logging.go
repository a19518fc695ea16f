package connected

import (
	"context"
	"log/slog"
)

// logHooks are the hooks behind WithLogger: one line per attempt. Only
// facts about the exchange are logged — never a header value, a body, a
// query value, a patient field or the key — so the line is safe in any log
// pipeline handling health data.
func logHooks(l *slog.Logger) *Hooks {
	return &Hooks{AttemptEnd: func(ctx context.Context, a AttemptInfo) {
		level := slog.LevelInfo
		if a.Err != nil {
			level = slog.LevelWarn
		}
		// Ask first: building the attributes of a line the handler drops
		// would cost every call allocations for nothing.
		if !l.Enabled(ctx, level) {
			return
		}
		msg := "dronline request"
		attrs := []slog.Attr{
			slog.String("method", a.Operation.Method),
			slog.String("path", a.Operation.Path),
			slog.Int("status", a.StatusCode),
			slog.String("request_id", a.RequestID),
			slog.Int("attempt", a.Attempt),
			slog.Duration("duration", a.Duration),
		}
		if a.Replayed {
			attrs = append(attrs, slog.Bool("replayed", true))
		}
		if a.Err != nil {
			msg = "dronline request failed"
			attrs = append(attrs, slog.String("error_type", string(a.Err.Type)))
			if a.Err.Code != "" {
				attrs = append(attrs, slog.String("error_code", string(a.Err.Code)))
			}
			attrs = append(attrs, slog.Bool("retry", a.Retry))
			if a.Retry {
				attrs = append(attrs, slog.Duration("retry_in", a.RetryWait))
			}
		}
		l.LogAttrs(ctx, level, msg, attrs...)
	}}
}
