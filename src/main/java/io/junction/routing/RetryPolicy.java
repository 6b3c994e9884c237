package io.junction.routing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Waits between attempts. A retry on the same provider waits a full-jitter exponential backoff
 * (random in [0, min(cap, base * 2^(n-1))]) or the upstream's Retry-After if that is longer but
 * within {@code retryAfterCapMs}; a longer Retry-After moves on to the next candidate instead.
 * Moving to another provider never waits. No attempt starts after the request's deadline:
 * {@code requestDeadlineMs} from its start, or when 0 the largest {@code timeout_ms} among its
 * candidates.
 */
public record RetryPolicy(long backoffBaseMs, long backoffCapMs, long retryAfterCapMs, long requestDeadlineMs,
    long keyCooldownMs) {

  public static final RetryPolicy DEFAULT = new RetryPolicy(100, 2_000, 10_000, 0, 30_000);

  /** The wait before retry number {@code retry} (1 = first retry) on the same provider. */
  public long backoffMs(int retry) {
    long ceiling = Math.min(backoffCapMs, backoffBaseMs << Math.min(20, Math.max(0, retry - 1)));
    return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
  }
}
