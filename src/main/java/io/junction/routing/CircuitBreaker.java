package io.junction.routing;

import java.util.function.LongSupplier;

/**
 * A circuit breaker for one provider+model. Closed, it lets everything through and opens after
 * {@code failureThreshold} consecutive failures, or when more than half of the last
 * {@link #WINDOW} outcomes failed. Open, it refuses calls for {@code cooldownMs}; then one probe
 * call goes through (half-open): its success closes the breaker, its failure opens it again.
 * A probe that never reports back (client gone) frees its slot after another cooldown.
 */
public final class CircuitBreaker {
  public enum State { CLOSED, OPEN, HALF_OPEN }

  static final int WINDOW = 20;
  /** The error-rate rule needs this many outcomes in the window before it can trip. */
  static final int MIN_VOLUME = WINDOW;

  private final int failureThreshold;
  private final long cooldownMs;
  private final LongSupplier clock;

  private State state = State.CLOSED;
  private int consecutiveFailures;
  /** Ring buffer of recent outcomes (true = failure). */
  private final boolean[] window = new boolean[WINDOW];
  private int windowCount;
  private int windowNext;
  private int windowFailures;
  private long openedAt;
  private long probeStartedAt;

  /** {@code failureThreshold} 0 disables the breaker: it stays closed. */
  public CircuitBreaker(int failureThreshold, long cooldownMs, LongSupplier clock) {
    this.failureThreshold = failureThreshold;
    this.cooldownMs = cooldownMs;
    this.clock = clock;
  }

  /** Whether a call may go now; in half-open state only one caller gets a yes. */
  public synchronized boolean tryAcquire() {
    long now = clock.getAsLong();
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (now - openedAt < cooldownMs) return false;
        state = State.HALF_OPEN;
        probeStartedAt = now;
        return true;
      default: // HALF_OPEN: one probe at a time, unless the last one went silent
        if (now - probeStartedAt < cooldownMs) return false;
        probeStartedAt = now;
        return true;
    }
  }

  /** Whether {@link #tryAcquire()} would say yes now (no side effect). */
  public synchronized boolean wouldAllow() {
    long now = clock.getAsLong();
    return switch (state) {
      case CLOSED -> true;
      case OPEN -> now - openedAt >= cooldownMs;
      case HALF_OPEN -> now - probeStartedAt >= cooldownMs;
    };
  }

  public synchronized void onSuccess() {
    consecutiveFailures = 0;
    record(false);
    if (state != State.CLOSED) close();
  }

  public synchronized void onFailure() {
    if (failureThreshold <= 0) return;
    consecutiveFailures++;
    record(true);
    if (state == State.HALF_OPEN) {
      open();
    } else if (state == State.CLOSED && (consecutiveFailures >= failureThreshold
        || (windowCount >= MIN_VOLUME && windowFailures * 2 > windowCount))) {
      open();
    }
  }

  /** A call that says nothing about health (client gone, key refused) frees a half-open probe slot. */
  public synchronized void release() {
    if (state == State.HALF_OPEN) probeStartedAt = clock.getAsLong() - cooldownMs;
  }

  public synchronized State state() {
    return state == State.OPEN && clock.getAsLong() - openedAt >= cooldownMs ? State.HALF_OPEN : state;
  }

  /** Epoch millis (of the clock) when an open breaker lets a probe through; 0 when not open. */
  public synchronized long retryAt() { return state == State.OPEN ? openedAt + cooldownMs : 0; }

  private void record(boolean failure) {
    if (windowCount == WINDOW && window[windowNext]) windowFailures--;
    window[windowNext] = failure;
    if (failure) windowFailures++;
    windowNext = (windowNext + 1) % WINDOW;
    if (windowCount < WINDOW) windowCount++;
  }

  private void open() {
    state = State.OPEN;
    openedAt = clock.getAsLong();
  }

  private void close() {
    state = State.CLOSED;
    consecutiveFailures = 0;
    windowCount = 0;
    windowNext = 0;
    windowFailures = 0;
  }
}
