package io.junction.protocol.cohere;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.junction.protocol.SseFramer;
import io.junction.protocol.SseTap;
import java.io.IOException;

/**
 * Fast-path tap of a Cohere v2 chat stream: only {@code message-end} matters — its usage, and its
 * {@code delta.error} — and it completes the stream, as {@link CohereStreamDecoder} reads it.
 * Other events are skipped by their SSE name, or after their {@code type} when they have none.
 */
final class CohereStreamTap extends SseTap {

  CohereStreamTap() { super(false, "Cohere stream ended without message-end"); }

  @Override
  protected boolean onEvent(SseFramer.Event e) {
    if (e.hasName() && !e.nameIs("message-end") && !e.nameIs("")) return true;
    try (JsonParser p = e.dataParser()) {
      event(p, e.nameIs("message-end") ? "message-end" : "");
    } catch (IOException ex) {
      fail("Cohere sent a stream event that is not JSON");
    }
    return true;
  }

  private void event(JsonParser p, String name) throws IOException {
    JsonToken t = p.nextToken();
    if (t != JsonToken.START_OBJECT) {
      p.skipChildren();
      requireEnd(p);
      if (name.equals("message-end")) messageEnd(MissingNode.getInstance());
      return;
    }
    String type = null;
    JsonNode delta = MissingNode.getInstance();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      t = p.nextToken();
      switch (field) {
        case "type" -> {
          type = scalarText(p, t);
          if (type != null && !type.equals("message-end")) return;
        }
        case "delta" -> delta = tree(p);
        default -> p.skipChildren();
      }
    }
    requireEnd(p);
    if ((type != null ? type : name).equals("message-end")) messageEnd(delta);
  }

  private void messageEnd(JsonNode delta) {
    String error = delta.path("error").asText("");
    if (!error.isEmpty()) {
      fail(error);
      return;
    }
    if (delta.has("usage")) addUsage(CohereCodec.usage(delta.get("usage")));
    end();
  }
}
