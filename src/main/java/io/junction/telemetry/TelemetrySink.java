package io.junction.telemetry;

/**
 * Where the request path reports what happened. Implementations must return at once (no I/O on
 * the caller's thread): they queue, aggregate in memory, and write elsewhere.
 */
public interface TelemetrySink {
  void attempt(AttemptEvent event);

  void request(RequestEvent event);

  /** A request the response cache answered ({@code hit}) or sent on to the providers. */
  default void cache(boolean hit) {}

  /** Where request and attempt spans go ({@link Tracing#NOOP} unless an OTLP endpoint is configured). */
  default Tracing tracing() { return Tracing.NOOP; }

  TelemetrySink NOOP = new TelemetrySink() {
    @Override public void attempt(AttemptEvent event) {}
    @Override public void request(RequestEvent event) {}
  };
}
