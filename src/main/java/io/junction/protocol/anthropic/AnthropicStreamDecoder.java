package io.junction.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.Json;
import io.junction.protocol.SseParser;
import io.junction.protocol.StreamDecoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Anthropic SSE to canonical events. Events are dispatched on the JSON {@code type} (always
 * present, equal to the SSE event name); unknown event and delta types are skipped, as
 * Anthropic's versioning policy asks. A stream closed before {@code message_stop} ends in
 * {@link StreamEvent.Error}.
 */
public final class AnthropicStreamDecoder implements StreamDecoder {

  private final SseParser parser = new SseParser(this::onEvent);
  private Consumer<StreamEvent> out;
  /** Content-block index to canonical tool-call index, for tool_use blocks. */
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
  private Usage usage = Usage.ZERO;
  private boolean done;

  @Override
  public void feed(Buffer chunk, Consumer<StreamEvent> out) {
    this.out = out;
    parser.feed(chunk);
  }

  @Override
  public void finish(Consumer<StreamEvent> out) {
    this.out = out;
    parser.finish();
    if (!done) {
      done = true;
      out.accept(new StreamEvent.Error("api_error", "Upstream stream ended before message_stop"));
    }
  }

  private void onEvent(String name, String data) {
    if (done) return;
    JsonNode event;
    try {
      event = Json.parse(data);
    } catch (IOException e) {
      error("api_error", "Upstream sent a stream event that is not valid JSON");
      return;
    }
    switch (event.path("type").asText(name == null ? "" : name)) {
      case "message_start" -> {
        JsonNode message = event.path("message");
        usage = AnthropicVocabulary.usage(message.get("usage"));
        out.accept(new StreamEvent.Start(message.path("id").asText(null), message.path("model").asText(null), usage));
      }
      case "content_block_start" -> blockStart(event.path("index").asInt(), event.path("content_block"));
      case "content_block_delta" -> blockDelta(event.path("index").asInt(), event.path("delta"));
      case "message_delta" -> {
        JsonNode delta = event.path("delta");
        if (delta.hasNonNull("stop_reason")) {
          out.accept(new StreamEvent.Finish(AnthropicVocabulary.finishReason(delta.get("stop_reason").asText()),
              delta.path("stop_sequence").asText(null)));
        }
        if (event.hasNonNull("usage")) {
          usage = overlay(usage, event.get("usage"));
          out.accept(new StreamEvent.UsageReport(usage));
        }
      }
      case "message_stop" -> {
        done = true;
        out.accept(new StreamEvent.End());
      }
      case "error" -> {
        JsonNode error = event.path("error");
        error(error.path("type").asText("api_error"), error.path("message").asText("Upstream stream error"));
      }
      default -> { } // ping, content_block_stop, and event types added after this code was written
    }
  }

  private void blockStart(int index, JsonNode block) {
    switch (block.path("type").asText()) {
      case "text" -> emitText(block.path("text").asText(""));
      case "thinking" -> {
        String text = block.path("thinking").asText("");
        if (!text.isEmpty()) out.accept(new StreamEvent.ThinkingDelta(text));
      }
      case "redacted_thinking" -> out.accept(new StreamEvent.RedactedThinking(block.path("data").asText()));
      case "tool_use" -> {
        int toolIndex = toolIndexByBlock.size();
        toolIndexByBlock.put(index, toolIndex);
        out.accept(new StreamEvent.ToolCallStart(toolIndex, block.path("id").asText(null), block.path("name").asText()));
        // The input normally arrives as input_json_delta after an empty {}; a pre-filled one is passed on whole.
        JsonNode input = block.path("input");
        if (input.isObject() && !input.isEmpty()) out.accept(new StreamEvent.ToolCallDelta(toolIndex, Json.text(input)));
      }
      default -> { }
    }
  }

  private void blockDelta(int index, JsonNode delta) {
    switch (delta.path("type").asText()) {
      case "text_delta" -> emitText(delta.path("text").asText(""));
      case "thinking_delta" -> out.accept(new StreamEvent.ThinkingDelta(delta.path("thinking").asText("")));
      case "signature_delta" -> out.accept(new StreamEvent.ThinkingSignature(delta.path("signature").asText("")));
      case "input_json_delta" -> {
        Integer toolIndex = toolIndexByBlock.get(index);
        String fragment = delta.path("partial_json").asText("");
        if (toolIndex != null && !fragment.isEmpty()) out.accept(new StreamEvent.ToolCallDelta(toolIndex, fragment));
      }
      default -> { }
    }
  }

  private void emitText(String text) {
    if (!text.isEmpty()) out.accept(new StreamEvent.TextDelta(text));
  }

  private void error(String type, String message) {
    done = true;
    out.accept(new StreamEvent.Error(type, message));
  }

  /** message_delta usage is cumulative but may omit fields; the ones it has replace the start values. */
  private static Usage overlay(Usage base, JsonNode u) {
    long cacheRead = u.hasNonNull("cache_read_input_tokens") ? u.path("cache_read_input_tokens").asLong() : base.cacheReadTokens();
    long cacheWrite = u.hasNonNull("cache_creation_input_tokens") ? u.path("cache_creation_input_tokens").asLong() : base.cacheWriteTokens();
    long input = u.hasNonNull("input_tokens")
        ? u.path("input_tokens").asLong() + cacheRead + cacheWrite
        : base.inputTokens() - base.cacheReadTokens() - base.cacheWriteTokens() + cacheRead + cacheWrite;
    long output = u.hasNonNull("output_tokens") ? u.path("output_tokens").asLong() : base.outputTokens();
    return new Usage(input, output, cacheRead, cacheWrite, base.reasoningTokens());
  }
}
