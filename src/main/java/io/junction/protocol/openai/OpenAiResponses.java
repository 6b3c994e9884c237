package io.junction.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.FinishReason;
import io.junction.protocol.Json;
import io.junction.protocol.Part;
import io.junction.protocol.Usage;

/** chat.completion JSON to and from the canonical {@link ChatResponse}, plus usage and finish reasons. */
final class OpenAiResponses {
  private OpenAiResponses() {}

  static ChatResponse decode(JsonNode b) {
    ChatResponse r = new ChatResponse();
    r.id = b.path("id").asText(null);
    r.model = b.path("model").asText(null);
    if (b.has("created")) r.created = b.path("created").asLong();
    JsonNode choice = b.path("choices").path(0);
    if (choice.isMissingNode()) throw io.junction.protocol.GatewayException.badGateway("Upstream answer has no choices");
    JsonNode msg = choice.path("message");
    String reasoning = msg.path("reasoning_content").asText(msg.path("reasoning").asText(""));
    if (!reasoning.isEmpty()) r.content.add(new Part.Thinking(reasoning, null, null));
    String content = msg.path("content").asText("");
    if (!content.isEmpty()) r.content.add(new Part.Text(content));
    else if (msg.hasNonNull("refusal")) r.content.add(new Part.Text(msg.get("refusal").asText()));
    for (JsonNode c : msg.path("tool_calls")) {
      JsonNode fn = c.path("function");
      r.content.add(new Part.ToolCall(c.path("id").asText(), fn.path("name").asText(), fn.path("arguments").asText("{}")));
    }
    r.finishReason = finishReason(choice.path("finish_reason").asText(null));
    r.usage = usage(b.get("usage"));
    if (r.usage != null && b.hasNonNull("service_tier")) r.usage = r.usage.withTier(tier(b.get("service_tier").asText()));
    return r;
  }

  static ObjectNode encode(ChatResponse r, String model) {
    ObjectNode b = Json.object();
    b.put("id", r.id == null ? "chatcmpl-" + Long.toHexString(System.nanoTime()) : r.id);
    b.put("object", "chat.completion");
    b.put("created", r.created);
    b.put("model", model);
    ArrayNode choices = b.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    ObjectNode msg = choice.putObject("message");
    msg.put("role", "assistant");
    String text = r.text();
    StringBuilder thinking = new StringBuilder();
    ArrayNode calls = null;
    for (Part p : r.content) {
      if (p instanceof Part.Thinking t && t.text() != null) thinking.append(t.text());
      if (p instanceof Part.ToolCall c) {
        if (calls == null) calls = Json.array();
        ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
        call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
      }
    }
    if (text.isEmpty() && calls != null) msg.putNull("content");
    else msg.put("content", text);
    if (!thinking.isEmpty()) msg.put("reasoning_content", thinking.toString());
    if (calls != null) msg.set("tool_calls", calls);
    msg.putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(r.finishReason));
    b.set("usage", usage(r.usage));
    return b;
  }

  static FinishReason finishReason(String s) {
    if (s == null) return FinishReason.STOP;
    return switch (s) {
      case "stop" -> FinishReason.STOP;
      case "length" -> FinishReason.LENGTH;
      case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
      case "content_filter" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
  }

  static String finishReason(FinishReason r) {
    return switch (r) {
      case STOP, STOP_SEQUENCE, OTHER, ERROR -> "stop";
      case LENGTH -> "length";
      case TOOL_CALLS -> "tool_calls";
      case CONTENT_FILTER -> "content_filter";
    };
  }

  /**
   * OpenAI counts reasoning tokens inside {@code completion_tokens}; some compatible servers (xAI's
   * Grok reasoning models) report them beside it, which shows as {@code total_tokens} equal to
   * prompt + completion + reasoning. Then they are added in, or the bill would miss them.
   * DeepSeek's {@code prompt_cache_hit_tokens} is its name for cached tokens.
   */
  static Usage usage(JsonNode u) {
    if (u == null || !u.isObject()) return Usage.ZERO;
    long prompt = u.path("prompt_tokens").asLong();
    long completion = u.path("completion_tokens").asLong();
    long reasoning = u.path("completion_tokens_details").path("reasoning_tokens").asLong();
    long total = u.path("total_tokens").asLong(-1);
    if (reasoning > 0 && total == prompt + completion + reasoning) completion += reasoning;
    long cached = u.path("prompt_tokens_details").path("cached_tokens").asLong();
    if (cached == 0) cached = u.path("prompt_cache_hit_tokens").asLong();
    return new Usage(prompt, completion, cached, 0, reasoning);
  }

  /** The usage of a stream chunk that carries one, with the chunk's {@code service_tier} (flex bills lower). */
  public static Usage chunkUsage(JsonNode chunk) {
    Usage u = usage(chunk.get("usage"));
    String tier = chunk.hasNonNull("service_tier") ? tier(chunk.get("service_tier").asText()) : null;
    return tier == null ? u : u.withTier(tier);
  }

  /** OpenAI's {@code service_tier}: "default"/"auto" are the standard tier (null). */
  static String tier(String serviceTier) {
    return serviceTier == null || serviceTier.equals("default") || serviceTier.equals("auto") ? null : serviceTier;
  }

  static ObjectNode usage(Usage u) {
    ObjectNode o = Json.object();
    o.put("prompt_tokens", u.inputTokens());
    o.put("completion_tokens", u.outputTokens());
    o.put("total_tokens", u.totalTokens());
    o.putObject("prompt_tokens_details").put("cached_tokens", u.cacheReadTokens());
    o.putObject("completion_tokens_details").put("reasoning_tokens", u.reasoningTokens());
    return o;
  }
}
