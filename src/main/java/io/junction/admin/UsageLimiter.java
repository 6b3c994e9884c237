package io.junction.admin;

/**
 * Per-virtual-key request/token rates and spend, consulted on the event loop (so: in memory, or
 * a cached view of shared state). Windows are implementation-defined; {@link InMemoryUsageLimiter}
 * uses fixed one-minute windows.
 */
public interface UsageLimiter {

  /** Counts one request against {@code rpm}; returns 0 when admitted, else the seconds until it would be. */
  long tryAcquireRequest(String keyId, int rpm);

  /** 0 when {@code keyId} has used fewer than {@code tpm} tokens this window, else the seconds until the next one. */
  long tokenWaitSeconds(String keyId, long tpm);

  /** Adds tokens a finished call used to the current window. */
  void addTokens(String keyId, long tokens);

  /** USD spent by {@code keyId} so far (persisted spend included). */
  double spentUsd(String keyId);

  void addSpend(String keyId, double usd);

  /** Requests and tokens counted against {@code keyId} in its current window (shown in the console). */
  record WindowUsage(long requests, long tokens) {}

  /** The current window's usage, or null when this limiter cannot tell from memory. */
  default WindowUsage currentWindow(String keyId) { return null; }
}
