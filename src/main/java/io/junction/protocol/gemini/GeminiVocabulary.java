package io.junction.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.FinishReason;
import io.junction.protocol.Json;
import io.junction.protocol.Usage;

/** Gemini's finish reasons and usage counters, mapped to and from the canonical ones. */
final class GeminiVocabulary {
  private GeminiVocabulary() {}

  /**
   * Gemini's finishReason to canonical. Gemini has no tool-calls reason: a STOP whose candidate
   * holds functionCall parts is a canonical TOOL_CALLS.
   */
  static FinishReason finishReason(String gemini, boolean hasToolCalls) {
    if (gemini == null) return FinishReason.STOP;
    return switch (gemini) {
      case "STOP" -> hasToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
      case "MAX_TOKENS" -> FinishReason.LENGTH;
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
           "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> FinishReason.CONTENT_FILTER;
      case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS",
           "MISSING_THOUGHT_SIGNATURE" -> FinishReason.ERROR;
      default -> FinishReason.OTHER;
    };
  }

  static String finishReason(FinishReason canonical) {
    return switch (canonical) {
      case STOP, STOP_SEQUENCE, TOOL_CALLS -> "STOP";
      case LENGTH -> "MAX_TOKENS";
      case CONTENT_FILTER -> "SAFETY";
      case ERROR, OTHER -> "OTHER";
    };
  }

  /**
   * Gemini's promptTokenCount already includes cached tokens (as canonical input does).
   * Output counts thoughts too, as OpenAI's completion_tokens counts reasoning tokens.
   */
  static Usage usage(JsonNode meta) {
    if (meta == null || !meta.isObject()) return null;
    long prompt = meta.path("promptTokenCount").asLong() + meta.path("toolUsePromptTokenCount").asLong();
    long thoughts = meta.path("thoughtsTokenCount").asLong();
    long output = meta.path("candidatesTokenCount").asLong() + thoughts;
    return new Usage(prompt, output, meta.path("cachedContentTokenCount").asLong(), 0, thoughts);
  }

  static ObjectNode usageMetadata(Usage usage) {
    ObjectNode meta = Json.object();
    meta.put("promptTokenCount", usage.inputTokens());
    meta.put("candidatesTokenCount", Math.max(0, usage.outputTokens() - usage.reasoningTokens()));
    meta.put("totalTokenCount", usage.totalTokens());
    if (usage.cacheReadTokens() > 0) meta.put("cachedContentTokenCount", usage.cacheReadTokens());
    if (usage.reasoningTokens() > 0) meta.put("thoughtsTokenCount", usage.reasoningTokens());
    return meta;
  }
}
