package io.junction.admin;

import io.junction.config.GatewayConfig;
import io.junction.auth.KeyAuthenticator;
import io.junction.store.Store;
import io.junction.telemetry.GatewayMetrics;
import io.junction.telemetry.LogRetention;
import io.junction.telemetry.Pricing;
import io.junction.telemetry.TelemetryService;
import io.junction.telemetry.Tracing;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data side of the gateway, built from the config in one call: store, pricing, metrics,
 * telemetry sink, virtual keys, the usage limiter (Redis when {@code redis.url} is set) and the
 * authenticator. {@link #close()} stops them in the order that loses nothing (queued log rows and
 * unsaved key spend are written before the pool closes).
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

  private static final Logger LOG = LoggerFactory.getLogger(DataServices.class);

  /** {@link #start(GatewayConfig, Vertx)} for a config without Redis (tests, tools). */
  public static DataServices start(GatewayConfig config) {
    return start(config, null);
  }

  /**
   * Opens and migrates the database, loads the keys and starts the background tasks. Blocking
   * (run it before serving); throws {@link IllegalStateException}/{@link IllegalArgumentException}
   * with a one-line reason for a bad storage URL, an unreachable database or a bad price override.
   * {@code vertx} runs the Redis client; it is needed only when the config names Redis.
   */
  /** How often the database is probed (and a SQLite file checked): the longest a failure goes unnoticed. */
  static final long WATCH_PERIOD_MS = 1_000;

  public static DataServices start(GatewayConfig config, Vertx vertx) {
    return start(config, vertx, System.getenv());
  }

  /** As {@link #start(GatewayConfig, Vertx)}; tracing is configured from {@code env}'s {@code OTEL_*} variables. */
  public static DataServices start(GatewayConfig config, Vertx vertx, java.util.Map<String, String> env) {
    Pricing pricing = Pricing.load(config.pricing());
    Clock clock = Clock.systemUTC();
    Store store = Store.open(config.storageUrl());
    store.database.watch(WATCH_PERIOD_MS);
    VirtualKeys keys;
    try {
      keys = VirtualKeys.load(store.keys, clock).join();
    } catch (CompletionException e) {
      store.close();
      throw new IllegalStateException("cannot load virtual keys: " + e.getCause().getMessage(), e.getCause());
    }
    GatewayMetrics metrics = new GatewayMetrics();
    InMemoryUsageLimiter local = new InMemoryUsageLimiter(clock);
    UsageLimiter limiter = local;
    if (config.redisUrl() != null) {
      RedisUsageLimiter redis = new RedisUsageLimiter(vertx, config.redisUrl(), local, config.redisFailClosed(), metrics.registry());
      try {
        redis.ready().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Not fatal: limits fall back (or refuse) as in any outage until Redis answers.
        LOG.warn("Redis not reachable at start ({}); limits fall back (or refuse, with fail_closed) until it answers", e.toString());
      }
      limiter = redis;
    }
    return new DataServices(store, pricing, metrics, TelemetryService.create(metrics, store, Tracing.fromEnvironment(env)),
        limiter, keys.start(), new KeyAuthenticator(config.masterKey(), keys, limiter, pricing, clock),
        new LogRetention(store.logs, config.logs().retentionDays(), clock).start());
  }

  @Override
  public void close() {
    retention.close();
    telemetry.close();
    keys.close();
    limiter.close();
    store.close();
    metrics.close();
  }
}
