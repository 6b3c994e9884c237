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
 * The {@link TelemetrySink} the request path reports to: prices each request, updates the
 * metrics, and queues its log row and its attempts' rows. Every call returns at once; the only
 * I/O happens on the {@link RequestLogWriter}'s thread, which also folds the usage rollups.
 */
public final class TelemetryService implements TelemetrySink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TelemetryService.class);

  private final Pricing pricing;
  private final GatewayMetrics metrics;
  private final RequestLogWriter<TelemetryRow> writer;
  private final Tracing tracing;

  public TelemetryService(Pricing pricing, GatewayMetrics metrics, RequestLogWriter<TelemetryRow> writer, Tracing tracing) {
    this.pricing = pricing;
    this.metrics = metrics;
    this.writer = writer;
    this.tracing = tracing;
  }

  /** Logs to {@code store} with the default queue size, batch size and linger; no traces. */
  public static TelemetryService create(Pricing pricing, GatewayMetrics metrics, Store store) {
    return create(pricing, metrics, store, Tracing.NOOP);
  }

  public static TelemetryService create(Pricing pricing, GatewayMetrics metrics, Store store, Tracing tracing) {
    UsageRollups rollups = new UsageRollups(store.usage);
    RequestLogWriter<TelemetryRow> writer = new RequestLogWriter<>(rows -> write(store, rollups, rows), metrics::onDropped);
    return new TelemetryService(pricing, metrics, writer, tracing);
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
    double cost = pricing.cost(event.provider(), event.model(), event.usage());
    metrics.onRequest(event, cost);
    writer.offer(LogEntry.of(event, cost));
  }

  @Override
  public Tracing tracing() { return tracing; }

  public Pricing pricing() { return pricing; }

  public GatewayMetrics metrics() { return metrics; }

  /** Writes every queued row and exports every span, then stops. The metrics and the store stay open. */
  @Override
  public void close() {
    writer.close();
    tracing.close();
  }
}
