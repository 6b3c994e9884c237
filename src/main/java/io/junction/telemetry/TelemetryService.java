package io.junction.telemetry;

import io.junction.store.AttemptEntry;
import io.junction.store.LogEntry;
import io.junction.store.Store;
import io.junction.store.TelemetryRow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TelemetrySink} the request path reports to: updates the metrics and queues each
 * request's log row and its attempts' rows. Every call returns at once; the only I/O happens on
 * the {@link RequestLogWriter}'s thread, which also folds the usage rollups.
 */
public final class TelemetryService implements TelemetrySink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TelemetryService.class);

  private final GatewayMetrics metrics;
  private final RequestLogWriter<TelemetryRow> writer;
  private final Tracing tracing;
  /** Prices the log row's cost breakdown; null logs the total alone. */
  private final Pricing pricing;

  public TelemetryService(GatewayMetrics metrics, RequestLogWriter<TelemetryRow> writer, Tracing tracing, Pricing pricing) {
    this.metrics = metrics;
    this.writer = writer;
    this.tracing = tracing;
    this.pricing = pricing;
  }

  /** Logs to {@code store} with the default queue size, batch size and linger; no traces. */
  public static TelemetryService create(GatewayMetrics metrics, Store store) {
    return create(metrics, store, Tracing.NOOP, null);
  }

  /** Logs to {@code store}, each row with its cost breakdown from {@code pricing} (null: the total alone). */
  public static TelemetryService create(GatewayMetrics metrics, Store store, Tracing tracing, Pricing pricing) {
    UsageRollups rollups = new UsageRollups(store.usage);
    RequestLogWriter<TelemetryRow> writer = new RequestLogWriter<>(rows -> write(store, rollups, rows), metrics::onDropped,
        RequestLogWriter.DEFAULT_CAPACITY, RequestLogWriter.DEFAULT_MAX_BATCH, RequestLogWriter.DEFAULT_LINGER, store.logs::available);
    return new TelemetryService(metrics, writer, tracing, pricing);
  }

  /** One batch, on the writer thread: log rows, attempt rows, then the rollups of the log rows. */
  static void write(Store store, UsageRollups rollups, List<TelemetryRow> rows) {
    List<LogEntry> logs = new ArrayList<>(rows.size());
    List<AttemptEntry> attempts = new ArrayList<>();
    for (TelemetryRow r : rows) {
      if (r instanceof LogEntry l) logs.add(l);
      else if (r instanceof AttemptEntry a) attempts.add(a);
    }
    store.logs.insert(logs).join();
    store.logs.insertAttempts(attempts).join();
    try {
      rollups.add(logs);
    } catch (RuntimeException e) {
      // The log rows are in; only this batch's contribution to the usage charts is lost.
      LOG.warn("usage rollup of {} rows failed: {}", logs.size(), e.toString());
    }
  }

  @Override
  public void attempt(AttemptEvent event) {
    metrics.onAttempt(event);
    writer.offer(AttemptEntry.of(event, System.currentTimeMillis()));
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
