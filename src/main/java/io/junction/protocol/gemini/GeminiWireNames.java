package io.junction.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Google's JSON parser also takes proto field names ({@code system_instruction}, {@code
 * inline_data}) and a lone object where a list is expected ({@code "parts": {"text": "…"}}), and
 * Google's own curl samples use both. This rewrites a request into the camelCase, list form the
 * decoder reads. Free-form objects (function args and responses, schemas) are left untouched.
 */
final class GeminiWireNames {
  private GeminiWireNames() {}

  /** A normalized copy; the client's body itself is not changed (the fast path forwards it). */
  static ObjectNode request(ObjectNode body) {
    ObjectNode root = body.deepCopy();
    camelCase(root);
    for (JsonNode content : repeated(root, "contents")) content(content);
    if (root.get("systemInstruction") instanceof ObjectNode system) content(system);
    for (JsonNode tool : repeated(root, "tools")) {
      if (!(tool instanceof ObjectNode t)) continue;
      camelCase(t);
      for (JsonNode declaration : repeated(t, "functionDeclarations")) if (declaration instanceof ObjectNode d) camelCase(d);
    }
    if (root.get("toolConfig") instanceof ObjectNode toolConfig) {
      camelCase(toolConfig);
      if (toolConfig.get("functionCallingConfig") instanceof ObjectNode calling) camelCase(calling);
    }
    if (root.get("generationConfig") instanceof ObjectNode config) {
      camelCase(config);
      if (config.get("thinkingConfig") instanceof ObjectNode thinking) camelCase(thinking);
    }
    return root;
  }

  private static void content(JsonNode content) {
    if (!(content instanceof ObjectNode c)) return;
    camelCase(c);
    for (JsonNode part : repeated(c, "parts")) {
      if (!(part instanceof ObjectNode p)) continue;
      camelCase(p);
      if (p.get("inlineData") instanceof ObjectNode blob) camelCase(blob);
      if (p.get("fileData") instanceof ObjectNode file) camelCase(file);
    }
  }

  /** The list at {@code field}, a lone object there wrapped into one; anything else is left for the decoder to reject. */
  private static ArrayNode repeated(ObjectNode parent, String field) {
    JsonNode value = parent.get(field);
    if (value instanceof ObjectNode single) {
      ArrayNode list = Json.array().add(single);
      parent.set(field, list);
      return list;
    }
    return value instanceof ArrayNode list ? list : Json.array();
  }

  /** Renames {@code snake_case} keys of this one object; a camelCase twin, if both are sent, wins. */
  static void camelCase(ObjectNode object) {
    List<String> snake = new ArrayList<>();
    object.fieldNames().forEachRemaining(name -> { if (name.indexOf('_') > 0) snake.add(name); });
    for (String name : snake) {
      JsonNode value = object.remove(name);
      String camel = toCamel(name);
      if (!object.has(camel)) object.set(camel, value);
    }
  }

  private static String toCamel(String snake) {
    StringBuilder out = new StringBuilder(snake.length());
    boolean upper = false;
    for (char ch : snake.toCharArray()) {
      if (ch == '_') { upper = true; continue; }
      out.append(upper ? Character.toUpperCase(ch) : ch);
      upper = false;
    }
    return out.toString();
  }
}
