package io.junction.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.Json;
import java.util.Locale;
import java.util.Map;

/**
 * Gemini's {@code parameters}/{@code responseSchema} use an OpenAPI 3.0 subset with upper-case
 * types ({@code "OBJECT"}) and {@code nullable}; other providers want JSON Schema. The
 * {@code …JsonSchema} fields already are JSON Schema and pass through untouched.
 */
final class GeminiSchemas {
  private GeminiSchemas() {}

  static JsonNode toJsonSchema(JsonNode openApi) {
    if (openApi.isArray()) {
      ArrayNode out = Json.array();
      openApi.forEach(item -> out.add(toJsonSchema(item)));
      return out;
    }
    if (!openApi.isObject()) return openApi;
    ObjectNode out = Json.object();
    boolean nullable = openApi.path("nullable").asBoolean(false);
    for (Map.Entry<String, JsonNode> field : openApi.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      switch (key) {
        case "nullable", "propertyOrdering" -> { }
        case "type" -> {
          String type = value.asText().toLowerCase(Locale.ROOT);
          if (nullable) out.putArray("type").add(type).add("null");
          else out.put("type", type);
        }
        case "properties" -> {
          ObjectNode props = out.putObject("properties");
          value.properties().forEach(p -> props.set(p.getKey(), toJsonSchema(p.getValue())));
        }
        case "items", "anyOf" -> out.set(key, toJsonSchema(value));
        default -> out.set(key, value);
      }
    }
    return out;
  }
}
