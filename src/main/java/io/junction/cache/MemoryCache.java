package io.junction.cache;

import io.junction.config.GatewayConfig;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cache of one instance: least recently used first out past {@code max_entries}, each entry
 * dropped when read after its time is up. One lock around a linked hash map: every event loop of
 * the instance shares it, and each operation is a map lookup, far cheaper than the request around it.
 * Memory is bounded by {@code max_entries × max_entry_bytes}.
 */
final class MemoryCache implements ResponseCache {
  private record Stored(CachedAnswer answer, long expiresAtMillis) {}

  private final Clock clock;
  private final long ttlMillis;
  private final int maxEntryBytes;
  private final Map<String, Stored> entries;

  MemoryCache(GatewayConfig.Cache config, Clock clock) {
    this.clock = clock;
    this.ttlMillis = config.ttlSeconds() * 1000;
    this.maxEntryBytes = config.maxEntryBytes();
    int max = config.maxEntries();
    this.entries = new LinkedHashMap<>(16, 0.75f, true) { // access order: a hit makes an entry young again
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Stored> eldest) { return size() > max; }
    };
  }

  @Override
  public Future<CachedAnswer> get(String key) {
    synchronized (entries) {
      Stored e = entries.get(key);
      if (e == null) return Future.succeededFuture();
      if (clock.millis() >= e.expiresAtMillis) {
        entries.remove(key);
        return Future.succeededFuture();
      }
      return Future.succeededFuture(e.answer);
    }
  }

  @Override
  public void put(String key, CachedAnswer answer) {
    if (answer.body().length > maxEntryBytes) return;
    Stored e = new Stored(answer, clock.millis() + ttlMillis);
    synchronized (entries) {
      entries.put(key, e);
    }
  }

  @Override
  public int maxEntryBytes() { return maxEntryBytes; }

  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  @Override
  public void close() {
    synchronized (entries) {
      entries.clear();
    }
  }
}
