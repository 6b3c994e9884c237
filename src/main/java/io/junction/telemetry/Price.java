package io.junction.telemetry;

/** A model's price in USD per 1M tokens. Cache prices default to the input price when a catalog entry has none. */
public record Price(double input, double output, double cachedInput, double cacheWrite) {
  private static final double PER_TOKEN = 1e-6;

  public Price {
    requireNonNegative("input", input);
    requireNonNegative("output", output);
    requireNonNegative("cached_input", cachedInput);
    requireNonNegative("cache_write", cacheWrite);
  }

  /** {@code cachedInput}/{@code cacheWrite} may be null (no discount/surcharge: billed as input). */
  public static Price of(double input, double output, Double cachedInput, Double cacheWrite) {
    return new Price(input, output, cachedInput == null ? input : cachedInput, cacheWrite == null ? input : cacheWrite);
  }

  /**
   * USD for one call. {@code inputTokens} includes the cache-read and cache-write tokens (see
   * {@link io.junction.protocol.Usage}), so only the remainder is billed at the plain input price.
   * Reasoning tokens are part of {@code outputTokens} and billed as output.
   */
  public double cost(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
    long uncached = Math.max(0, inputTokens - cacheReadTokens - cacheWriteTokens);
    return (uncached * input + cacheReadTokens * cachedInput + cacheWriteTokens * cacheWrite + outputTokens * output)
        * PER_TOKEN;
  }

  private static void requireNonNegative(String field, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(field + " must be a non-negative number, got " + v);
  }
}
