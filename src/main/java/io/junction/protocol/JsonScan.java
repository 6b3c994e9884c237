package io.junction.protocol;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Helpers for reading a few fields of a JSON document with Jackson's streaming parser, skipping
 * the rest token by token instead of building a tree: the usage readers of relayed answers and the
 * stream taps use them.
 */
public final class JsonScan {
  private JsonScan() {}

  /** Reads the root object; the parser is on its START_OBJECT. */
  public interface ObjectReader<T> {
    T read(JsonParser p) throws IOException;
  }

  /**
   * Scans a whole upstream body that must be one JSON object. Garbage (empty, not JSON, not an
   * object, trailing data) is a 502 {@link GatewayException}, as a full decode would give.
   */
  public static <T> T object(Buffer body, String notAnObject, ObjectReader<T> reader) {
    try (JsonParser p = Json.MAPPER.createParser(body.getBytes())) {
      JsonToken t = p.nextToken();
      if (t == null) throw GatewayException.badGateway("Upstream returned an empty body");
      if (t != JsonToken.START_OBJECT) throw GatewayException.badGateway(notAnObject);
      T result = reader.read(p);
      requireEnd(p);
      return result;
    } catch (IOException e) {
      throw GatewayException.badGateway("Upstream returned a body that is not valid JSON");
    }
  }

  /**
   * The text of the scalar the parser is on (a string's value, a number's digits), null for JSON
   * null; a container is skipped and reads as "" — what {@code JsonNode.asText} gives.
   */
  public static String scalarText(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) return null;
    if (t.isStructStart()) {
      p.skipChildren();
      return "";
    }
    return p.getText();
  }

  /** Reads the value the parser is on as a small tree (for usage and error objects only). */
  public static JsonNode tree(JsonParser p) throws IOException {
    JsonNode n = Json.EMBEDDED_VALUE.readTree(p);
    return n == null ? Json.NODES.nullNode() : n;
  }

  /** After the root value: anything more makes the document invalid, as for a tree parse. */
  public static void requireEnd(JsonParser p) throws IOException {
    if (p.nextToken() != null) throw new JsonParseException(p, "trailing data after the JSON value");
  }

  /**
   * Whether the object the parser is on (its START_OBJECT is {@code t}) has {@code field} with a
   * non-null value (the last one, if repeated); skips the object either way. A stream's finish
   * marker ({@code finish_reason}, {@code finishReason}) is read this way without building it.
   */
  public static boolean hasNonNull(JsonParser p, JsonToken t, String field) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      p.skipChildren();
      return false;
    }
    boolean found = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (name.equals(field)) found = v != JsonToken.VALUE_NULL;
      p.skipChildren();
    }
    return found;
  }
}
