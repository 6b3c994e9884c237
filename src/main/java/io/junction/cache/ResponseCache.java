package io.junction.cache;

import io.junction.config.GatewayConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * Where cached answers live: this instance's memory, or Redis when {@code redis.url} is set (then
 * every instance shares them). Neither call ever fails the request: a store that cannot answer is
 * a miss, a store that cannot take an entry drops it.
 */
public interface ResponseCache extends AutoCloseable {

  /** The answer stored under {@code key}, or null (a miss — also when the store failed). Never a failed future. */
  Future<CachedAnswer> get(String key);

  /** Stores {@code answer} under {@code key} for the configured time; failures are counted, not reported. */
  void put(String key, CachedAnswer answer);

  /** Answers larger than this are not recorded at all. */
  int maxEntryBytes();

  @Override
  void close();

  /** The cache {@code config} asks for: in Redis when {@code redisUrl} is set, else in memory. */
  static ResponseCache create(GatewayConfig.Cache config, String redisUrl, Vertx vertx, MeterRegistry registry) {
    if (redisUrl != null) return new RedisCache(vertx, redisUrl, config, registry);
    return new MemoryCache(config, Clock.systemUTC());
  }
}
