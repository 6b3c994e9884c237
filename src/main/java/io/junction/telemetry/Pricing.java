package io.junction.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Model prices: the catalog shipped as {@code pricing.json} with the config's {@code pricing:}
 * entries on top. Names are matched case-insensitively, most specific first:
 * <ol>
 *   <li>{@code provider/model} exactly (a provider's own price for a model others serve too),
 *   <li>{@code model} exactly,
 *   <li>the longest catalog name that is a prefix of {@code provider/model}, then of {@code model},
 *       ending at a separator ({@code - _ : @ .}) — so dated snapshots such as
 *       {@code gpt-4o-2024-08-06} price as {@code gpt-4o}, but {@code gpt-4o2} matches nothing.
 * </ol>
 * Bedrock cross-region inference ids ({@code us.anthropic.claude-…}) are also tried without the
 * region prefix. Unknown models cost 0.
 */
public final class Pricing {
  private static final Pattern BEDROCK_REGION = Pattern.compile("^(us|eu|apac|us-gov|global)\\.(?=[a-z])");
  private static final int MEMO_LIMIT = 10_000;

  private final Map<String, Price> prices;
  private final String checked;
  /** Resolved lookups, because prefix search walks the whole catalog; cleared if it grows past MEMO_LIMIT. */
  private final Map<String, Optional<Price>> memo = new ConcurrentHashMap<>();

  public Pricing(Map<String, Price> prices, String checked) {
    Map<String, Price> lower = new HashMap<>();
    prices.forEach((name, price) -> lower.put(name.toLowerCase(Locale.ROOT), price));
    this.prices = Map.copyOf(lower);
    this.checked = checked;
  }

  /** The shipped catalog with {@code overrides} (config {@code pricing:}) replacing or adding entries. */
  public static Pricing load(List<PriceConfig> overrides) {
    Pricing catalog = catalog();
    Map<String, Price> merged = new HashMap<>(catalog.prices);
    for (int i = 0; i < overrides.size(); i++) {
      PriceConfig o = overrides.get(i);
      if (o.model() == null || o.model().isBlank()) throw new IllegalArgumentException("pricing[" + i + "].model is required");
      try {
        merged.put(o.model().toLowerCase(Locale.ROOT), Price.of(o.input(), o.output(), o.cachedInput(), o.cacheWrite()));
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
        JsonNode p = e.getValue();
        try {
          prices.put(e.getKey(), Price.of(p.get("input").asDouble(), p.get("output").asDouble(),
              optional(p, "cached_input"), optional(p, "cache_write")));
        } catch (RuntimeException ex) {
          throw new IllegalStateException("pricing.json: bad entry '" + e.getKey() + "': " + ex.getMessage(), ex);
        }
      });
      return new Pricing(prices, root.path("checked").asText(null));
    } catch (IOException e) {
      throw new UncheckedIOException("pricing.json is not valid JSON", e);
    }
  }

  /** When the shipped prices were last checked against the providers' pages (ISO date). */
  public String checked() { return checked; }

  public int size() { return prices.size(); }

  /** USD for {@code usage} on {@code provider}'s {@code model}; 0 when the model has no known price. */
  public double cost(String provider, String model, Usage usage) {
    if (usage == null) return 0;
    return find(provider, model)
        .map(p -> p.cost(usage.inputTokens(), usage.outputTokens(), usage.cacheReadTokens(), usage.cacheWriteTokens()))
        .orElse(0.0);
  }

  /** The price for {@code model} as served by {@code provider} (which may be null). */
  public Optional<Price> find(String provider, String model) {
    if (model == null || model.isBlank()) return Optional.empty();
    String key = (provider == null ? "" : provider) + '\u0000' + model;
    Optional<Price> hit = memo.get(key);
    if (hit != null) return hit;
    if (memo.size() >= MEMO_LIMIT) memo.clear();
    Optional<Price> found = resolve(provider, model.toLowerCase(Locale.ROOT));
    memo.put(key, found);
    return found;
  }

  /** Whether the catalog names {@code model} itself (no prefix match): a model name known in advance. */
  public boolean catalogued(String provider, String model) {
    if (model == null || model.isBlank()) return false;
    String m = model.toLowerCase(Locale.ROOT);
    return prices.containsKey(m) || prices.containsKey(BEDROCK_REGION.matcher(m).replaceFirst(""))
        || (provider != null && prices.containsKey(provider.toLowerCase(Locale.ROOT) + "/" + m));
  }

  private Optional<Price> resolve(String provider, String model) {
    String qualified = provider == null ? null : provider.toLowerCase(Locale.ROOT) + "/" + model;
    String unregioned = BEDROCK_REGION.matcher(model).replaceFirst("");
    for (String name : new String[] {qualified, model, unregioned}) {
      if (name != null && prices.containsKey(name)) return Optional.of(prices.get(name));
    }
    for (String name : new String[] {qualified, model, unregioned}) {
      Price p = name == null ? null : longestPrefix(name);
      if (p != null) return Optional.of(p);
    }
    return Optional.empty();
  }

  private Price longestPrefix(String name) {
    String best = null;
    for (String known : prices.keySet()) {
      if (name.length() > known.length() && name.startsWith(known) && isSeparator(name.charAt(known.length()))
          && (best == null || known.length() > best.length())) {
        best = known;
      }
    }
    return best == null ? null : prices.get(best);
  }

  private static boolean isSeparator(char c) {
    return c == '-' || c == '_' || c == ':' || c == '@' || c == '.';
  }

  private static Double optional(JsonNode p, String field) {
    JsonNode v = p.get(field);
    return v == null || v.isNull() ? null : v.asDouble();
  }
}
