package io.junction.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.FinishReason;
import io.junction.protocol.Json;
import io.junction.protocol.SseParser;
import io.junction.protocol.StreamDecoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Gemini's {@code ?alt=sse} stream to canonical events. Each {@code data:} payload is a whole
 * GenerateContentResponse; a functionCall arrives complete, so it becomes a ToolCallStart plus one
 * ToolCallDelta with all its arguments. Gemini has no end marker: the chunk with a finishReason is
 * the end, and a stream that closes without one is reported as an error.
 */
final class GeminiStreamDecoder implements StreamDecoder {

  private final SseParser parser = new SseParser((event, data) -> onData(data));
  private Consumer<StreamEvent> out;
  private boolean started;
  private boolean finished;
  private boolean failed;
  private int toolCalls;

  @Override
  public void feed(Buffer chunk, Consumer<StreamEvent> out) {
    this.out = out;
    parser.feed(chunk);
  }

  @Override
  public void finish(Consumer<StreamEvent> out) {
    this.out = out;
    parser.finish();
    if (failed) return;
    if (finished) out.accept(new StreamEvent.End());
    else fail("UNAVAILABLE", "The Gemini stream ended without a finishReason");
  }

  private void onData(String data) {
    if (failed || data.isBlank()) return;
    JsonNode chunk;
    try {
      chunk = Json.parse(data);
    } catch (IOException e) {
      fail("INTERNAL", "Gemini sent a stream chunk that is not valid JSON");
      return;
    }
    JsonNode error = chunk.path("error");
    if (error.isObject()) {
      fail(error.path("status").asText("UNKNOWN"), error.path("message").asText("Gemini reported an error in the stream"));
      return;
    }
    Usage usage = GeminiVocabulary.usage(chunk.get("usageMetadata"));
    if (!started) {
      started = true;
      out.accept(new StreamEvent.Start(chunk.path("responseId").asText(null), chunk.path("modelVersion").asText(null),
          usage == null ? Usage.ZERO : usage));
    }
    JsonNode candidate = chunk.path("candidates").path(0);
    for (JsonNode part : candidate.path("content").path("parts")) part(part);
    if (usage != null) out.accept(new StreamEvent.UsageReport(usage));
    String reason = candidate.path("finishReason").asText(null);
    if (reason != null && !finished) {
      finished = true;
      out.accept(new StreamEvent.Finish(GeminiVocabulary.finishReason(reason, toolCalls > 0), null));
    } else if (candidate.isMissingNode() && chunk.path("promptFeedback").has("blockReason") && !finished) {
      finished = true;
      out.accept(new StreamEvent.Finish(FinishReason.CONTENT_FILTER, null));
    }
  }

  /** A signature on a thought part follows its text; on any other part it comes first. */
  private void part(JsonNode part) {
    String signature = part.path("thoughtSignature").asText(null);
    if (part.path("thought").asBoolean(false)) {
      String text = part.path("text").asText("");
      if (!text.isEmpty()) out.accept(new StreamEvent.ThinkingDelta(text));
      if (signature != null) out.accept(new StreamEvent.ThinkingSignature(signature));
      return;
    }
    if (signature != null) out.accept(new StreamEvent.ThinkingSignature(signature));
    if (part.has("text")) {
      String text = part.get("text").asText();
      if (!text.isEmpty()) out.accept(new StreamEvent.TextDelta(text));
    } else if (part.has("functionCall")) {
      JsonNode call = part.get("functionCall");
      String id = call.path("id").asText("");
      int index = toolCalls++;
      out.accept(new StreamEvent.ToolCallStart(index, id.isEmpty() ? GeminiResponses.newCallId() : id, call.path("name").asText()));
      JsonNode args = call.path("args");
      out.accept(new StreamEvent.ToolCallDelta(index, args.isObject() ? Json.text(args) : "{}"));
    }
  }

  private void fail(String type, String message) {
    failed = true;
    out.accept(new StreamEvent.Error(type, message));
  }
}
