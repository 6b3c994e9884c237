package io.junction.protocol;

/**
 * Reasoning request. {@code effort} is OpenAI's low/medium/high (or minimal); {@code budgetTokens}
 * is Anthropic/Gemini's thinking budget. Codecs derive one from the other when only one is given.
 */
public record Reasoning(String effort, Integer budgetTokens, boolean includeThoughts) {
  /** Typical budget for an effort level, used when translating effort into a token budget. */
  public int budgetOrDefault() {
    if (budgetTokens != null) return budgetTokens;
    if (effort == null) return 2048;
    return switch (effort) {
      case "minimal" -> 1024;
      case "low" -> 2048;
      case "high" -> 16384;
      default -> 8192;
    };
  }

  /** Effort level for a token budget, used when translating a budget into OpenAI's effort. */
  public String effortOrDefault() {
    if (effort != null) return effort;
    int b = budgetTokens == null ? 8192 : budgetTokens;
    return b <= 2048 ? "low" : b <= 8192 ? "medium" : "high";
  }
}
