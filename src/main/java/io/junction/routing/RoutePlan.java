package io.junction.routing;

import java.util.List;

/**
 * The attempt sequence for one request: each candidate in order, up to {@code 1 + max_retries}
 * times, with the next key of its pool on each retry; stops at the first non-retryable failure.
 */
public final class RoutePlan {
  private final List<Candidate> candidates;
  private int index;
  private int triesOnCurrent;
  private int number;

  public RoutePlan(List<Candidate> candidates) { this.candidates = candidates; }

  /** The next attempt after {@code last} failed (null for the first), or null when there is none. */
  public Attempt next(Failure last) {
    if (last != null && !last.retryable()) return null;
    while (index < candidates.size()) {
      Candidate c = candidates.get(index);
      if (triesOnCurrent <= c.provider().config.maxRetries()) {
        triesOnCurrent++;
        return new Attempt(c, c.provider().keys.next(), ++number);
      }
      index++;
      triesOnCurrent = 0;
    }
    return null;
  }

  public List<Candidate> candidates() { return candidates; }
}
