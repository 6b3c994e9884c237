package io.junction.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** The one shared ObjectMapper and small helpers that codecs use to read and write JSON trees. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Reads one value from the middle of a streaming parse (the parser goes on after it). */
  public static final com.fasterxml.jackson.databind.ObjectReader EMBEDDED_VALUE =
      MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  public static ObjectNode object() { return NODES.objectNode(); }

  public static ArrayNode array() { return NODES.arrayNode(); }

  /** Parses bytes into a tree; throws {@link IOException} on malformed JSON. */
  public static JsonNode parse(Buffer body) throws IOException {
    return MAPPER.readTree(body.getBytes());
  }

  public static JsonNode parse(String text) throws IOException {
    return MAPPER.readTree(text);
  }

  /** Parses an upstream body, turning garbage into a 502 for the client. */
  public static JsonNode parseUpstream(Buffer body) {
    try {
      JsonNode n = MAPPER.readTree(body.getBytes());
      if (n == null || n.isMissingNode()) throw GatewayException.badGateway("Upstream returned an empty body");
      return n;
    } catch (IOException e) {
      throw GatewayException.badGateway("Upstream returned a body that is not valid JSON");
    }
  }

  public static Buffer buffer(JsonNode node) {
    try {
      return Buffer.buffer(MAPPER.writeValueAsBytes(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String text(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Text of a string field, or null if absent/null. Throws a 400 naming {@code path} if it is not a string. */
  public static String string(JsonNode obj, String field, String path) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw GatewayException.invalid(path, "'" + path + "' must be a string");
    return v.asText();
  }

  public static Double number(JsonNode obj, String field, String path) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isNumber()) throw GatewayException.invalid(path, "'" + path + "' must be a number");
    return v.asDouble();
  }

  public static Integer integer(JsonNode obj, String field, String path) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isIntegralNumber() && !(v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) {
      throw GatewayException.invalid(path, "'" + path + "' must be an integer");
    }
    return v.asInt();
  }

  public static Boolean bool(JsonNode obj, String field, String path) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isBoolean()) throw GatewayException.invalid(path, "'" + path + "' must be a boolean");
    return v.asBoolean();
  }

  /** The array at {@code field}, or null if absent; 400 naming {@code path} if not an array. */
  public static ArrayNode arrayField(JsonNode obj, String field, String path) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isArray()) throw GatewayException.invalid(path, "'" + path + "' must be an array");
    return (ArrayNode) v;
  }

  public static ObjectNode objectField(JsonNode obj, String field, String path) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isObject()) throw GatewayException.invalid(path, "'" + path + "' must be an object");
    return (ObjectNode) v;
  }
}
