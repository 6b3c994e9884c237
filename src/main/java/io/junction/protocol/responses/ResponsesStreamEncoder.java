package io.junction.protocol.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.FinishReason;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Part;
import io.junction.protocol.StreamEncoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Canonical events to the Responses API's typed SSE events: {@code response.created} and
 * {@code response.in_progress}, then per output item its {@code output_item.added}, content part
 * and delta events and {@code output_item.done}, and {@code response.completed} (or
 * {@code response.incomplete}) carrying every item; each event has the next {@code sequence_number}.
 * A broken stream ends in {@code response.failed}.
 */
final class ResponsesStreamEncoder implements StreamEncoder {
  private final ResponsesContext ctx;
  private final String model;
  private final Consumer<ObjectNode> onFinal;
  private final String responseId = ResponseIds.next("resp");
  private final long createdAt = System.currentTimeMillis() / 1000;
  private int sequence;
  private boolean started;
  private boolean ended;
  /** Output items by output_index; null until done. */
  private final List<ObjectNode> output = new ArrayList<>();
  private Usage usage = Usage.ZERO;
  private FinishReason finish = FinishReason.STOP;

  private OpenText message;
  private OpenText reasoning;
  private String signature;
  private final Map<Integer, OpenCall> calls = new LinkedHashMap<>();

  /** An open message or reasoning item. */
  private static final class OpenText {
    final int index;
    final String id;
    final StringBuilder text = new StringBuilder();
    boolean partOpen;

    OpenText(int index, String id) {
      this.index = index;
      this.id = id;
    }
  }

  private static final class OpenCall {
    final int index;
    final String id;
    final String callId;
    final String name;
    final StringBuilder args = new StringBuilder();

    OpenCall(int index, String id, String callId, String name) {
      this.index = index;
      this.id = id;
      this.callId = callId;
      this.name = name;
    }
  }

  ResponsesStreamEncoder(ChatRequest req, Consumer<ObjectNode> onFinal) {
    this.ctx = ResponsesContext.of(req);
    this.model = req == null ? null : req.model;
    this.onFinal = onFinal;
  }

  @Override
  public void encode(StreamEvent event, Buffer out) {
    if (ended) return;
    switch (event) {
      case StreamEvent.Start s -> {
        usage = usage.merge(s.usage());
        ensureStarted(out);
      }
      case StreamEvent.TextDelta t -> {
        ensureStarted(out);
        closeReasoning(out);
        if (message == null) openMessage(out);
        message.text.append(t.text());
        ObjectNode e = event("response.output_text.delta").put("item_id", message.id).put("output_index", message.index)
            .put("content_index", 0).put("delta", t.text());
        e.putArray("logprobs");
        write(e, out);
      }
      case StreamEvent.ThinkingDelta t -> {
        ensureStarted(out);
        closeMessage(out);
        if (reasoning == null) openReasoning(out);
        if (!reasoning.partOpen) {
          reasoning.partOpen = true;
          ObjectNode e = event("response.reasoning_summary_part.added").put("item_id", reasoning.id)
              .put("output_index", reasoning.index).put("summary_index", 0);
          e.putObject("part").put("type", "summary_text").put("text", "");
          write(e, out);
        }
        reasoning.text.append(t.text());
        write(event("response.reasoning_summary_text.delta").put("item_id", reasoning.id).put("output_index", reasoning.index)
            .put("summary_index", 0).put("delta", t.text()), out);
      }
      case StreamEvent.ThinkingSignature s -> {
        ensureStarted(out);
        if (reasoning == null) {
          closeMessage(out);
          openReasoning(out);
        }
        signature = s.signature();
      }
      case StreamEvent.RedactedThinking r -> { } // opaque to every client but Anthropic's
      case StreamEvent.ToolCallStart s -> {
        ensureStarted(out);
        closeMessage(out);
        closeReasoning(out);
        OpenCall c = new OpenCall(output.size(), ResponseIds.next(ctx.isCustom(s.name()) ? "ctc" : "fc"), s.id(), s.name());
        output.add(null);
        calls.put(s.index(), c);
        ObjectNode e = event("response.output_item.added").put("output_index", c.index);
        e.set("item", ResponsesOutput.callItem(ctx, c.id, new Part.ToolCall(c.callId, c.name, ""), "in_progress"));
        if (!ctx.isCustom(c.name)) ((ObjectNode) e.get("item")).put("arguments", "");
        write(e, out);
      }
      case StreamEvent.ToolCallDelta d -> {
        OpenCall c = calls.get(d.index());
        if (c == null || d.argumentsFragment().isEmpty()) return;
        c.args.append(d.argumentsFragment());
        // A custom tool's input is a string inside the canonical JSON: it goes out whole, at the end.
        if (!ctx.isCustom(c.name)) {
          write(event("response.function_call_arguments.delta").put("item_id", c.id).put("output_index", c.index)
              .put("delta", d.argumentsFragment()), out);
        }
      }
      case StreamEvent.Finish f -> finish = f.reason();
      case StreamEvent.UsageReport u -> usage = usage.merge(u.usage());
      case StreamEvent.End e -> end(out);
      case StreamEvent.Error err -> fail(new GatewayException(io.junction.protocol.ErrorKind.BAD_GATEWAY, err.message()), out);
    }
  }

