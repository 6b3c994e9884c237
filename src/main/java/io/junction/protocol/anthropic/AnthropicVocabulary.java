package io.junction.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.FinishReason;
import io.junction.protocol.Json;
import io.junction.protocol.Usage;

/**
 * The small vocabularies the Anthropic Messages API shares between requests, responses and
 * streams: stop reasons, usage objects and error types.
 */
final class AnthropicVocabulary {
  private AnthropicVocabulary() {}

  static FinishReason finishReason(String stopReason) {
    if (stopReason == null) return FinishReason.STOP;
    return switch (stopReason) {
      case "end_turn" -> FinishReason.STOP;
      case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
      case "stop_sequence" -> FinishReason.STOP_SEQUENCE;
      case "tool_use" -> FinishReason.TOOL_CALLS;
      case "refusal" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER; // pause_turn, and reasons added later
    };
  }

  /**
   * The stop reason for an answer. Some upstreams (Gemini) finish tool-calling turns with a plain
   * STOP; Anthropic clients run tools only on {@code tool_use}, so tool calls make it one.
   */
  static String stopReason(FinishReason reason, boolean hasToolCalls) {
    return hasToolCalls && (reason == null || reason == FinishReason.STOP) ? "tool_use"
        : stopReason(reason == null ? FinishReason.STOP : reason);
  }

  /**
   * OTHER (an upstream's reason with no Anthropic word, e.g. Gemini's MALFORMED_FUNCTION_CALL) is
   * end_turn: pause_turn would tell an agent loop to send the conversation again. Anthropic's own
   * pause_turn never needs this mapping: Anthropic to Anthropic takes the fast path, unchanged.
   */
  private static String stopReason(FinishReason reason) {
    return switch (reason) {
      case STOP, ERROR, OTHER -> "end_turn";
      case LENGTH -> "max_tokens";
      case STOP_SEQUENCE -> "stop_sequence";
      case TOOL_CALLS -> "tool_use";
      case CONTENT_FILTER -> "refusal";
    };
  }

  /**
   * Reads an Anthropic usage object into canonical usage, adding cache tokens into
   * {@code inputTokens} (Anthropic's {@code input_tokens} excludes them). Absent fields are 0.
   */
  static Usage usage(JsonNode u) {
    if (u == null || !u.isObject()) return Usage.ZERO;
    long cacheRead = u.path("cache_read_input_tokens").asLong(0);
    long cacheWrite = u.path("cache_creation_input_tokens").asLong(0);
    long input = u.path("input_tokens").asLong(0) + cacheRead + cacheWrite;
    return new Usage(input, u.path("output_tokens").asLong(0), cacheRead, cacheWrite, 0,
        u.path("cache_creation").path("ephemeral_1h_input_tokens").asLong(0), tier(u));
  }

  /** Anthropic's {@code usage.service_tier}: "standard" is null, "priority" and "batch" are kept. */
  static String tier(JsonNode u) {
    String t = u.path("service_tier").asText(null);
    return t == null || t.equals("standard") ? null : t;
  }

  /** Writes canonical usage in Anthropic's shape, taking cache tokens back out of {@code input_tokens}. */
  static ObjectNode usageJson(Usage usage) {
    Usage u = usage == null ? Usage.ZERO : usage;
    ObjectNode n = Json.object();
    n.put("input_tokens", Math.max(0, u.inputTokens() - u.cacheReadTokens() - u.cacheWriteTokens()));
    n.put("cache_creation_input_tokens", u.cacheWriteTokens());
    n.put("cache_read_input_tokens", u.cacheReadTokens());
    // The TTL split, when the upstream reported one (Claude Code prices 1-hour writes from it).
    if (u.cacheWrite1hTokens() > 0) {
      n.putObject("cache_creation").put("ephemeral_5m_input_tokens", u.cacheWrite5mTokens())
          .put("ephemeral_1h_input_tokens", u.cacheWrite1hTokens());
    }
    n.put("output_tokens", u.outputTokens());
    return n;
  }

  static String errorType(ErrorKind kind) {
    return switch (kind) {
      case INVALID_REQUEST -> "invalid_request_error";
      case AUTHENTICATION -> "authentication_error";
      case PERMISSION -> "permission_error";
      case NOT_FOUND -> "not_found_error";
      case REQUEST_TOO_LARGE -> "request_too_large";
      case RATE_LIMIT -> "rate_limit_error";
      case API_ERROR, BAD_GATEWAY -> "api_error";
      case OVERLOADED -> "overloaded_error";
      case TIMEOUT -> "timeout_error";
    };
  }

  /** {@code {"type":"error","error":{"type":…,"message":…}}} */
  static ObjectNode errorJson(String type, String message) {
    ObjectNode body = Json.object().put("type", "error");
    body.putObject("error").put("type", type).put("message", message == null ? "" : message);
    return body;
  }
}
