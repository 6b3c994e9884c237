package io.junction.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.FinishReason;
import io.junction.protocol.Json;
import io.junction.protocol.SseStreamDecoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.Usage;

/**
 * Gemini's {@code ?alt=sse} stream to canonical events. Each {@code data:} payload is a whole
 * GenerateContentResponse; a functionCall arrives complete, so it becomes a ToolCallStart plus one
 * ToolCallDelta with all its arguments. Gemini has no end marker: the chunk with a finishReason is
 * the end, and a stream that closes without one is reported as an error.
 */
final class GeminiStreamDecoder extends SseStreamDecoder {

  private boolean started;
  private int toolCalls;

  GeminiStreamDecoder() {
    super(new StreamEvent.Error("INTERNAL", "Gemini sent a stream chunk that is not valid JSON"),
        new StreamEvent.Error("UNAVAILABLE", "The Gemini stream ended without a finishReason"));
  }

  @Override
  protected void onPayload(String event, String data) {
    if (!data.isBlank()) super.onPayload(event, data);
  }

  @Override
  protected void onJson(String event, JsonNode chunk) {
    JsonNode error = chunk.path("error");
    if (error.isObject()) {
      fail(error.path("status").asText("UNKNOWN"), error.path("message").asText("Gemini reported an error in the stream"));
      return;
    }
    Usage usage = GeminiVocabulary.usage(chunk.get("usageMetadata"));
    if (!started) {
      started = true;
      emit(new StreamEvent.Start(chunk.path("responseId").asText(null), chunk.path("modelVersion").asText(null),
          usage == null ? Usage.ZERO : usage));
    }
    JsonNode candidate = chunk.path("candidates").path(0);
    for (JsonNode part : candidate.path("content").path("parts")) part(part);
    if (usage != null) emit(new StreamEvent.UsageReport(usage));
    String reason = candidate.path("finishReason").asText(null);
    if (reason != null && !finished()) {
      markFinished();
      emit(new StreamEvent.Finish(GeminiVocabulary.finishReason(reason, toolCalls > 0), null));
    } else if (candidate.isMissingNode() && chunk.path("promptFeedback").has("blockReason") && !finished()) {
      markFinished();
      emit(new StreamEvent.Finish(FinishReason.CONTENT_FILTER, null));
    }
  }

  /** A signature on a thought part follows its text; on any other part it comes first. */
  private void part(JsonNode part) {
    String signature = part.path("thoughtSignature").asText(null);
    if (part.path("thought").asBoolean(false)) {
      String text = part.path("text").asText("");
      if (!text.isEmpty()) emit(new StreamEvent.ThinkingDelta(text));
      if (signature != null) emit(new StreamEvent.ThinkingSignature(signature));
      return;
    }
    if (signature != null) emit(new StreamEvent.ThinkingSignature(signature));
    if (part.has("text")) {
      String text = part.get("text").asText();
      if (!text.isEmpty()) emit(new StreamEvent.TextDelta(text));
    } else if (part.has("functionCall")) {
      JsonNode call = part.get("functionCall");
      String id = call.path("id").asText("");
      int index = toolCalls++;
      emit(new StreamEvent.ToolCallStart(index, id.isEmpty() ? GeminiResponses.newCallId() : id, call.path("name").asText()));
      JsonNode args = call.path("args");
      emit(new StreamEvent.ToolCallDelta(index, args.isObject() ? Json.text(args) : "{}"));
    }
  }
}
