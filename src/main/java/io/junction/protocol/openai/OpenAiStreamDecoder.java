package io.junction.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.SseStreamDecoder;
import io.junction.protocol.StreamEvent;

/** chat.completion.chunk SSE (from any OpenAI-compatible server) to canonical events. */
final class OpenAiStreamDecoder extends SseStreamDecoder {
  private boolean started;

  OpenAiStreamDecoder() {
    super(new StreamEvent.Error("api_error", "Upstream sent a stream chunk that is not valid JSON"),
        new StreamEvent.Error("api_error", "Upstream stream ended before it was complete"));
  }

  @Override
  protected void onPayload(String event, String data) {
    if (!"[DONE]".equals(data.trim())) super.onPayload(event, data);
    else if (finished()) end();
    else fail("api_error", "Upstream stream ended without a finish reason");
  }

  @Override
  protected void onJson(String event, JsonNode c) {
    if (c.has("error")) {
      JsonNode e = c.get("error");
      fail(e.path("type").asText("api_error"), e.path("message").asText(e.asText("Upstream error")));
      return;
    }
    if (!started) {
      started = true;
      emit(new StreamEvent.Start(c.path("id").asText(null), c.path("model").asText(null), null));
    }
    JsonNode choice = c.path("choices").path(0);
    if (!choice.isMissingNode()) {
      JsonNode delta = choice.path("delta");
      String reasoning = delta.path("reasoning_content").asText(delta.path("reasoning").asText(""));
      if (!reasoning.isEmpty()) emit(new StreamEvent.ThinkingDelta(reasoning));
      String text = delta.path("content").asText("");
      if (!text.isEmpty()) emit(new StreamEvent.TextDelta(text));
      for (JsonNode call : delta.path("tool_calls")) {
        int index = call.path("index").asInt();
        JsonNode fn = call.path("function");
        if (call.hasNonNull("id")) emit(new StreamEvent.ToolCallStart(index, call.get("id").asText(), fn.path("name").asText()));
        String args = fn.path("arguments").asText("");
        if (!args.isEmpty()) emit(new StreamEvent.ToolCallDelta(index, args));
      }
      String reason = choice.path("finish_reason").asText(null);
      if (reason != null && !finished()) {
        markFinished(); // some compatible servers omit [DONE]; from here a close is a clean end
        emit(new StreamEvent.Finish(OpenAiResponses.finishReason(reason), null));
      }
    }
    JsonNode usage = c.get("usage");
    if (usage != null && usage.isObject()) emit(new StreamEvent.UsageReport(OpenAiResponses.chunkUsage(c)));
  }
}
