package otelconnected

import (
	"context"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"
	"go.opentelemetry.io/otel/trace"

	"github.com/dronline/connected-go/connected"
)

// scope names the tracer and the meter: the instrumentation is this
// package.
const scope = "github.com/dronline/connected-go/connected/otelconnected"

// Hooks returns hooks that trace and measure every call they observe:
// give them to connected.WithHooks, on a client or on a single call.
// Without options they use the global TracerProvider, MeterProvider and
// TextMapPropagator of package otel, as they are when each span starts
// (the global providers delegate to the ones set later).
//
// The tracer and the instruments are made here, once: make the hooks once
// per set of providers and share them between clients.
func Hooks(opts ...Option) connected.Hooks {
	var cfg config
	for _, o := range opts {
		if o.apply != nil { // the zero Option changes nothing
			o.apply(&cfg)
		}
	}
	t := newTelemetry(cfg)
	return connected.Hooks{
		CallStart:    t.callStart,
		AttemptStart: t.attemptStart,
		AttemptEnd:   t.attemptEnd,
		CallEnd:      t.callEnd,
	}
}

// telemetry is what one Hooks value uses.
type telemetry struct {
	tracer     trace.Tracer
	propagator propagation.TextMapPropagator
	// The span options, made once: a variadic slice given to an interface
	// method would otherwise be allocated on every span.
	callSpan, attemptSpan []trace.SpanStartOption

	attemptDuration httpconv.ClientRequestDuration
	callDuration    metric.Float64Histogram
	callAttempts    metric.Int64Histogram
}

// callContext is the context CallStart hands the SDK: the tracer's, which
// carries the call span for OpenTelemetry, and what CallEnd needs. It
// answers for itself under its telemetry's address, so that two Hooks
// values (two sets of providers) on one call never end each other's
// spans; one allocation where context.WithValue and a struct would take
// two on every call.
type callContext struct {
	context.Context
	t    *telemetry
	span trace.Span
	name string
}

type callKey struct{ t *telemetry }

func (c *callContext) Value(key any) any {
	if k, ok := key.(callKey); ok && k.t == c.t {
		return c
	}
	return c.Context.Value(key)
}

// attemptContext is, for one attempt, what callContext is for the call.
// The request is not given to AttemptEnd, so its server is kept from the
// start.
type attemptContext struct {
	context.Context
	t      *telemetry
	span   trace.Span
	method httpconv.RequestMethodAttr
	host   string
	port   int
}

type attemptKey struct{ t *telemetry }

func (a *attemptContext) Value(key any) any {
	if k, ok := key.(attemptKey); ok && k.t == a.t {
		return a
	}
	return a.Context.Value(key)
}

// The semantic conventions' boundaries for HTTP durations; a call's
// retries and waits can last longer, so its histogram goes further.
var (
	attemptBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}
	callBuckets    = append(attemptBuckets[:len(attemptBuckets):len(attemptBuckets)], 30, 60)
	attemptCounts  = []float64{1, 2, 3, 4, 5, 10}
)

func newTelemetry(cfg config) *telemetry {
	tp, mp, prop := cfg.tracerProvider, cfg.meterProvider, cfg.propagator
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	if prop == nil {
		prop = otel.GetTextMapPropagator()
	}
	t := &telemetry{
		tracer:      tp.Tracer(scope, trace.WithInstrumentationVersion(connected.Version), trace.WithSchemaURL(semconv.SchemaURL)),
		propagator:  prop,
		callSpan:    []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindInternal)},
		attemptSpan: []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindClient)},
	}
	meter := mp.Meter(scope, metric.WithInstrumentationVersion(connected.Version), metric.WithSchemaURL(semconv.SchemaURL))
	// An instrument that cannot be made is reported to otel's error handler
	// and left a no-op, as OpenTelemetry's own instrumentations do: tracing
	// must never stop a booking.
	var err error
	if t.attemptDuration, err = httpconv.NewClientRequestDuration(meter, metric.WithExplicitBucketBoundaries(attemptBuckets...)); err != nil {
		otel.Handle(err)
	}
	if t.callDuration, err = meter.Float64Histogram("dronline.client.call.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of Dr.Online Connected API calls, every attempt and wait between them included."),
		metric.WithExplicitBucketBoundaries(callBuckets...)); err != nil {
		otel.Handle(err)
	}
	if t.callAttempts, err = meter.Int64Histogram("dronline.client.call.attempts", metric.WithUnit("{attempt}"),
		metric.WithDescription("Attempts made by Dr.Online Connected API calls."),
		metric.WithExplicitBucketBoundaries(attemptCounts...)); err != nil {
		otel.Handle(err)
	}
	return t
}

