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

  public TelemetryService(GatewayMetrics metrics, RequestLogWriter writer) {
    this.metrics = metrics;
    this.writer = writer;
  }

  /** Logs to {@code logs} with the default queue size, batch size and linger. */
  public static TelemetryService create(GatewayMetrics metrics, RequestLogStore logs) {
    RequestLogWriter writer = new RequestLogWriter(rows -> logs.insert(rows).join(), metrics::onDropped,
        RequestLogWriter.DEFAULT_CAPACITY, RequestLogWriter.DEFAULT_MAX_BATCH, RequestLogWriter.DEFAULT_LINGER, logs::available);
    return new TelemetryService(metrics, writer);
  }

  @Override
  public void attempt(AttemptEvent event) {
    metrics.onAttempt(event);
  }

  @Override
  public void request(RequestEvent event) {
    metrics.onRequest(event, event.costUsd());
    writer.offer(LogEntry.of(event, event.costUsd()));
  }

  public GatewayMetrics metrics() { return metrics; }

  /** Writes every queued log row, then stops the writer. The metrics and the store stay open. */
  @Override
  public void close() {
    writer.close();
  }
}
