package io.junction.protocol;

/**
 * Token usage. {@code inputTokens} counts every prompt token including cached ones (OpenAI's
 * convention); {@code cacheReadTokens}/{@code cacheWriteTokens} say how many of them were read
 * from or written to a prompt cache. Anthropic reports input without cache tokens: its codec adds
 * them in on decode and subtracts them on encode.
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens, long reasoningTokens) {
  public static final Usage ZERO = new Usage(0, 0, 0, 0, 0);

  public Usage(long inputTokens, long outputTokens) { this(inputTokens, outputTokens, 0, 0, 0); }

  public long totalTokens() { return inputTokens + outputTokens; }

  /** Field-wise max: stream usage arrives in pieces (input at start, output at end). */
  public Usage merge(Usage o) {
    if (o == null) return this;
    return new Usage(Math.max(inputTokens, o.inputTokens), Math.max(outputTokens, o.outputTokens),
        Math.max(cacheReadTokens, o.cacheReadTokens), Math.max(cacheWriteTokens, o.cacheWriteTokens),
        Math.max(reasoningTokens, o.reasoningTokens));
  }
}
