package io.junction.protocol;

/**
 * Token usage. {@code inputTokens} counts every prompt token including cached ones (OpenAI's
 * convention); {@code cacheReadTokens}/{@code cacheWriteTokens} say how many of them were read
 * from or written to a prompt cache, and {@code cacheWrite1hTokens} how many of the writes used
 * the 1-hour TTL (Anthropic bills them at 2x input instead of 1.25x). Anthropic reports input
 * without cache tokens: its codec adds them in on decode and subtracts them on encode.
 * {@code reasoningTokens} are part of {@code outputTokens}. {@code tier} is the service tier the
 * upstream says it billed ({@code flex}, {@code batch}, {@code priority}), null for standard.
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
    long reasoningTokens, long cacheWrite1hTokens, String tier) {
  public static final Usage ZERO = new Usage(0, 0, 0, 0, 0);

  public Usage(long inputTokens, long outputTokens) { this(inputTokens, outputTokens, 0, 0, 0); }

  public Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens, long reasoningTokens) {
    this(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens, 0, null);
  }

  public long totalTokens() { return inputTokens + outputTokens; }

  /** Cache writes with the default 5-minute TTL. */
  public long cacheWrite5mTokens() { return Math.max(0, cacheWriteTokens - cacheWrite1hTokens); }

  public Usage withTier(String tier) {
    return new Usage(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens, cacheWrite1hTokens, tier);
  }

  /** Field-wise max: stream usage arrives in pieces (input at start, output at end). */
  public Usage merge(Usage o) {
    if (o == null) return this;
    return new Usage(Math.max(inputTokens, o.inputTokens), Math.max(outputTokens, o.outputTokens),
        Math.max(cacheReadTokens, o.cacheReadTokens), Math.max(cacheWriteTokens, o.cacheWriteTokens),
        Math.max(reasoningTokens, o.reasoningTokens), Math.max(cacheWrite1hTokens, o.cacheWrite1hTokens),
        o.tier != null ? o.tier : tier);
  }
}
