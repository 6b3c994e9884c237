package io.junction.admin;

import io.junction.config.GatewayConfig;
import io.junction.auth.KeyAuthenticator;
import io.junction.store.Store;
import io.junction.telemetry.GatewayMetrics;
import io.junction.telemetry.LogRetention;
import io.junction.telemetry.Pricing;
import io.junction.telemetry.TelemetryService;
import java.time.Clock;
import java.util.concurrent.CompletionException;

/**
 * The data side of the gateway, built from the config in one call: store, pricing, metrics,
 * telemetry sink, virtual keys and the authenticator. {@link #close()} stops them in the order
 * that loses nothing (queued log rows and unsaved key spend are written before the pool closes).
 */
public record DataServices(
    Store store,
    Pricing pricing,
    GatewayMetrics metrics,
    TelemetryService telemetry,
    UsageLimiter limiter,
    VirtualKeys keys,
    KeyAuthenticator authenticator,
    LogRetention retention) implements AutoCloseable {

  /**
   * Opens and migrates the database, loads the keys and starts the background tasks. Blocking
   * (run it before serving); throws {@link IllegalStateException}/{@link IllegalArgumentException}
   * with a one-line reason for a bad storage URL, an unreachable database or a bad price override.
   */
  /** How often the database is probed (and a SQLite file checked): the longest a failure goes unnoticed. */
  static final long WATCH_PERIOD_MS = 1_000;

  public static DataServices start(GatewayConfig config) {
    Pricing pricing = Pricing.load(config.pricing());
    Clock clock = Clock.systemUTC();
    Store store = Store.open(config.storageUrl());
    store.database.watch(WATCH_PERIOD_MS);
    UsageLimiter limiter = new InMemoryUsageLimiter(clock);
    VirtualKeys keys;
    try {
      keys = VirtualKeys.load(store.keys, limiter, clock).join();
    } catch (CompletionException e) {
      store.close();
      throw new IllegalStateException("cannot load virtual keys: " + e.getCause().getMessage(), e.getCause());
    }
    GatewayMetrics metrics = new GatewayMetrics();
    return new DataServices(store, pricing, metrics, TelemetryService.create(metrics, store.logs),
        limiter, keys.start(), new KeyAuthenticator(config.masterKey(), keys, limiter),
        new LogRetention(store.logs, config.logs().retentionDays(), clock).start());
  }

  @Override
  public void close() {
    retention.close();
    telemetry.close();
    keys.close();
    store.close();
    metrics.close();
  }
}
