package io.junction.admin;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Single-instance {@link UsageLimiter}: fixed windows aligned to the clock's minutes, and a
 * running spend per key. A fixed window can admit up to twice the limit across a minute boundary;
 * that is the usual trade for O(1) memory per key.
 */
public final class InMemoryUsageLimiter implements UsageLimiter {
  private static final long WINDOW_MS = 60_000;

  private final Clock clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final Map<String, DoubleAdder> spend = new ConcurrentHashMap<>();

  public InMemoryUsageLimiter(Clock clock) { this.clock = clock; }

  /** Counts per key in the minute starting at {@code startMs}. */
  private static final class Window {
    long startMs;
    int requests;
    long tokens;

    /** Moves to the window containing {@code now}, zeroing the counts if it is a new one. */
    void roll(long now) {
      long start = now - Math.floorMod(now, WINDOW_MS);
      if (start != startMs) {
        startMs = start;
        requests = 0;
        tokens = 0;
      }
    }

    long secondsLeft(long now) {
      return Math.max(1, (startMs + WINDOW_MS - now + 999) / 1000);
    }
  }

  @Override
  public long tryAcquireRequest(String keyId, int rpm) {
    Window w = window(keyId);
    long now = clock.millis();
    synchronized (w) {
      w.roll(now);
      if (w.requests >= rpm) return w.secondsLeft(now);
      w.requests++;
      return 0;
    }
  }

  @Override
  public long tokenWaitSeconds(String keyId, long tpm) {
    Window w = window(keyId);
    long now = clock.millis();
    synchronized (w) {
      w.roll(now);
      return w.tokens >= tpm ? w.secondsLeft(now) : 0;
    }
  }

  @Override
  public void addTokens(String keyId, long tokens) {
    Window w = window(keyId);
    long now = clock.millis();
    synchronized (w) {
      w.roll(now);
      w.tokens += tokens;
    }
  }

  @Override
  public double spentUsd(String keyId) {
    DoubleAdder d = spend.get(keyId);
    return d == null ? 0 : d.sum();
  }

  @Override
  public void addSpend(String keyId, double usd) {
    spend.computeIfAbsent(keyId, k -> new DoubleAdder()).add(usd);
  }

  @Override
  public WindowUsage currentWindow(String keyId) {
    Window w = windows.get(keyId);
    if (w == null) return new WindowUsage(0, 0);
    long now = clock.millis();
    synchronized (w) {
      w.roll(now);
      return new WindowUsage(w.requests, w.tokens);
    }
  }

  private Window window(String keyId) {
    return windows.computeIfAbsent(keyId, k -> new Window());
  }
}