  private void end(Buffer out) {
    ensureStarted(out);
    closeMessage(out);
    closeReasoning(out);
    for (OpenCall c : calls.values()) closeCall(c, out);
    calls.clear();
    ended = true;
    if (finish == FinishReason.STOP && output.stream().anyMatch(i -> i != null && i.path("type").asText().endsWith("call"))) {
      finish = FinishReason.TOOL_CALLS;
    }
    String status = ResponsesOutput.status(finish);
    ObjectNode response = snapshot(status, usage, null);
    if (onFinal != null) onFinal.accept(response);
    ObjectNode e = event("completed".equals(status) ? "response.completed" : "response.incomplete");
    e.set("response", response);
    write(e, out);
  }

  @Override
  public void fail(GatewayException error, Buffer out) {
    if (ended) return;
    ended = true;
    ensureStarted(out);
    ObjectNode err = Json.object().put("code", "server_error").put("message", error.getMessage());
    ObjectNode e = event("response.failed");
    e.set("response", snapshot("failed", usage, err));
    write(e, out);
  }

  private ObjectNode snapshot(String status, Usage u, ObjectNode error) {
    ArrayNode items = Json.array();
    for (ObjectNode i : output) if (i != null) items.add(i);
    return ResponsesOutput.response(ctx, responseId, model, createdAt, status, items, u, finish, error);
  }

  private void ensureStarted(Buffer out) {
    if (started) return;
    started = true;
    ObjectNode created = event("response.created");
    created.set("response", snapshot("in_progress", null, null));
    write(created, out);
    ObjectNode progress = event("response.in_progress");
    progress.set("response", snapshot("in_progress", null, null));
    write(progress, out);
  }

  private void openMessage(Buffer out) {
    message = new OpenText(output.size(), ResponseIds.next("msg"));
    output.add(null);
    ObjectNode added = event("response.output_item.added").put("output_index", message.index);
    added.set("item", ResponsesOutput.messageItem(message.id, null, "in_progress"));
    write(added, out);
    ObjectNode part = event("response.content_part.added").put("item_id", message.id).put("output_index", message.index)
        .put("content_index", 0);
    part.set("part", ResponsesOutput.outputText(""));
    write(part, out);
  }

  private void closeMessage(Buffer out) {
    if (message == null) return;
    OpenText m = message;
    message = null;
    String text = m.text.toString();
    ObjectNode done = event("response.output_text.done").put("item_id", m.id).put("output_index", m.index)
        .put("content_index", 0).put("text", text);
    done.putArray("logprobs");
    write(done, out);
    ObjectNode part = event("response.content_part.done").put("item_id", m.id).put("output_index", m.index).put("content_index", 0);
    part.set("part", ResponsesOutput.outputText(text));
    write(part, out);
    ObjectNode item = ResponsesOutput.messageItem(m.id, text, "completed");
    output.set(m.index, item);
    ObjectNode e = event("response.output_item.done").put("output_index", m.index);
    e.set("item", item);
    write(e, out);
  }

  private void openReasoning(Buffer out) {
    reasoning = new OpenText(output.size(), ResponseIds.next("rs"));
    signature = null;
    output.add(null);
    ObjectNode added = event("response.output_item.added").put("output_index", reasoning.index);
    added.set("item", ResponsesOutput.reasoningItem(reasoning.id, null, null));
    write(added, out);
  }

  private void closeReasoning(Buffer out) {
    if (reasoning == null) return;
    OpenText r = reasoning;
    reasoning = null;
    String text = r.text.toString();
    if (r.partOpen) {
      write(event("response.reasoning_summary_text.done").put("item_id", r.id).put("output_index", r.index)
          .put("summary_index", 0).put("text", text), out);
      ObjectNode part = event("response.reasoning_summary_part.done").put("item_id", r.id).put("output_index", r.index)
          .put("summary_index", 0);
      part.putObject("part").put("type", "summary_text").put("text", text);
      write(part, out);
    }
    ObjectNode item = ResponsesOutput.reasoningItem(r.id, text, signature);
    output.set(r.index, item);
    ObjectNode e = event("response.output_item.done").put("output_index", r.index);
    e.set("item", item);
    write(e, out);
  }

  private void closeCall(OpenCall c, Buffer out) {
    String args = c.args.isEmpty() ? "{}" : c.args.toString();
    Part.ToolCall call = new Part.ToolCall(c.callId, c.name, args);
    ObjectNode item = ResponsesOutput.callItem(ctx, c.id, call, "completed");
    if (ctx.isCustom(c.name)) {
      String input = item.path("input").asText();
      write(event("response.custom_tool_call_input.delta").put("item_id", c.id).put("output_index", c.index).put("delta", input), out);
      write(event("response.custom_tool_call_input.done").put("item_id", c.id).put("output_index", c.index).put("input", input), out);
    } else {
      write(event("response.function_call_arguments.done").put("item_id", c.id).put("output_index", c.index)
          .put("name", item.path("name").asText()).put("arguments", args), out);
    }
    output.set(c.index, item);
    ObjectNode e = event("response.output_item.done").put("output_index", c.index);
    e.set("item", item);
    write(e, out);
  }

  private ObjectNode event(String type) { return Json.object().put("type", type); }

  private void write(ObjectNode e, Buffer out) {
    e.put("sequence_number", sequence++);
    out.appendString("event: ").appendString(e.path("type").asText()).appendString("\ndata: ")
        .appendBuffer(Json.buffer(e)).appendString("\n\n");
  }
}
