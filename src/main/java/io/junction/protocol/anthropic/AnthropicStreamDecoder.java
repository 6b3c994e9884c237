package io.junction.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.Json;
import io.junction.protocol.SseStreamDecoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.Usage;
import java.util.HashMap;
import java.util.Map;

/**
 * Anthropic SSE to canonical events. Events are dispatched on the JSON {@code type} (always
 * present, equal to the SSE event name); unknown event and delta types are skipped, as
 * Anthropic's versioning policy asks. A stream closed before {@code message_stop} ends in
 * {@link StreamEvent.Error}.
 */
public final class AnthropicStreamDecoder extends SseStreamDecoder {

  /** Content-block index to canonical tool-call index, for tool_use blocks. */
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
  private Usage usage = Usage.ZERO;

  public AnthropicStreamDecoder() {
    super(new StreamEvent.Error("api_error", "Upstream sent a stream event that is not valid JSON"),
        new StreamEvent.Error("api_error", "Upstream stream ended before message_stop"));
  }

  @Override
  protected void onJson(String name, JsonNode event) {
    switch (event.path("type").asText(name == null ? "" : name)) {
      case "message_start" -> {
        JsonNode message = event.path("message");
        usage = AnthropicVocabulary.usage(message.get("usage"));
        emit(new StreamEvent.Start(message.path("id").asText(null), message.path("model").asText(null), usage));
      }
      case "content_block_start" -> blockStart(event.path("index").asInt(), event.path("content_block"));
      case "content_block_delta" -> blockDelta(event.path("index").asInt(), event.path("delta"));
      case "message_delta" -> {
        JsonNode delta = event.path("delta");
        if (delta.hasNonNull("stop_reason")) {
          emit(new StreamEvent.Finish(AnthropicVocabulary.finishReason(delta.get("stop_reason").asText()),
              delta.path("stop_sequence").asText(null)));
        }
        if (event.hasNonNull("usage")) {
          usage = overlay(usage, event.get("usage"));
          emit(new StreamEvent.UsageReport(usage));
        }
      }
      case "message_stop" -> end();
      case "error" -> {
        JsonNode error = event.path("error");
        fail(error.path("type").asText("api_error"), error.path("message").asText("Upstream stream error"));
      }
      default -> { } // ping, content_block_stop, and event types added after this code was written
    }
  }

  private void blockStart(int index, JsonNode block) {
    switch (block.path("type").asText()) {
      case "text" -> emitText(block.path("text").asText(""));
      case "thinking" -> {
        String text = block.path("thinking").asText("");
        if (!text.isEmpty()) emit(new StreamEvent.ThinkingDelta(text));
      }
      case "redacted_thinking" -> emit(new StreamEvent.RedactedThinking(block.path("data").asText()));
      case "tool_use" -> {
        int toolIndex = toolIndexByBlock.size();
        toolIndexByBlock.put(index, toolIndex);
        emit(new StreamEvent.ToolCallStart(toolIndex, block.path("id").asText(null), block.path("name").asText()));
        // The input normally arrives as input_json_delta after an empty {}; a pre-filled one is passed on whole.
        JsonNode input = block.path("input");
        if (input.isObject() && !input.isEmpty()) emit(new StreamEvent.ToolCallDelta(toolIndex, Json.text(input)));
      }
      default -> { }
    }
  }

  private void blockDelta(int index, JsonNode delta) {
    switch (delta.path("type").asText()) {
      case "text_delta" -> emitText(delta.path("text").asText(""));
      case "thinking_delta" -> emit(new StreamEvent.ThinkingDelta(delta.path("thinking").asText("")));
      case "signature_delta" -> emit(new StreamEvent.ThinkingSignature(delta.path("signature").asText("")));
      case "input_json_delta" -> {
        Integer toolIndex = toolIndexByBlock.get(index);
        String fragment = delta.path("partial_json").asText("");
        if (toolIndex != null && !fragment.isEmpty()) emit(new StreamEvent.ToolCallDelta(toolIndex, fragment));
      }
      default -> { }
    }
  }

  private void emitText(String text) {
    if (!text.isEmpty()) emit(new StreamEvent.TextDelta(text));
  }

  /** message_delta usage is cumulative but may omit fields; the ones it has replace the start values. */
  static Usage overlay(Usage base, JsonNode u) {
    long cacheRead = u.hasNonNull("cache_read_input_tokens") ? u.path("cache_read_input_tokens").asLong() : base.cacheReadTokens();
    long cacheWrite = u.hasNonNull("cache_creation_input_tokens") ? u.path("cache_creation_input_tokens").asLong() : base.cacheWriteTokens();
    long input = u.hasNonNull("input_tokens")
        ? u.path("input_tokens").asLong() + cacheRead + cacheWrite
        : base.inputTokens() - base.cacheReadTokens() - base.cacheWriteTokens() + cacheRead + cacheWrite;
    long output = u.hasNonNull("output_tokens") ? u.path("output_tokens").asLong() : base.outputTokens();
    return new Usage(input, output, cacheRead, cacheWrite, base.reasoningTokens());
  }
}
