package io.junction.telemetry;

import io.junction.protocol.Usage;

/**
 * A model's price in USD per 1M tokens. {@code cacheWrite} is the 5-minute cache write,
 * {@code cacheWrite1h} the 1-hour one; {@code reasoning} the price of reasoning tokens (the output
 * price for every model that does not say otherwise). {@code longContext}, when set, replaces the
 * whole price for a request whose prompt (cached tokens included) is over
 * {@code longContextAbove} tokens — the providers bill every token of such a request at it.
 * {@code batch} is the price for the batch/flex tiers, used when the upstream says it served the
 * request on one of them.
 */
public record Price(double input, double output, double cachedInput, double cacheWrite, double cacheWrite1h,
    double reasoning, long longContextAbove, Price longContext, Price batch) {
  private static final double PER_TOKEN = 1e-6;

  public Price {
    requireNonNegative("input", input);
    requireNonNegative("output", output);
    requireNonNegative("cached_input", cachedInput);
    requireNonNegative("cache_write", cacheWrite);
    requireNonNegative("cache_write_1h", cacheWrite1h);
    requireNonNegative("reasoning", reasoning);
    if (longContext != null && longContextAbove <= 0) throw new IllegalArgumentException("long_context.above must be positive");
  }

  /** A flat price: one cache-write price for both TTLs, reasoning billed as output, no tiers. */
  public Price(double input, double output, double cachedInput, double cacheWrite) {
    this(input, output, cachedInput, cacheWrite, cacheWrite, output, 0, null, null);
  }

  /** {@code cachedInput}/{@code cacheWrite} may be null (no discount/surcharge: billed as input). */
  public static Price of(double input, double output, Double cachedInput, Double cacheWrite) {
    return new Price(input, output, cachedInput == null ? input : cachedInput, cacheWrite == null ? input : cacheWrite);
  }

  /** What one call costs, part by part. {@code tier} says which price applied. */
  public record Cost(double inputUsd, double cacheReadUsd, double cacheWriteUsd, double outputUsd, String tier) {
    public static final Cost ZERO = new Cost(0, 0, 0, 0, null);

    public double totalUsd() { return inputUsd + cacheReadUsd + cacheWriteUsd + outputUsd; }
  }

  /**
   * USD for one call, part by part. {@code inputTokens} includes the cache-read and cache-write
   * tokens (see {@link Usage}), so only the remainder is billed at the plain input price; reasoning
   * tokens are part of {@code outputTokens} and billed at {@link #reasoning}.
   */
  public Cost bill(Usage u) {
    String tier = "standard";
    Price p = this;
    if (longContext != null && u.inputTokens() > longContextAbove) {
      p = longContext;
      tier = "long_context";
    }
    if (batch != null && ("batch".equals(u.tier()) || "flex".equals(u.tier()))) {
      p = batch;
      tier = u.tier();
    }
    long uncached = Math.max(0, u.inputTokens() - u.cacheReadTokens() - u.cacheWriteTokens());
    long reasoningTokens = Math.min(u.reasoningTokens(), u.outputTokens());
    return new Cost(
        uncached * p.input * PER_TOKEN,
        u.cacheReadTokens() * p.cachedInput * PER_TOKEN,
        (u.cacheWrite5mTokens() * p.cacheWrite + Math.min(u.cacheWrite1hTokens(), u.cacheWriteTokens()) * p.cacheWrite1h)
            * PER_TOKEN,
        ((u.outputTokens() - reasoningTokens) * p.output + reasoningTokens * p.reasoning) * PER_TOKEN,
        tier);
  }

  /** USD for one call (see {@link #bill}). */
  public double cost(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
    return bill(new Usage(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, 0)).totalUsd();
  }

  private static void requireNonNegative(String field, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(field + " must be a non-negative number, got " + v);
  }
}
