package io.junction.provider;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A provider's API keys, handed out in rotation. Indexes identify keys in logs and health (never the key). */
public final class KeyPool {
  private final List<String> keys;
  private final AtomicInteger cursor = new AtomicInteger();

  public KeyPool(List<String> keys) { this.keys = keys == null ? List.of() : List.copyOf(keys); }

  public int size() { return keys.size(); }

  /** Index of the next key to use, or -1 when the provider has none (keyless local servers). */
  public int next() {
    if (keys.isEmpty()) return -1;
    return Math.floorMod(cursor.getAndIncrement(), keys.size());
  }

  public String key(int index) { return index < 0 ? null : keys.get(index); }
}
