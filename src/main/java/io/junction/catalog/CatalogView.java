package io.junction.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.Json;
import io.junction.telemetry.Price;
import io.junction.telemetry.Pricing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/v1/catalog}: every priced model with its price (the config's overrides
 * included), where the price comes from and when it was checked, and what the model can take.
 */
public final class CatalogView {
  /** pricing.json's per-model metadata (provider, source, checked, unconfirmed, note) by lower-case name. */
  private static final Map<String, JsonNode> SHIPPED = shipped();
  private static final JsonNode SOURCES = sources();

  private CatalogView() {}

  /** The catalog, optionally only one provider's models and/or names containing {@code contains}. */
  public static ObjectNode json(Pricing pricing, ModelCatalog models, String provider, String contains) {
    ObjectNode out = Json.object();
    out.put("checked", pricing.checked());
    ArrayNode list = out.putArray("models");
    for (Map.Entry<String, Price> e : new TreeMap<>(pricing.all()).entrySet()) {
      String name = e.getKey();
      JsonNode meta = SHIPPED.get(name);
      String owner = meta == null ? null : meta.path("provider").asText(null);
      if (provider != null && !provider.equalsIgnoreCase(owner)) continue;
      if (contains != null && !name.contains(contains.toLowerCase(Locale.ROOT))) continue;
      ObjectNode m = list.addObject().put("model", name).put("provider", owner);
      ModelInfo info = models.all().get(name);
      if (info != null) {
        m.put("context_window", info.contextWindow()).put("max_output_tokens", info.maxOutputTokens())
            .put("reasoning", info.reasoning()).put("images", info.images()).put("tools", info.tools())
            .put("json_schema", info.jsonSchema()).put("prompt_caching", info.promptCaching());
      }
      m.set("price", price(e.getValue()));
      if (meta == null) {
        m.put("source", "config");
      } else {
        m.put("source", meta.path("source").asText(SOURCES.path(owner).path("url").asText(null)));
        m.put("checked", meta.path("checked").asText(pricing.checked()));
        m.put("unconfirmed", meta.path("unconfirmed").asBoolean(false));
        if (meta.hasNonNull("note")) m.put("note", meta.get("note").asText());
      }
    }
    out.put("count", list.size());
    return out;
  }

  private static ObjectNode price(Price p) {
    ObjectNode n = Json.object().put("input", p.input()).put("output", p.output()).put("cached_input", p.cachedInput())
        .put("cache_write", p.cacheWrite()).put("cache_write_1h", p.cacheWrite1h()).put("reasoning", p.reasoning());
    if (p.longContext() != null) n.set("long_context", price(p.longContext()).put("above", p.longContextAbove()));
    if (p.batch() != null) n.set("batch", price(p.batch()));
    return n;
  }

  private static JsonNode root() {
    try (InputStream in = CatalogView.class.getResourceAsStream("/pricing.json")) {
      return Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, JsonNode> shipped() {
    Map<String, JsonNode> out = new TreeMap<>();
    root().get("models").properties().forEach(e -> out.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
    return out;
  }

  private static JsonNode sources() { return root().path("sources"); }
}
