package io.junction.telemetry;

import io.junction.store.LogEntry;
import io.junction.store.RequestLogStore;

/**
 * The {@link TelemetrySink} the request path reports to: prices each request, updates the
 * metrics, and queues its log row. Every call returns at once; the only I/O happens on the
 * {@link RequestLogWriter}'s thread.
 */
public final class TelemetryService implements TelemetrySink, AutoCloseable {
  private final Pricing pricing;
  private final GatewayMetrics metrics;
  private final RequestLogWriter writer;

  public TelemetryService(Pricing pricing, GatewayMetrics metrics, RequestLogWriter writer) {
    this.pricing = pricing;
    this.metrics = metrics;
    this.writer = writer;
  }

  /** Logs to {@code logs} with the default queue size, batch size and linger. */
  public static TelemetryService create(Pricing pricing, GatewayMetrics metrics, RequestLogStore logs) {
    RequestLogWriter writer = new RequestLogWriter(rows -> logs.insert(rows).join(), metrics::onDropped,
        RequestLogWriter.DEFAULT_CAPACITY, RequestLogWriter.DEFAULT_MAX_BATCH, RequestLogWriter.DEFAULT_LINGER, logs::available);
    return new TelemetryService(pricing, metrics, writer);
  }

  @Override
  public void attempt(AttemptEvent event) {
    metrics.onAttempt(event);
  }

  @Override
  public void request(RequestEvent event) {
    double cost = pricing.cost(event.provider(), event.model(), event.usage());
    metrics.onRequest(event, cost);
    writer.offer(LogEntry.of(event, cost));
  }

  public Pricing pricing() { return pricing; }

  public GatewayMetrics metrics() { return metrics; }

  /** Writes every queued log row, then stops the writer. The metrics and the store stay open. */
  @Override
  public void close() {
    writer.close();
  }
}
