package io.junction.admin;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link UsageLimiter} of one instance, and the fallback of {@link RedisUsageLimiter}: the same
 * sliding windows as the Redis script — requests as a log of their times (at most rpm entries),
 * tokens in one-second buckets over the last minute — and spend per budget period, seeded from the
 * database's figure on first use.
 */
public final class InMemoryUsageLimiter implements UsageLimiter {
  static final long WINDOW_MS = 60_000;

  private final Clock clock;
  private final Map<String, KeyState> keys = new ConcurrentHashMap<>();
  private final AtomicLong reservations = new AtomicLong();

  public InMemoryUsageLimiter(Clock clock) { this.clock = clock; }

  /** One key's counters; guarded by its own monitor. */
  private static final class KeyState {
    final ArrayDeque<Long> requests = new ArrayDeque<>();
    final long[] tokenSecond = new long[60];
    final long[] tokens = new long[60];
    /** Spend per period name: [period start, usd]. */
    final Map<String, double[]> spend = new HashMap<>();
    double reserved;

    long tokensInWindow(long nowSec) {
      long sum = 0;
      for (int i = 0; i < 60; i++) if (tokenSecond[i] > nowSec - 60) sum += tokens[i];
      return sum;
    }

    long oldestTokenSecond(long nowSec) {
      long oldest = nowSec;
      for (int i = 0; i < 60; i++) if (tokens[i] > 0 && tokenSecond[i] > nowSec - 60) oldest = Math.min(oldest, tokenSecond[i]);
      return oldest;
    }

    double spent(BudgetWindow b) {
      double[] s = spend.get(b.period().id());
      if (s == null || s[0] != b.startMs()) {
        s = new double[] {b.startMs(), b.persistedUsd()};
        spend.put(b.period().id(), s);
      }
      return s[1];
    }
  }

  @Override
  public Future<Verdict> admit(Check c) {
    KeyState k = keys.computeIfAbsent(c.keyId(), id -> new KeyState());
    long now = clock.millis();
    long nowSec = Math.floorDiv(now, 1000);
    synchronized (k) {
      for (BudgetWindow b : c.budgets()) {
        if (k.spent(b) + k.reserved >= b.limitUsd()) return Future.succeededFuture(Verdict.budget(b));
      }
      if (c.tpm() != null && k.tokensInWindow(nowSec) >= c.tpm()) {
        return Future.succeededFuture(Verdict.rate(Limit.TPM, k.oldestTokenSecond(nowSec) + 60 - nowSec));
      }
      if (c.rpm() != null) {
        while (!k.requests.isEmpty() && k.requests.peekFirst() <= now - WINDOW_MS) k.requests.pollFirst();
        if (k.requests.size() >= c.rpm()) {
          return Future.succeededFuture(Verdict.rate(Limit.RPM, ceilDiv(k.requests.peekFirst() + WINDOW_MS - now, 1000)));
        }
        k.requests.addLast(now);
      }
      double reserve = c.budgets().isEmpty() ? 0 : c.reserveUsd();
      k.reserved += reserve;
      return Future.succeededFuture(Verdict.admit(
          new Ticket(c.keyId(), "r" + reservations.incrementAndGet(), reserve, c.budgets(), this)));
    }
  }

  @Override
  public WindowUsage currentWindow(String keyId) {
    KeyState k = keys.get(keyId);
    if (k == null) return new WindowUsage(0, 0);
    long now = clock.millis();
    synchronized (k) {
      long requests = k.requests.stream().filter(at -> at > now - WINDOW_MS).count();
      return new WindowUsage(requests, k.tokensInWindow(Math.floorDiv(now, 1000)));
    }
  }

  @Override
  public void settle(Ticket t, long tokens, double costUsd) {
    KeyState k = keys.computeIfAbsent(t.keyId(), id -> new KeyState());
    long nowSec = Math.floorDiv(clock.millis(), 1000);
    synchronized (k) {
      if (tokens > 0) {
        int i = (int) Math.floorMod(nowSec, 60L);
        if (k.tokenSecond[i] != nowSec) {
          k.tokenSecond[i] = nowSec;
          k.tokens[i] = 0;
        }
        k.tokens[i] += tokens;
      }
      k.reserved = Math.max(0, k.reserved - t.reservedUsd());
      for (BudgetWindow b : t.budgets()) {
        double[] s = k.spend.get(b.period().id());
        if (s == null) {
          k.spent(b);
          s = k.spend.get(b.period().id());
        }
        if (s[0] == b.startMs()) s[1] += Math.max(0, costUsd); // a period that ended mid-call is over
      }
    }
  }

  private static long ceilDiv(long a, long b) {
    return Math.max(1, Math.floorDiv(a + b - 1, b));
  }
}
