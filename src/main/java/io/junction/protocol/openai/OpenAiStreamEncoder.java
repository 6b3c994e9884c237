package io.junction.protocol.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.StreamEncoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;

/** Canonical events to chat.completion.chunk SSE, ending with {@code data: [DONE]}. */
final class OpenAiStreamEncoder implements StreamEncoder {
  private final ChatRequest request;
  private String id = "chatcmpl-" + Long.toHexString(System.nanoTime());
  private final long created = System.currentTimeMillis() / 1000;
  private Usage usage = Usage.ZERO;
  private boolean started;

  OpenAiStreamEncoder(ChatRequest request) { this.request = request; }

  @Override
  public void encode(StreamEvent event, Buffer out) {
    switch (event) {
      case StreamEvent.Start s -> {
        if (s.id() != null) id = s.id().startsWith("chatcmpl") ? s.id() : "chatcmpl-" + s.id();
        usage = usage.merge(s.usage());
        ensureStarted(out);
      }
      case StreamEvent.TextDelta t -> {
        ensureStarted(out);
        ObjectNode c = chunk();
        delta(c).put("content", t.text());
        write(c, out);
      }
      case StreamEvent.ThinkingDelta t -> {
        ensureStarted(out);
        ObjectNode c = chunk();
        delta(c).put("reasoning_content", t.text());
        write(c, out);
      }
      case StreamEvent.ToolCallStart s -> {
        ensureStarted(out);
        ObjectNode c = chunk();
        ObjectNode call = delta(c).putArray("tool_calls").addObject();
        call.put("index", s.index()).put("id", s.id()).put("type", "function");
        call.putObject("function").put("name", s.name()).put("arguments", "");
        write(c, out);
      }
      case StreamEvent.ToolCallDelta d -> {
        if (d.argumentsFragment().isEmpty()) return;
        ObjectNode c = chunk();
        ObjectNode call = delta(c).putArray("tool_calls").addObject();
        call.put("index", d.index()).putObject("function").put("arguments", d.argumentsFragment());
        write(c, out);
      }
      case StreamEvent.Finish f -> {
        ensureStarted(out);
        ObjectNode c = chunk();
        delta(c);
        ((ObjectNode) c.get("choices").get(0)).put("finish_reason", OpenAiResponses.finishReason(f.reason()));
        write(c, out);
      }
      case StreamEvent.UsageReport u -> usage = usage.merge(u.usage());
      case StreamEvent.End e -> {
        ensureStarted(out);
        if (request.includeUsage) {
          ObjectNode c = base();
          c.putArray("choices");
          c.set("usage", OpenAiResponses.usage(usage));
          write(c, out);
        }
        out.appendString("data: [DONE]\n\n");
      }
      case StreamEvent.Error err -> fail(new GatewayException(io.junction.protocol.ErrorKind.BAD_GATEWAY, err.message()), out);
      case StreamEvent.ThinkingSignature s -> { }
      case StreamEvent.RedactedThinking r -> { }
    }
  }

  @Override
  public void fail(GatewayException error, Buffer out) {
    // OpenAI signals in-stream errors as a data payload with an error object; no [DONE] follows.
    out.appendString("data: ").appendBuffer(OpenAiErrors.encode(error)).appendString("\n\n");
  }

  private void ensureStarted(Buffer out) {
    if (started) return;
    started = true;
    ObjectNode c = chunk();
    delta(c).put("role", "assistant").put("content", "");
    write(c, out);
  }

  private ObjectNode base() {
    ObjectNode c = Json.object();
    c.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", request.model);
    return c;
  }

  private ObjectNode chunk() {
    ObjectNode c = base();
    ArrayNode choices = c.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    choice.putNull("finish_reason");
    return c;
  }

  private static ObjectNode delta(ObjectNode chunk) {
    return ((ObjectNode) chunk.get("choices").get(0)).putObject("delta");
  }

  private static void write(ObjectNode chunk, Buffer out) {
    out.appendString("data: ").appendBuffer(Json.buffer(chunk)).appendString("\n\n");
  }
}
