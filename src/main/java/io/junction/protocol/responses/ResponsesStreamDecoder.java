package io.junction.protocol.responses;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.FinishReason;
import io.junction.protocol.Json;
import io.junction.protocol.Part;
import io.junction.protocol.SseStreamDecoder;
import io.junction.protocol.StreamEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * An upstream's Responses API SSE stream to canonical events. Output items become text, thinking
 * and tool-call events; a custom tool call's free-form input is sent as one arguments fragment
 * ({@code {"input": "..."}}) once its item is done. {@code response.completed} and
 * {@code response.incomplete} end the stream; {@code response.failed} and {@code error} break it.
 */
final class ResponsesStreamDecoder extends SseStreamDecoder {
  private boolean started;
  private int nextCall;
  /** Tool-call index by item id. */
  private final Map<String, Integer> callIndex = new HashMap<>();
  private final Set<String> customItems = new HashSet<>();
  private boolean sawCall;

  ResponsesStreamDecoder() {
    super(new StreamEvent.Error("api_error", "Upstream sent a stream event that is not valid JSON"),
        new StreamEvent.Error("api_error", "Upstream stream ended before it was complete"));
  }

  @Override
  protected void onJson(String event, JsonNode e) {
    String type = e.path("type").asText(event == null ? "" : event);
    switch (type) {
      case "response.created", "response.in_progress", "response.queued" -> start(e.path("response"));
      case "response.output_item.added" -> {
        start(null);
        JsonNode item = e.path("item");
        String itemType = item.path("type").asText();
        if ("function_call".equals(itemType) || "custom_tool_call".equals(itemType)) {
          int index = nextCall++;
          sawCall = true;
          callIndex.put(item.path("id").asText(), index);
          if ("custom_tool_call".equals(itemType)) customItems.add(item.path("id").asText());
          emit(new StreamEvent.ToolCallStart(index, item.path("call_id").asText(), ResponsesOutput.canonicalName(item)));
          String args = item.path("arguments").asText("");
          if ("function_call".equals(itemType) && !args.isEmpty()) emit(new StreamEvent.ToolCallDelta(index, args));
        }
      }
      case "response.output_text.delta", "response.refusal.delta" -> {
        start(null);
        String d = e.path("delta").asText("");
        if (!d.isEmpty()) emit(new StreamEvent.TextDelta(d));
      }
      case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" -> {
        start(null);
        String d = e.path("delta").asText("");
        if (!d.isEmpty()) emit(new StreamEvent.ThinkingDelta(d));
      }
      case "response.function_call_arguments.delta" -> {
        Integer index = callIndex.get(e.path("item_id").asText());
        String d = e.path("delta").asText("");
        if (index != null && !d.isEmpty()) emit(new StreamEvent.ToolCallDelta(index, d));
      }
      case "response.output_item.done" -> {
        JsonNode item = e.path("item");
        String id = item.path("id").asText();
        if ("reasoning".equals(item.path("type").asText())) {
          Part.Thinking th = ResponsesOutput.thinking(item);
          if (th != null && th.signature() != null) emit(new StreamEvent.ThinkingSignature(th.signature()));
        } else if (customItems.contains(id)) {
          emit(new StreamEvent.ToolCallDelta(callIndex.get(id), Json.text(Json.object().put("input", item.path("input").asText("")))));
        }
      }
      case "response.completed", "response.incomplete" -> {
        JsonNode response = e.path("response");
        start(response);
        FinishReason reason = ResponsesOutput.finishReason(response, sawCall);
        markFinished();
        emit(new StreamEvent.Finish(reason, null));
        emit(new StreamEvent.UsageReport(ResponsesOutput.usage(response.get("usage"))));
        end();
      }
      case "response.failed" -> {
        JsonNode err = e.path("response").path("error");
        fail(err.path("code").asText("api_error"), err.path("message").asText("Upstream response failed"));
      }
      case "error" -> fail(e.path("code").asText("api_error"), e.path("message").asText("Upstream error"));
      default -> { } // part added/done, *.done duplicates of the deltas, annotations
    }
  }

  private void start(JsonNode response) {
    if (started) return;
    started = true;
    String id = response == null ? null : response.path("id").asText(null);
    String model = response == null ? null : response.path("model").asText(null);
    emit(new StreamEvent.Start(id, model, null));
  }
}
