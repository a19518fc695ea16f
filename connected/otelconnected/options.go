package otelconnected

import (
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Option configures Hooks.
type Option struct {
	apply func(*config)
}

type config struct {
	tracerProvider trace.TracerProvider
	meterProvider  metric.MeterProvider
	propagator     propagation.TextMapPropagator
}

// WithTracerProvider makes the spans with tp instead of the global
// TracerProvider.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return Option{func(c *config) { c.tracerProvider = tp }}
}

// WithMeterProvider records the metrics with mp instead of the global
// MeterProvider.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return Option{func(c *config) { c.meterProvider = mp }}
}

// WithPropagator injects the trace context into each attempt's request
// with p instead of the global TextMapPropagator.
func WithPropagator(p propagation.TextMapPropagator) Option {
	return Option{func(c *config) { c.propagator = p }}
}
