package io.junction.telemetry;

import io.junction.store.LogEntry;
import io.junction.store.RequestLogStore;

/**
 * The {@link TelemetrySink} the request path reports to: updates the metrics and queues each
 * request's log row. Every call returns at once; the only I/O happens on the
 * {@link RequestLogWriter}'s thread.
 */
public final class TelemetryService implements TelemetrySink, AutoCloseable {
  private final GatewayMetrics metrics;
  private final RequestLogWriter writer;
  /** Prices the log row's cost breakdown; null logs the total alone. */
  private final Pricing pricing;

  public TelemetryService(GatewayMetrics metrics, RequestLogWriter writer) { this(metrics, writer, null); }

  public TelemetryService(GatewayMetrics metrics, RequestLogWriter writer, Pricing pricing) {
    this.metrics = metrics;
    this.writer = writer;
    this.pricing = pricing;
  }

  /** Logs to {@code logs} with the default queue size, batch size and linger. */
  public static TelemetryService create(GatewayMetrics metrics, RequestLogStore logs) { return create(metrics, logs, null); }

  /** Logs to {@code logs}, each row with its cost breakdown from {@code pricing}. */
  public static TelemetryService create(GatewayMetrics metrics, RequestLogStore logs, Pricing pricing) {
    RequestLogWriter writer = new RequestLogWriter(rows -> logs.insert(rows).join(), metrics::onDropped);
    return new TelemetryService(metrics, writer, pricing);
  }

  @Override
  public void attempt(AttemptEvent event) {
    metrics.onAttempt(event);
  }

  @Override
  public void request(RequestEvent event) {
    metrics.onRequest(event, event.costUsd());
    // The request path priced the total; the parts come from the same catalog. When they differ (a
    // total the path set itself) the row keeps the path's total and no breakdown.
    Price.Cost cost = pricing == null ? null : pricing.bill(event.provider(), event.model(), event.usage());
    boolean same = cost != null && Math.abs(cost.totalUsd() - event.costUsd()) < 1e-12;
    writer.offer(same ? LogEntry.of(event, cost) : LogEntry.of(event, event.costUsd()));
  }

  public GatewayMetrics metrics() { return metrics; }

  /** Writes every queued log row, then stops the writer. The metrics and the store stay open. */
  @Override
  public void close() {
    writer.close();
  }
}
