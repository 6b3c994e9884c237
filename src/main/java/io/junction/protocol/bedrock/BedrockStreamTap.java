package io.junction.protocol.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.Json;
import io.junction.protocol.JsonScan;
import io.junction.protocol.StreamTap;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Tap of a ConverseStream (binary event stream) relayed unchanged: usage from the {@code metadata}
 * event, complete when the upstream closes after {@code messageStop}, an exception or error
 * message is an error — as {@link BedrockStreamDecoder} reads them. Only {@code metadata} payloads
 * are parsed.
 */
final class BedrockStreamTap implements StreamTap {
  private final EventStream.Decoder frames = new EventStream.Decoder();
  private Usage usage = Usage.ZERO;
  private boolean stopped;
  private boolean complete;
  private String error;

  @Override
  public Buffer relay(Buffer chunk) {
    if (error != null) return chunk;
    try {
      for (EventStream.Message m : frames.feed(chunk)) {
        message(m);
        if (error != null) break;
      }
    } catch (EventStream.FramingException e) {
      error = "Bedrock stream is corrupt: " + e.getMessage();
    }
    return chunk;
  }

  @Override
  public Buffer finish() {
    if (error == null) {
      if (frames.hasPartialMessage()) error = "Bedrock stream ended inside a frame";
      else if (!stopped) error = "Bedrock stream ended without messageStop";
      else complete = true;
    }
    return Buffer.buffer();
  }

  @Override public boolean complete() { return complete && error == null; }

  @Override public Usage usage() { return usage; }

  @Override public String error() { return error; }

  private void message(EventStream.Message m) {
    String type = m.header(":message-type");
    if ("exception".equals(type)) {
      String exception = m.header(":exception-type");
      error = BedrockStreamDecoder.messageOf(m.payload(), exception);
      return;
    }
    if ("error".equals(type)) {
      error = m.header(":error-code") + ": " + m.header(":error-message");
      return;
    }
    String event = m.header(":event-type");
    if ("messageStop".equals(event)) {
      stopped = true;
    } else if ("metadata".equals(event)) {
      try (JsonParser p = Json.MAPPER.createParser(m.payload())) {
        JsonNode u = usage(p);
        if (u != null) usage = usage.merge(BedrockCodec.usage(u));
      } catch (IOException e) {
        error = "Bedrock sent an event whose payload is not JSON";
      }
    }
  }

  /** The {@code usage} of a metadata payload (metrics and trace are skipped), or null. */
  private static JsonNode usage(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    JsonNode usage = null;
    if (t == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("usage")) usage = JsonScan.tree(p);
        else p.skipChildren();
      }
    } else if (t != null) {
      p.skipChildren();
    }
    JsonScan.requireEnd(p);
    return usage;
  }
}
