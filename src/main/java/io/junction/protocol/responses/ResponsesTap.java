package io.junction.protocol.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.Json;
import io.junction.protocol.StreamTap;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Watches a Responses API stream relayed unchanged. Bytes go out whole events at a time, and the
 * terminal event ({@code response.completed}, {@code .incomplete} or {@code .failed}) is held back
 * until the upstream closes: the relay sends it last, after the response is stored. The final
 * Response object goes to {@code onFinal}.
 */
final class ResponsesTap implements StreamTap {
  private final Consumer<ObjectNode> onFinal;
  private Buffer partial = Buffer.buffer();
  private Buffer held = Buffer.buffer();
  private Buffer failure;
  private ObjectNode created;
  private long lastSequence = -1;
  private Usage usage = Usage.ZERO;
  private boolean complete;
  private String error;

  ResponsesTap(Consumer<ObjectNode> onFinal) { this.onFinal = onFinal; }

  @Override
  public Buffer relay(Buffer chunk) {
    partial.appendBuffer(chunk);
    Buffer out = Buffer.buffer();
    int start = 0;
    int end;
    while ((end = eventEnd(partial, start)) >= 0) {
      Buffer event = partial.getBuffer(start, end);
      route(event, out);
      start = end;
    }
    partial = start == 0 ? partial : partial.getBuffer(start, partial.length());
    return out;
  }

  @Override
  public Buffer finish() {
    if (partial.length() > 0) {
      Buffer rest = partial;
      partial = Buffer.buffer();
      Buffer before = Buffer.buffer();
      route(rest, before);
      held = before.appendBuffer(held);
    }
    Buffer out = held;
    held = Buffer.buffer();
    return out;
  }

  /** The upstream's own {@code response.failed}, else one made from its {@code response.created}, next in sequence. */
  @Override
  public Buffer failureEvent(String message) {
    if (failure != null) return failure;
    ObjectNode response = created == null ? Json.object().put("object", "response") : created.deepCopy();
    response.put("status", "failed");
    response.putObject("error").put("code", "server_error").put("message", message);
    ObjectNode e = Json.object().put("type", "response.failed");
    e.set("response", response);
    e.put("sequence_number", lastSequence + 1);
    return Buffer.buffer("event: response.failed\ndata: ").appendBuffer(Json.buffer(e)).appendString("\n\n");
  }

  @Override public boolean complete() { return complete && error == null; }

  @Override public Usage usage() { return usage; }

  @Override public String error() { return error; }

  /** The index just past the blank line ending the event that starts at {@code from}, or -1. */
  private static int eventEnd(Buffer b, int from) {
    for (int i = from; i < b.length() - 1; i++) {
      if (b.getByte(i) != '\n') continue;
      if (b.getByte(i + 1) == '\n') return i + 2;
      if (b.getByte(i + 1) == '\r' && i + 2 < b.length() && b.getByte(i + 2) == '\n') return i + 3;
    }
    return -1;
  }

  /** Forwards an event, holds it back (the clean ending), or keeps it as the upstream's failure. */
  private void route(Buffer event, Buffer out) {
    switch (observe(event)) {
      case HOLD -> held.appendBuffer(event);
      case FAILURE -> failure = event;
      default -> out.appendBuffer(event);
    }
  }

  private enum Kind { FORWARD, HOLD, FAILURE }

  private Kind observe(Buffer event) {
    String data = null;
    for (String line : event.toString().split("\r?\n")) {
      if (line.startsWith("data:")) data = data == null ? line.substring(5).trim() : data + "\n" + line.substring(5).trim();
    }
    if (data == null) return Kind.FORWARD;
    JsonNode e;
    try {
      e = Json.parse(data);
    } catch (IOException ex) {
      error = "Upstream sent a stream event that is not valid JSON";
      return Kind.FORWARD;
    }
    String type = e.path("type").asText();
    if (e.has("sequence_number")) lastSequence = Math.max(lastSequence, e.get("sequence_number").asLong());
    if (type.equals("response.created") && e.get("response") instanceof ObjectNode r) created = r;
    switch (type) {
      case "response.completed", "response.incomplete" -> {
        complete = true;
        JsonNode r = e.get("response");
        usage = usage.merge(ResponsesOutput.usage(r == null ? null : r.get("usage")));
        if (onFinal != null && r instanceof ObjectNode o) onFinal.accept(o);
        return Kind.HOLD;
      }
      case "response.failed" -> {
        error = e.path("response").path("error").path("message").asText("Upstream response failed");
        return Kind.FAILURE;
      }
      case "error" -> {
        error = e.path("message").asText("Upstream error");
        return Kind.FORWARD;
      }
      default -> {
        return Kind.FORWARD;
      }
    }
  }
}
