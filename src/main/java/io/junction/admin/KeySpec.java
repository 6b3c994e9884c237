package io.junction.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What {@code POST /api/v1/keys} asks for. Null limits mean unlimited; no models means all. */
public record KeySpec(String name, List<String> allowedModels, Integer rpm, Long tpm, Double budgetUsd) {
  private static final Set<String> FIELDS = Set.of("name", "allowed_models", "rpm", "tpm", "budget_usd");

  public KeySpec {
    allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
  }

  /**
   * Reads and validates a request body: {@code {"name": "...", "allowed_models": ["gpt-4o*"],
   * "rpm": 60, "tpm": 100000, "budget_usd": 25.0}}; only {@code name} is required. Throws a 400
   * {@link GatewayException} naming the first bad field.
   */
  public static KeySpec fromJson(JsonNode body) {
    if (body == null || !body.isObject()) throw GatewayException.invalid(null, "The body must be a JSON object");
    body.fieldNames().forEachRemaining(f -> {
      if (!FIELDS.contains(f)) throw GatewayException.invalid(f, "Unknown field '" + f + "'; expected one of " + FIELDS);
    });
    String name = Json.string(body, "name", "name");
    if (name == null || name.isBlank()) throw GatewayException.invalid("name", "'name' is required");
    List<String> models = new ArrayList<>();
    ArrayNode array = Json.arrayField(body, "allowed_models", "allowed_models");
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode m = array.get(i);
        if (!m.isTextual() || m.asText().isBlank()) {
          throw GatewayException.invalid("allowed_models[" + i + "]", "'allowed_models[" + i + "]' must be a non-empty string");
        }
        models.add(m.asText().strip());
      }
    }
    Integer rpm = Json.integer(body, "rpm", "rpm");
    Double tpm = Json.number(body, "tpm", "tpm");
    Double budget = Json.number(body, "budget_usd", "budget_usd");
    if (rpm != null && rpm < 1) throw GatewayException.invalid("rpm", "'rpm' must be at least 1");
    if (tpm != null && (tpm < 1 || tpm != Math.rint(tpm))) throw GatewayException.invalid("tpm", "'tpm' must be a positive integer");
    if (budget != null && !(budget >= 0)) throw GatewayException.invalid("budget_usd", "'budget_usd' must be 0 or more");
    return new KeySpec(name.strip(), models, rpm, tpm == null ? null : tpm.longValue(), budget);
  }
}
