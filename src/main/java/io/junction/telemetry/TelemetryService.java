package io.junction.telemetry;

import io.junction.store.AttemptEntry;
import io.junction.store.LogEntry;
import io.junction.store.Store;
import io.junction.store.TelemetryRow;
import io.junction.store.UsageRollup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@link TelemetrySink} the request path reports to: updates the metrics and queues each
 * request's log row and its attempts' rows. Every call returns at once; the only I/O happens on
 * the {@link RequestLogWriter}'s thread, which also folds the usage rollups.
 */
public final class TelemetryService implements TelemetrySink, AutoCloseable {
  private final GatewayMetrics metrics;
  private final RequestLogWriter<TelemetryRow> writer;
  private final Tracing tracing;
  public TelemetryService(GatewayMetrics metrics, RequestLogWriter<TelemetryRow> writer, Tracing tracing) {
    this.metrics = metrics;
    this.writer = writer;
    this.tracing = tracing;
  }

  /** Logs to {@code store} with the default queue size, batch size and linger; no traces. */
  public static TelemetryService create(GatewayMetrics metrics, Store store) {
    return create(metrics, store, Tracing.NOOP);
  }

  /** Logs to {@code store} and exports spans to {@code tracing}. */
  public static TelemetryService create(GatewayMetrics metrics, Store store, Tracing tracing) {
    UsageRollups rollups = new UsageRollups(store.usage);
    RequestLogWriter<TelemetryRow> writer = new RequestLogWriter<>(rows -> write(store, rollups, rows), metrics::onDropped,
        RequestLogWriter.DEFAULT_CAPACITY, RequestLogWriter.DEFAULT_MAX_BATCH, RequestLogWriter.DEFAULT_LINGER, store.logs::available);
    return new TelemetryService(metrics, writer, tracing);
  }

  /** One batch, on the writer thread: log rows, attempt rows and the usage minutes they touch, in one transaction. */
  static void write(Store store, UsageRollups rollups, List<TelemetryRow> rows) {
    List<LogEntry> logs = new ArrayList<>(rows.size());
    List<AttemptEntry> attempts = new ArrayList<>();
    for (TelemetryRow r : rows) {
      if (r instanceof LogEntry l) logs.add(l);
      else if (r instanceof AttemptEntry a) attempts.add(a);
    }
    Map<UsageRollup.Key, UsageRollup> minutes = rollups.fold(logs);
    try {
      store.writeTelemetry(logs, attempts, rollups.instance(), minutes).join();
    } catch (RuntimeException e) {
      rollups.unsaved(minutes.keySet()); // the writer holds or drops the batch; the minutes must not count it
      throw e;
    }
  }

  /**
   * Counts the attempt; logs a row only for an attempt that failed. The attempt that answered is
   * recorded by its request's log row (provider, model, key index, status, latency), so a request
   * answered at once is one row, not two.
   */
  @Override
  public void attempt(AttemptEvent event) {
    metrics.onAttempt(event);
    if (event.error() != null) writer.offer(AttemptEntry.of(event, System.currentTimeMillis()));
  }

  @Override
  public void request(RequestEvent event) {
    metrics.onRequest(event, event.costUsd());
    writer.offer(LogEntry.of(event));
  }

  @Override
  public void cache(boolean hit) { metrics.onCache(hit); }

  @Override
  public Tracing tracing() { return tracing; }

  public GatewayMetrics metrics() { return metrics; }

  /** Writes every queued row and exports every span, then stops. The metrics and the store stay open. */
  @Override
  public void close() {
    writer.close();
    tracing.close();
  }
}
