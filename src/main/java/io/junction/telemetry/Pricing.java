package io.junction.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.catalog.ModelNames;
import io.junction.config.PriceConfig;
import io.junction.protocol.Json;
import io.junction.protocol.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Model prices: the catalog shipped as {@code pricing.json} with the config's {@code pricing:}
 * entries on top, names resolved by {@link ModelNames}. Unknown models cost 0.
 */
public final class Pricing {
  /** What follows a model name in a dated or versioned snapshot of it: -2024-08-06, -20250929-v1:0, @20250929, -latest. */
  private static final Pattern SNAPSHOT =
      Pattern.compile("[-@](\\d{8}|\\d{4}-\\d{2}-\\d{2}|\\d{4}|latest)(-v\\d+(:\\d+)?)?|-v\\d+(:\\d+)?");

  private final ModelNames<Price> prices;
  private final String checked;

  public Pricing(Map<String, Price> prices, String checked) {
    this.prices = new ModelNames<>(prices);
    this.checked = checked;
  }

  /** The shipped catalog with {@code overrides} (config {@code pricing:}) replacing or adding entries. */
  public static Pricing load(List<PriceConfig> overrides) {
    Pricing catalog = catalog();
    Map<String, Price> merged = new HashMap<>(catalog.prices.all());
    for (int i = 0; i < overrides.size(); i++) {
      PriceConfig o = overrides.get(i);
      if (o.model() == null || o.model().isBlank()) throw new IllegalArgumentException("pricing[" + i + "].model is required");
      String name = o.model().toLowerCase(Locale.ROOT);
      // An override of gpt-4o also prices its dated snapshots, which the catalog may list on their own.
      merged.keySet().removeIf(known -> known.startsWith(name) && SNAPSHOT.matcher(known.substring(name.length())).matches());
      try {
        merged.put(name, Price.of(o.input(), o.output(), o.cachedInput(), o.cacheWrite()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("pricing[" + i + "]." + e.getMessage(), e);
      }
    }
    return new Pricing(merged, catalog.checked);
  }

  /** The shipped catalog alone. */
  public static Pricing catalog() {
    try (InputStream in = Pricing.class.getResourceAsStream("/pricing.json")) {
      if (in == null) throw new IllegalStateException("pricing.json is missing from the classpath");
      JsonNode root = Json.MAPPER.readTree(in);
      Map<String, Price> prices = new HashMap<>();
      root.get("models").properties().forEach(e -> {
        try {
          prices.put(e.getKey(), parse(e.getValue()));
        } catch (RuntimeException ex) {
          throw new IllegalStateException("pricing.json: bad entry '" + e.getKey() + "': " + ex.getMessage(), ex);
        }
      });
      return new Pricing(prices, root.path("checked").asText(null));
    } catch (IOException e) {
      throw new UncheckedIOException("pricing.json is not valid JSON", e);
    }
  }

  /**
   * One catalog entry: the flat price plus, where the entry has them, the 1-hour cache write,
   * a reasoning price, the long-context tier and the batch/flex tier (see pricing.json's note).
   */
  static Price parse(JsonNode p) {
    double input = required(p, "input");
    double output = required(p, "output");
    Double cachedInput = optional(p, "cached_input");
    Double cacheWrite = optional(p, "cache_write");
    Double cacheWrite1h = optional(p, "cache_write_1h");
    Double reasoning = optional(p, "reasoning");
    JsonNode lc = p.get("long_context");
    JsonNode batch = p.get("batch");
    double read = cachedInput == null ? input : cachedInput;
    double write = cacheWrite == null ? input : cacheWrite;
    return new Price(input, output, read, write, cacheWrite1h == null ? write : cacheWrite1h,
        reasoning == null ? output : reasoning,
        lc == null ? 0 : lc.path("above").asLong(0),
        lc == null ? null : parse(lc),
        batch == null ? null : parse(batch));
  }

  private static double required(JsonNode p, String field) {
    JsonNode v = p.get(field);
    if (v == null || !v.isNumber()) throw new IllegalArgumentException(field + " must be a number");
    return v.asDouble();
  }

  /** When the shipped prices were last checked against the providers' pages (ISO date). */
  public String checked() { return checked; }

  public int size() { return prices.size(); }

  /** The bill for {@code usage} part by part; {@link Price.Cost#ZERO} (tier null) when the model has no known price. */
  public Price.Cost bill(String provider, String model, Usage usage) {
    if (usage == null) return Price.Cost.ZERO;
    return find(provider, model).map(p -> p.bill(usage)).orElse(Price.Cost.ZERO);
  }

  /** The price for {@code model} as served by {@code provider} (which may be null); see {@link ModelNames}. */
  public Optional<Price> find(String provider, String model) { return prices.find(provider, model); }

  /** Whether the catalog names {@code model} itself (no prefix match): a model name known in advance. */
  public boolean catalogued(String provider, String model) { return prices.contains(provider, model); }

  /** Every catalog entry by lower-case name. */
  public Map<String, Price> all() { return prices.all(); }

  private static Double optional(JsonNode p, String field) {
    JsonNode v = p.get(field);
    return v == null || v.isNull() ? null : v.asDouble();
  }
}
