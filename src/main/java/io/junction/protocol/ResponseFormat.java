package io.junction.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/** Structured output: plain text, any JSON object, or JSON matching {@code schema}. */
public record ResponseFormat(Kind kind, String name, JsonNode schema, Boolean strict) {
  public enum Kind { TEXT, JSON_OBJECT, JSON_SCHEMA }

  public static final ResponseFormat JSON = new ResponseFormat(Kind.JSON_OBJECT, null, null, null);
}
