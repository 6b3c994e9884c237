package io.junction.admin;

import io.junction.store.BudgetPeriod;
import io.vertx.core.Future;
import java.util.List;

/**
 * Per-virtual-key rates (rpm, tpm over a sliding minute) and budgets with reservations. Called on
 * the event loop: {@link #admit} answers from memory or in one non-blocking round trip to shared
 * state; {@link #settle} returns at once.
 *
 * <p>A budget admits a call while what was spent plus what calls in flight have reserved is under
 * it; the call then reserves its estimated cost until it is settled. So a burst overspends by at
 * most what the calls in flight cost beyond their estimate, never by a whole burst.
 */
public interface UsageLimiter extends AutoCloseable {

  /** One budget as it applies now: its period's bounds and the spend the database knows of (the seed of a fresh counter). */
  record BudgetWindow(BudgetPeriod period, double limitUsd, long startMs, long endMs, double persistedUsd) {}

  /** What a call asks for: one request against {@code rpm}, the key's minute of tokens under {@code tpm}, and {@code reserveUsd} of each budget. */
  record Check(String keyId, Integer rpm, Long tpm, List<BudgetWindow> budgets, double reserveUsd) {}

  /** Which limit refused a call. */
  enum Limit { RPM, TPM, BUDGET }

  /** What an admitted call holds until it is settled. */
  record Ticket(String keyId, String reservationId, double reservedUsd, List<BudgetWindow> budgets, UsageLimiter by) {}

  /**
   * The answer: {@code ticket} when admitted; else the limit that refused, the seconds until a
   * retry may pass (rates only), and the refusing budget (budgets only).
   */
  record Verdict(Ticket ticket, Limit refused, long retryAfterSeconds, BudgetWindow budget) {
    public boolean admitted() { return ticket != null; }

    static Verdict admit(Ticket t) { return new Verdict(t, null, 0, null); }

    static Verdict rate(Limit l, long retryAfterSeconds) { return new Verdict(null, l, Math.max(1, retryAfterSeconds), null); }

    static Verdict budget(BudgetWindow b) { return new Verdict(null, Limit.BUDGET, 0, b); }
  }

  Future<Verdict> admit(Check check);

  /** Charges a finished call's real tokens and cost, and releases its reservation. */
  void settle(Ticket ticket, long tokens, double costUsd);

  @Override
  default void close() {}

  /** Requests and tokens counted against {@code keyId} in its current window (shown in the console). */
  record WindowUsage(long requests, long tokens) {}

  /** The current window's usage, or null when this limiter cannot tell from memory. */
  default WindowUsage currentWindow(String keyId) { return null; }
}
