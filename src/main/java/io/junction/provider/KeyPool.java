package io.junction.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * A provider's API keys, handed out in rotation, each with its own state: active, cooling down
 * after a 429 (skipped until its Retry-After has passed), or revoked after a 401/403 (skipped for
 * good). Indexes identify keys in logs and health — never the key text. Thread-safe without locks.
 */
public final class KeyPool {
  /** {@link #next()} for a provider without keys (keyless local servers). */
  public static final int KEYLESS = -1;
  /** {@link #next()} when every key is cooling down or revoked. */
  public static final int NONE_USABLE = -2;

  private static final long REVOKED = Long.MAX_VALUE;

  private final List<String> keys;
  private final AtomicInteger cursor = new AtomicInteger();
  /** Per key: epoch millis until which it is skipped; 0 = active, {@link #REVOKED} = for good. */
  private final AtomicLongArray blockedUntil;
  private final LongSupplier clock;

  public KeyPool(List<String> keys) { this(keys, System::currentTimeMillis); }

  KeyPool(List<String> keys, LongSupplier clock) {
    this.keys = keys == null ? List.of() : List.copyOf(keys);
    this.blockedUntil = new AtomicLongArray(this.keys.size());
    this.clock = clock;
  }

  public int size() { return keys.size(); }

  /** Every key of the pool, for scrubbing upstream answers that quote one (never for output). */
  public List<String> secrets() { return keys; }

  /** The next usable key's index in rotation, {@link #KEYLESS}, or {@link #NONE_USABLE}. */
  public int next() { return firstUsable(cursor.getAndIncrement()); }

  /**
   * A usable key's index without moving the rotation: side calls (token counts, tests, probes)
   * must not shift which key the next request gets.
   */
  public int peek() { return firstUsable(cursor.get()); }

  private int firstUsable(int start) {
    int n = keys.size();
    if (n == 0) return KEYLESS;
    long now = clock.getAsLong();
    for (int i = 0; i < n; i++) {
      int k = Math.floorMod(start + i, n);
      if (blockedUntil.get(k) <= now) return k;
    }
    return NONE_USABLE;
  }

  public String key(int index) { return index < 0 ? null : keys.get(index); }

  /** Skips the key until {@code untilMillis}; a later cooldown already in place is kept. */
  public void coolDown(int index, long untilMillis) {
    if (index < 0) return;
    blockedUntil.accumulateAndGet(index, untilMillis, Math::max);
  }

  /** Takes the key out for good (the upstream refused it). */
  public void revoke(int index) {
    if (index >= 0) blockedUntil.set(index, REVOKED);
  }

  /** Whether some key can be used now (always true for keyless providers). */
  public boolean usable() {
    long now = clock.getAsLong();
    for (int i = 0; i < keys.size(); i++) if (blockedUntil.get(i) <= now) return true;
    return keys.isEmpty();
  }

  /** When the first cooling key becomes usable again (epoch millis), or -1 if none is cooling. */
  public long soonestCooldownEnd() {
    long soonest = -1;
    long now = clock.getAsLong();
    for (int i = 0; i < keys.size(); i++) {
      long until = blockedUntil.get(i);
      if (until != REVOKED && until > now && (soonest < 0 || until < soonest)) soonest = until;
    }
    return soonest;
  }

  /** Whether every key is revoked (false for keyless providers). */
  public boolean allRevoked() {
    for (int i = 0; i < keys.size(); i++) if (blockedUntil.get(i) != REVOKED) return false;
    return !keys.isEmpty();
  }

  /** The state of one key, for health reports. */
  public record KeyState(int index, String state, long untilMillis) {}

  public List<KeyState> states() {
    long now = clock.getAsLong();
    List<KeyState> out = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      long until = blockedUntil.get(i);
      if (until == REVOKED) out.add(new KeyState(i, "revoked", 0));
      else if (until > now) out.add(new KeyState(i, "cooling", until));
      else out.add(new KeyState(i, "active", 0));
    }
    return out;
  }
}
