package io.junction.protocol.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.SseStreamDecoder;
import io.junction.protocol.StreamEvent;
import java.util.HashMap;
import java.util.Map;

/** Cohere v2 SSE ({@code message-start} … {@code message-end}) to canonical events. */
final class CohereStreamDecoder extends SseStreamDecoder {

  /** Cohere's tool-call index to the canonical one (both count from 0, but never trust that). */
  private final Map<Integer, Integer> toolIndex = new HashMap<>();
  private boolean started;

  CohereStreamDecoder() {
    super(new StreamEvent.Error("api_error", "Cohere sent a stream event that is not JSON"),
        new StreamEvent.Error("api_error", "Cohere stream ended without message-end"));
  }

  @Override
  protected void onJson(String name, JsonNode event) {
    String type = event.path("type").asText(name == null ? "" : name);
    JsonNode message = event.path("delta").path("message");
    if (!started) {
      started = true;
      emit(new StreamEvent.Start(event.path("id").asText(null), null, null));
    }
    switch (type) {
      case "content-start", "content-delta" -> {
        JsonNode content = message.path("content");
        text(content.path("text"));
        if (content.path("thinking").isTextual() && !content.get("thinking").asText().isEmpty()) {
          emit(new StreamEvent.ThinkingDelta(content.get("thinking").asText()));
        }
      }
      case "tool-plan-delta" -> text(message.path("tool_plan"));
      case "tool-call-start" -> {
        JsonNode call = message.path("tool_calls");
        int index = toolIndex.size();
        toolIndex.put(event.path("index").asInt(index), index);
        emit(new StreamEvent.ToolCallStart(index, call.path("id").asText(), call.path("function").path("name").asText()));
        arguments(index, call);
      }
      case "tool-call-delta" -> {
        Integer index = toolIndex.get(event.path("index").asInt(-1));
        if (index == null) fail("Cohere sent tool-call-delta for a tool call that never started");
        else arguments(index, message.path("tool_calls"));
      }
      case "message-end" -> messageEnd(event.path("delta"));
      default -> { } // message-start (handled above), content-end, tool-call-end, citations, debug
    }
  }

  private void text(JsonNode text) {
    if (text.isTextual() && !text.asText().isEmpty()) emit(new StreamEvent.TextDelta(text.asText()));
  }

  private void arguments(int index, JsonNode call) {
    String fragment = call.path("function").path("arguments").asText("");
    if (!fragment.isEmpty()) emit(new StreamEvent.ToolCallDelta(index, fragment));
  }

  private void messageEnd(JsonNode delta) {
    String error = delta.path("error").asText("");
    if (!error.isEmpty()) {
      fail(error);
      return;
    }
    emit(new StreamEvent.Finish(CohereCodec.finishReason(delta.path("finish_reason").asText(null)), null));
    if (delta.has("usage")) emit(new StreamEvent.UsageReport(CohereCodec.usage(delta.get("usage"))));
    end();
  }

  private void fail(String message) { fail("api_error", message); }
}
