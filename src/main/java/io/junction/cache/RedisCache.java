package io.junction.cache;

import io.junction.config.GatewayConfig;
import io.junction.telemetry.GatewayMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache every instance shares: one Redis string per answer ({@code SET key envelope PX ttl}),
 * the key {@code junction:cache:<sha-256>}. Redis expires entries itself; its own {@code maxmemory}
 * policy bounds the total ({@code max_entries} is the in-memory cache's bound).
 *
 * <p>A failed call (refused, reset, no answer within {@link #TIMEOUT_MS}) is counted in
 * {@code junction_redis_errors_total} and read as a miss; for a second after it the cache is not
 * asked at all, so an outage costs requests no waiting, and the next call after that second tries
 * again (recovery needs no restart).
 */
final class RedisCache implements ResponseCache {
  private static final Logger LOG = LoggerFactory.getLogger(RedisCache.class);
  static final String PREFIX = "junction:cache:";
  static final long TIMEOUT_MS = 2_000;
  static final long RETRY_AFTER_FAILURE_MS = 1_000;

  private final Redis redis;
  private final long ttlMillis;
  private final int maxEntryBytes;
  private final Counter errors;
  private final AtomicBoolean degraded = new AtomicBoolean();
  private volatile long skipUntilNanos;

  RedisCache(Vertx vertx, String url, GatewayConfig.Cache config, MeterRegistry registry) {
    this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url)
        .setMaxPoolSize(16).setMaxPoolWaiting(4096).setMaxWaitingHandlers(4096));
    this.ttlMillis = config.ttlSeconds() * 1000;
    this.maxEntryBytes = config.maxEntryBytes();
    this.errors = GatewayMetrics.redisErrors(registry);
  }

  @Override
  public Future<CachedAnswer> get(String key) {
    if (skipping()) return Future.succeededFuture();
    // Back on the caller's context: the stage goes on writing to its client's connection.
    Context caller = Vertx.currentContext();
    Promise<CachedAnswer> answer = Promise.promise();
    send(Request.cmd(Command.GET).arg(PREFIX + key)).onComplete(ar -> {
      CachedAnswer found = null;
      if (ar.failed()) failed(ar.cause());
      else {
        recovered();
        if (ar.result() != null) found = CachedAnswer.decode(ar.result().toBuffer().getBytes());
      }
      CachedAnswer result = found;
      if (caller == null || Vertx.currentContext() == caller) answer.complete(result);
      else caller.runOnContext(v -> answer.complete(result));
    });
    return answer.future();
  }

  @Override
  public void put(String key, CachedAnswer answer) {
    if (answer.body().length > maxEntryBytes || skipping()) return;
    send(Request.cmd(Command.SET).arg(PREFIX + key).arg(Buffer.buffer(answer.encode())).arg("PX").arg(ttlMillis))
        .onComplete(ar -> {
          if (ar.failed()) failed(ar.cause());
          else recovered();
        });
  }

  @Override
  public int maxEntryBytes() { return maxEntryBytes; }

  @Override
  public void close() { redis.close(); }

  private boolean skipping() { return System.nanoTime() < skipUntilNanos; }

  private Future<io.vertx.redis.client.Response> send(Request r) {
    return redis.send(r).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  private void failed(Throwable e) {
    errors.increment();
    skipUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_AFTER_FAILURE_MS);
    if (degraded.compareAndSet(false, true)) {
      LOG.warn("Redis unreachable ({}): the response cache misses until it answers again", e.toString());
    }
  }

  private void recovered() {
    if (degraded.compareAndSet(true, false)) LOG.info("Redis answers again: the response cache is back");
  }
}
