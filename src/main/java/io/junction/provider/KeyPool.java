package io.junction.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * A provider's API keys, handed out in rotation, each with its own state: active, cooling down
 * after a 429 (skipped until its Retry-After has passed), or revoked after the upstream refused
 * the key itself (401). A revoked key is not dropped for good: after a cool-down it is due for a
 * re-probe (a model-list call, never billed); the probe's verdict reinstates it or revokes it
 * again for twice as long (up to {@link #MAX_REPROBE_MS}). Indexes identify keys in logs and
 * health — never the key text. Thread-safe without locks.
 */
public final class KeyPool {
  /** {@link #next()} for a provider without keys (keyless local servers). */
  public static final int KEYLESS = -1;
  /** {@link #next()} when every key is cooling down or revoked. */
  public static final int NONE_USABLE = -2;
  /** First wait before a revoked key is probed again. */
  public static final long DEFAULT_REPROBE_MS = 60_000;
  /** Longest wait between probes of a key that keeps being refused. */
  public static final long MAX_REPROBE_MS = 3_600_000;

  private static final long REVOKED = Long.MAX_VALUE;

  private final List<String> keys;
  private final Secrets secrets;
  private final AtomicInteger cursor = new AtomicInteger();
  /** Per key: epoch millis until which it is skipped; 0 = active, {@link #REVOKED} = until a probe says otherwise. */
  private final AtomicLongArray blockedUntil;
  /** Per revoked key: epoch millis when it is due for a re-probe. */
  private final AtomicLongArray reprobeAt;
  /** Per key: consecutive refusals (revocations and failed re-probes), for the doubling wait. */
  private final AtomicIntegerArray strikes;
  /** Per key: 1 while a re-probe is in flight, so one probe runs at a time. */
  private final AtomicIntegerArray probing;
  private final LongSupplier clock;
  private final long reprobeMs;

  public KeyPool(List<String> keys) { this(keys, System::currentTimeMillis, DEFAULT_REPROBE_MS); }

  public KeyPool(List<String> keys, long reprobeMs) { this(keys, System::currentTimeMillis, reprobeMs); }

  KeyPool(List<String> keys, LongSupplier clock) { this(keys, clock, DEFAULT_REPROBE_MS); }

  KeyPool(List<String> keys, LongSupplier clock, long reprobeMs) {
    this.keys = keys == null ? List.of() : List.copyOf(keys);
    this.secrets = new Secrets(this.keys);
    int n = this.keys.size();
    this.blockedUntil = new AtomicLongArray(n);
    this.reprobeAt = new AtomicLongArray(n);
    this.strikes = new AtomicIntegerArray(n);
    this.probing = new AtomicIntegerArray(n);
    this.clock = clock;
    this.reprobeMs = Math.max(1, reprobeMs);
  }

  public int size() { return keys.size(); }

  /** Scrubs upstream answers of this pool's keys (and of anything shaped like a key). */
  public Secrets secrets() { return secrets; }

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

  /** Takes the key out (the upstream refused it) until a re-probe finds it accepted again. */
  public void revoke(int index) {
    if (index < 0) return;
    int n = strikes.incrementAndGet(index);
    long wait = reprobeMs << Math.min(20, n - 1);
    reprobeAt.set(index, clock.getAsLong() + Math.min(MAX_REPROBE_MS, Math.max(reprobeMs, wait)));
    blockedUntil.set(index, REVOKED);
  }

  /**
   * A revoked key whose re-probe is due, claimed for the caller (who must report the outcome with
   * {@link #reprobed}); -1 when none is due.
   */
  public int claimReprobe() {
    long now = clock.getAsLong();
    for (int i = 0; i < keys.size(); i++) {
      if (blockedUntil.get(i) == REVOKED && reprobeAt.get(i) <= now && probing.compareAndSet(i, 0, 1)) return i;
    }
    return -1;
  }

  /**
   * The outcome of a re-probe: {@code accepted} reinstates the key; {@code refused} (the
   * upstream's own 401 again) revokes it for twice as long; neither (no answer, 5xx) tries again
   * after the base wait, keeping the key out meanwhile.
   */
  public void reprobed(int index, boolean accepted, boolean refused) {
    if (index < 0) return;
    try {
      if (accepted) {
        strikes.set(index, 0);
        blockedUntil.set(index, 0);
      } else if (refused) {
        revoke(index);
      } else {
        reprobeAt.set(index, clock.getAsLong() + reprobeMs);
      }
    } finally {
      probing.set(index, 0);
    }
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

  /** The state of one key, for health reports: revoked keys carry the time of their next probe. */
  public record KeyState(int index, String state, long untilMillis) {}

  public List<KeyState> states() {
    long now = clock.getAsLong();
    List<KeyState> out = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      long until = blockedUntil.get(i);
      if (until == REVOKED) out.add(new KeyState(i, "revoked", reprobeAt.get(i)));
      else if (until > now) out.add(new KeyState(i, "cooling", until));
      else out.add(new KeyState(i, "active", 0));
    }
    return out;
  }
}
