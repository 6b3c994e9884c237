package io.junction.routing;

import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.provider.KeyPool;
import io.junction.provider.Provider;
import java.util.List;

/**
 * The attempt sequence for one request, decided one attempt at a time as failures come in: each
 * candidate in order, up to {@code 1 + max_retries} times with the next usable key of its pool;
 * candidates that are unavailable (circuit open, every key cooling or revoked, probe failing) are
 * skipped. It also takes each attempt's outcome back to the breakers, key pools and latency
 * averages. A breaker hears one verdict per request and candidate — retries of one request
 * failing on one input are one failure, not three. Used by one request at a time (its event
 * loop); the state it reports to is shared.
 */
public final class RoutePlan {
  private final String model;
  private final List<Candidate> candidates;
  private final HealthRegistry health;
  private final LatencyTracker latency;
  private final RetryPolicy policy;
  private final long deadlineNanos;
  private int index;
  /** Attempts made on {@code candidates[index]} that count against its {@code max_retries}. */
  private int triesOnCurrent;
  private int number;
  private Attempt previous;
  private Attempt inFlight;
  /** The candidate this request saw failing as unwell; its breaker hears it when the plan leaves it. */
  private Candidate unwell;

  public RoutePlan(String model, List<Candidate> candidates, HealthRegistry health, LatencyTracker latency, RetryPolicy policy) {
    this.model = model;
    this.candidates = candidates;
    this.health = health;
    this.latency = latency;
    this.policy = policy;
    long budgetMs = policy.requestDeadlineMs() > 0 ? policy.requestDeadlineMs()
        : candidates.stream().mapToLong(c -> c.provider().config.timeoutMs()).max().orElse(0);
    this.deadlineNanos = budgetMs > 0 ? System.nanoTime() + budgetMs * 1_000_000 : Long.MAX_VALUE;
  }

  /** The next attempt after {@code last} failed (null for the first), or null when there is none. */
  public Attempt next(Failure last) {
    if (last != null) {
      boolean nextKey = last.keyRejected() && previous.keyIndex() >= 0;
      if (!last.retryable() && !nextKey) return null;
      // This candidate can't take the request at all, or has no connection to spare: the next one may.
      if (last.kind() == Failure.Kind.UNSUPPORTED || last.kind() == Failure.Kind.POOL_FULL) moveOn();
      else if (nextKey) triesOnCurrent--; // a refused key costs no retry: the provider's next key gets its turn
      else if (last.retryAfterMillis() > policy.retryAfterCapMs() && !freshKeyPossible(last)) moveOn();
    }
    while (index < candidates.size()) {
      Candidate c = candidates.get(index);
      Provider p = c.provider();
      if (triesOnCurrent > p.config.maxRetries() || !health.available(c)) {
        moveOn();
        continue;
      }
      int key = p.keys.next();
      if (key == KeyPool.NONE_USABLE) {
        moveOn();
        continue;
      }
      long delay = triesOnCurrent == 0 ? 0 : retryDelay(last, key);
      if (last != null && System.nanoTime() + delay * 1_000_000 >= deadlineNanos) {
        if (delay == 0) return null; // past the deadline: no new attempt at all
        moveOn(); // waiting here would cross it, but another provider may go at once
        continue;
      }
      CircuitBreaker breaker = health.breakerIfAny(c);
      if (breaker != null && !breaker.tryAcquire()) {
        moveOn();
        continue;
      }
      triesOnCurrent++;
      previous = inFlight = new Attempt(c, key, ++number, delay);
      return inFlight;
    }
    reportUnwell();
    return null;
  }