func (t *telemetry) callStart(ctx context.Context, call connected.CallInfo) context.Context {
	name := operationName(call.Operation)
	ctx, span := t.tracer.Start(ctx, name, t.callSpan...)
	// Attributes are built only for a span that keeps them: with a no-op
	// provider, or a trace not sampled, the hooks cost next to nothing.
	if span.IsRecording() {
		span.SetAttributes(operationKey.String(name))
	}
	return &callContext{Context: ctx, t: t, span: span, name: name}
}

func (t *telemetry) attemptStart(ctx context.Context, a connected.AttemptInfo) context.Context {
	st := &attemptContext{t: t, method: requestMethod(a.Operation.Method)}
	st.host, st.port = server(a.Request)
	st.Context, st.span = t.tracer.Start(ctx, a.Operation.Method+" "+a.Operation.Path, t.attemptSpan...)
	if st.span.IsRecording() {
		attrs := make([]attribute.KeyValue, 0, 6)
		attrs = append(attrs, methodAttrs(a.Operation.Method)...)
		attrs = append(attrs, semconv.URLTemplate(a.Operation.Path), semconv.ServerAddress(st.host), semconv.ServerPort(st.port))
		if a.Attempt > 1 {
			attrs = append(attrs, semconv.HTTPRequestResendCount(a.Attempt-1))
		}
		st.span.SetAttributes(attrs...)
	}
	// Every attempt carries its own span's context, so the server's spans
	// hang under the attempt that reached it.
	if a.Request != nil {
		t.propagator.Inject(st.Context, propagation.HeaderCarrier(a.Request.Header))
	}
	return st
}

func (t *telemetry) attemptEnd(ctx context.Context, a connected.AttemptInfo) {
	st, _ := ctx.Value(attemptKey{t}).(*attemptContext)
	if st == nil {
		// AttemptStart was not called: the attempt was given up before
		// it was sent, and there is no span to end nor request to measure.
		return
	}
	var errType string
	if a.Err != nil {
		errType = errorType(a.Err)
	}
	if st.span.IsRecording() {
		if a.StatusCode != 0 {
			st.span.SetAttributes(semconv.HTTPResponseStatusCode(a.StatusCode))
		}
		if errType != "" {
			st.span.SetAttributes(semconv.ErrorTypeKey.String(errType))
			st.span.SetStatus(codes.Error, errType)
		}
	}
	st.span.End()

	if !t.attemptDuration.Inst().Enabled(ctx) {
		return
	}
	attrs := make([]attribute.KeyValue, 0, 4)
	attrs = append(attrs, semconv.URLTemplate(a.Operation.Path))
	if a.StatusCode != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(a.StatusCode))
	}
	if errType != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String(errType))
	}
	t.attemptDuration.Record(ctx, a.Duration.Seconds(), st.method, st.host, st.port, attrs...)
}

func (t *telemetry) callEnd(ctx context.Context, call connected.CallInfo) {
	st, _ := ctx.Value(callKey{t}).(*callContext)
	if st == nil {
		return // not started by these hooks
	}
	var errType string
	if call.Err != nil {
		errType = callErrorType(call.Err)
	}
	if st.span.IsRecording() {
		st.span.SetAttributes(attemptsKey.Int(call.Attempts), replayedKey.Bool(call.Replayed), ambiguousKey.Bool(call.Ambiguous))
		if errType != "" {
			st.span.SetAttributes(semconv.ErrorTypeKey.String(errType))
			st.span.SetStatus(codes.Error, errType)
		}
	}
	st.span.End()

	if !t.callDuration.Enabled(ctx) && !t.callAttempts.Enabled(ctx) {
		return
	}
	set := attribute.NewSet(operationKey.String(st.name))
	if errType != "" {
		set = attribute.NewSet(operationKey.String(st.name), semconv.ErrorTypeKey.String(errType))
	}
	t.callDuration.Record(ctx, call.Duration.Seconds(), metric.WithAttributeSet(set))
	t.callAttempts.Record(ctx, int64(call.Attempts), metric.WithAttributeSet(set))
}
