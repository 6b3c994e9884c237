package io.junction.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/** A function tool the model may call. {@code parameters} is a JSON Schema object (may be null). */
public record Tool(String name, String description, JsonNode parameters, JsonNode cacheControl) {
  public Tool(String name, String description, JsonNode parameters) { this(name, description, parameters, null); }
}