  /**
   * What to tell the client when {@link #next} found nothing: the last failure as is, or — when
   * no attempt could be made at all — 503 naming why, with Retry-After when it is known.
   */
  public GatewayException exhausted(Failure last) {
    if (last != null) return last.error();
    long now = System.currentTimeMillis();
    long soonest = Long.MAX_VALUE;
    for (Candidate c : candidates) {
      long keysBack = c.provider().keys.soonestCooldownEnd();
      CircuitBreaker breaker = health.breakerIfAny(c);
      long breakerBack = breaker == null ? 0 : breaker.retryAt();
      if (keysBack > 0) soonest = Math.min(soonest, keysBack);
      if (breakerBack > 0) soonest = Math.min(soonest, breakerBack);
    }
    GatewayException e = new GatewayException(ErrorKind.OVERLOADED, 503, "provider_unavailable", "model",
        "No provider for model '" + model + "' is available right now (circuit open, keys cooling down or revoked, or failing health checks)");
    if (soonest != Long.MAX_VALUE) e.retryAfterSeconds = Math.max(1, (soonest - now + 999) / 1000);
    return e;
  }

  /** The attempt succeeded: closes its breaker and feeds the latency averages ({@code ttftMs} < 0 if not streamed). */
  public void succeeded(Attempt a, long latencyMs, long ttftMs) {
    settle(a);
    Candidate c = a.candidate();
    unwell = null;
    CircuitBreaker breaker = health.breakerIfAny(c);
    if (breaker != null) breaker.onSuccess();
    latency.record(c.provider().name(), c.upstreamModel(), latencyMs, ttftMs);
  }

  /**
   * The attempt failed: a refused key is revoked, a rate-limited key cools down (when the pool
   * has another), and failures that say the upstream is unwell count against its breaker.
   */
  public void failed(Attempt a, Failure f) {
    settle(a);
    Candidate c = a.candidate();
    KeyPool keys = c.provider().keys;
    CircuitBreaker breaker = health.breakerIfAny(c);
    if (f.keyRejected() && a.keyIndex() >= 0) {
      keys.revoke(a.keyIndex());
      release(breaker);
    } else if (f.status() == 429) {
      // Cooling a pool's only key would just replace the upstream's own answer with a guess.
      if (keys.size() > 1) {
        long ms = f.retryAfterMillis() > 0 ? f.retryAfterMillis() : policy.keyCooldownMs();
        keys.coolDown(a.keyIndex(), System.currentTimeMillis() + ms);
      }
      release(breaker);
    } else if (f.unhealthy()) {
      unwell = c; // the verdict comes when the plan leaves this candidate; a half-open probe slot stays taken till then
    } else if (f.status() > 0) {
      unwell = null;
      if (breaker != null) breaker.onSuccess(); // the upstream answered sensibly, e.g. a 400 for a bad request
    } else {
      release(breaker); // decided locally, no call was made
    }
  }

  /**
   * The request is over (answered, failed, or the client went away): reports a pending failure
   * verdict, and frees the half-open probe slot of an attempt cut short, which proved nothing.
   */
  public void close() {
    reportUnwell();
    if (inFlight != null) release(health.breakerIfAny(inFlight.candidate()));
    inFlight = null;
  }

  private static void release(CircuitBreaker breaker) { if (breaker != null) breaker.release(); }

  public List<Candidate> candidates() { return candidates; }

  private void settle(Attempt a) { if (inFlight == a) inFlight = null; }

  private void reportUnwell() {
    if (unwell != null) health.breaker(unwell.provider(), unwell.upstreamModel()).onFailure();
    unwell = null;
  }

  private void moveOn() {
    reportUnwell();
    index++;
    triesOnCurrent = 0;
  }

  /** A 429's Retry-After is about the key that got it: the pool's next key need not wait for it. */
  private boolean freshKeyPossible(Failure last) { return last.status() == 429 && previous.candidate().provider().keys.size() > 1; }

  private long retryDelay(Failure last, int key) {
    if (last.keyRejected()) return 0;
    long wait = policy.backoffMs(triesOnCurrent);
    boolean sameKeyOrProviderWide = last.status() != 429 || key == previous.keyIndex();
    if (sameKeyOrProviderWide && last.retryAfterMillis() > 0) wait = Math.max(wait, last.retryAfterMillis());
    return wait;
  }
}
