package io.junction.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The shipped model catalog ({@code models.json} beside {@code pricing.json}): per model its
 * context window, output limit and abilities. Names resolve as prices do ({@link ModelNames}).
 * Used by routing (skip candidates that cannot take the request's images or tools) and by
 * translation (cap {@code max_tokens}, send reasoning settings only to reasoning models).
 */
public final class ModelCatalog {
  private static final ModelCatalog SHIPPED = load();

  private final ModelNames<ModelInfo> models;

  public ModelCatalog(Map<String, ModelInfo> models) { this.models = new ModelNames<>(models); }

  public static ModelCatalog shipped() { return SHIPPED; }

  public Optional<ModelInfo> find(String provider, String model) { return models.find(provider, model); }

  /** Every entry by lower-case name. */
  public Map<String, ModelInfo> all() { return models.all(); }

  public int size() { return models.size(); }

  private static ModelCatalog load() {
    try (InputStream in = ModelCatalog.class.getResourceAsStream("/models.json")) {
      if (in == null) throw new IllegalStateException("models.json is missing from the classpath");
      Map<String, ModelInfo> out = new HashMap<>();
      Json.MAPPER.readTree(in).get("models").properties().forEach(e -> {
        JsonNode m = e.getValue();
        out.put(e.getKey(), new ModelInfo(number(m, "context_window"), number(m, "max_output_tokens"),
            bool(m, "reasoning"), bool(m, "images"), bool(m, "tools"), bool(m, "json_schema"), bool(m, "prompt_caching")));
      });
      return new ModelCatalog(out);
    } catch (IOException e) {
      throw new UncheckedIOException("models.json is not valid JSON", e);
    }
  }

  private static Long number(JsonNode m, String field) {
    JsonNode v = m.get(field);
    return v == null || !v.isNumber() ? null : v.asLong();
  }

  private static Boolean bool(JsonNode m, String field) {
    JsonNode v = m.get(field);
    return v == null || !v.isBoolean() ? null : v.asBoolean();
  }
}
