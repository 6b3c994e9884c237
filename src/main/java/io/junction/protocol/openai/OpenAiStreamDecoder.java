package io.junction.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.Json;
import io.junction.protocol.SseParser;
import io.junction.protocol.StreamDecoder;
import io.junction.protocol.StreamEvent;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.function.Consumer;

/** chat.completion.chunk SSE (from any OpenAI-compatible server) to canonical events. */
final class OpenAiStreamDecoder implements StreamDecoder {
  private final SseParser parser = new SseParser(this::onEvent);
  private Consumer<StreamEvent> out;
  private boolean started;
  private boolean finished;
  private boolean done;
  private boolean failed;

  @Override
  public void feed(Buffer chunk, Consumer<StreamEvent> out) {
    this.out = out;
    parser.feed(chunk);
  }

  @Override
  public void finish(Consumer<StreamEvent> out) {
    this.out = out;
    parser.finish();
    if (failed || done) return;
    // Some compatible servers omit [DONE]; a stream that reported its finish_reason is complete.
    if (finished) out.accept(new StreamEvent.End());
    else out.accept(new StreamEvent.Error("api_error", "Upstream stream ended before it was complete"));
  }

  private void onEvent(String event, String data) {
    if (done || failed) return;
    if ("[DONE]".equals(data.trim())) {
      if (!finished) {
        out.accept(new StreamEvent.Error("api_error", "Upstream stream ended without a finish reason"));
        failed = true;
        return;
      }
      done = true;
      out.accept(new StreamEvent.End());
      return;
    }
    JsonNode c;
    try {
      c = Json.parse(data);
    } catch (IOException e) {
      failed = true;
      out.accept(new StreamEvent.Error("api_error", "Upstream sent a stream chunk that is not valid JSON"));
      return;
    }
    if (c.has("error")) {
      failed = true;
      JsonNode e = c.get("error");
      out.accept(new StreamEvent.Error(e.path("type").asText("api_error"), e.path("message").asText(e.asText("Upstream error"))));
      return;
    }
    if (!started) {
      started = true;
      out.accept(new StreamEvent.Start(c.path("id").asText(null), c.path("model").asText(null), null));
    }
    JsonNode choice = c.path("choices").path(0);
    if (!choice.isMissingNode()) {
      JsonNode delta = choice.path("delta");
      String reasoning = delta.path("reasoning_content").asText(delta.path("reasoning").asText(""));
      if (!reasoning.isEmpty()) out.accept(new StreamEvent.ThinkingDelta(reasoning));
      String text = delta.path("content").asText("");
      if (!text.isEmpty()) out.accept(new StreamEvent.TextDelta(text));
      for (JsonNode call : delta.path("tool_calls")) {
        int index = call.path("index").asInt();
        JsonNode fn = call.path("function");
        if (call.hasNonNull("id")) out.accept(new StreamEvent.ToolCallStart(index, call.get("id").asText(), fn.path("name").asText()));
        String args = fn.path("arguments").asText("");
        if (!args.isEmpty()) out.accept(new StreamEvent.ToolCallDelta(index, args));
      }
      String reason = choice.path("finish_reason").asText(null);
      if (reason != null && !finished) {
        finished = true;
        out.accept(new StreamEvent.Finish(OpenAiResponses.finishReason(reason), null));
      }
    }
    JsonNode usage = c.get("usage");
    if (usage != null && usage.isObject()) out.accept(new StreamEvent.UsageReport(OpenAiResponses.usage(usage)));
  }
}
