package io.junction.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool the model may call. {@code parameters} is a JSON Schema object (may be null).
 * {@code custom} marks an OpenAI Responses custom tool (free-form text input): other protocols see
 * it as a function with one string parameter {@code input}. {@code namespace} is the Responses
 * namespace the tool was declared in; its canonical {@code name} is then {@code namespace__name}
 * (a name every protocol accepts).
 */
public record Tool(String name, String description, JsonNode parameters, JsonNode cacheControl, boolean custom, String namespace) {
  public Tool(String name, String description, JsonNode parameters) { this(name, description, parameters, null, false, null); }

  public Tool(String name, String description, JsonNode parameters, JsonNode cacheControl) {
    this(name, description, parameters, cacheControl, false, null);
  }

  /** Separator of a namespaced tool's canonical name. */
  public static final String NAMESPACE_SEPARATOR = "__";
}
