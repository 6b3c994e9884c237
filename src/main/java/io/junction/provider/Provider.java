package io.junction.provider;

import io.junction.config.Glob;
import io.junction.config.ProviderConfig;
import java.util.List;
import java.util.Set;

/**
 * A configured provider at run time: its config, adapter and key pool, and the model-name rules
 * compiled once. Immutable but for {@link #discovered}, which model discovery fills in.
 */
public final class Provider {
  public final ProviderConfig config;
  public final ProviderAdapter adapter;
  public final KeyPool keys;
  private final List<ModelRule> rules;
  /** Model ids the provider listed upstream (discovery); empty until discovered. */
  public volatile Set<String> discovered = Set.of();

  public Provider(ProviderConfig config, ProviderAdapter adapter) {
    this.config = config;
    this.adapter = adapter;
    this.keys = new KeyPool(config.apiKeys(), reprobeMs(config));
    this.rules = config.models() == null ? List.of() : config.models().stream().map(ModelRule::parse).toList();
  }

  public String name() { return config.name(); }

  /** ProviderConfig.options: the first wait before a revoked key is probed again (tests shorten it). */
  public static final String KEY_REPROBE_MS = "key_reprobe_ms";

  private static long reprobeMs(ProviderConfig config) {
    String v = config.option(KEY_REPROBE_MS);
    try {
      return v == null ? KeyPool.DEFAULT_REPROBE_MS : Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return KeyPool.DEFAULT_REPROBE_MS;
    }
  }

  /**
   * The upstream model name this provider uses for {@code model}, or null if its model list does
   * not serve it. An empty list serves nothing by rule (family and discovery still may).
   */
  public String match(String model) {
    for (ModelRule r : rules) {
      String upstream = r.apply(model);
      if (upstream != null) return upstream;
    }
    return discovered.contains(model) ? model : null;
  }

  /**
   * Whether {@code model} is a name this provider's config spells out (an exact entry, either side
   * of an alias) or that it listed upstream — never a glob match, which any client string can make.
   */
  public boolean names(String model) {
    for (ModelRule r : rules) {
      if ((!r.glob && r.name.equals(model)) || model.equals(r.upstream)) return true;
    }
    return discovered.contains(model);
  }

  /** Client-facing model names listed by /v1/models (globs excluded). */
  public List<String> listedModels() {
    return rules.stream().filter(r -> !r.glob).map(r -> r.name).toList();
  }

  /** One entry of {@code models}: exact name, glob ({@code ft:*}) or alias ({@code alias=upstream}). */
  private record ModelRule(String name, boolean glob, String upstream) {
    static ModelRule parse(String spec) {
      int eq = spec.indexOf('=');
      String name = eq < 0 ? spec : spec.substring(0, eq).trim();
      String upstream = eq < 0 ? null : spec.substring(eq + 1).trim();
      return new ModelRule(name, Glob.isGlob(name), upstream);
    }

    String apply(String model) {
      boolean hit = glob ? Glob.matches(name, model) : name.equals(model);
      return hit ? (upstream == null ? model : upstream) : null;
    }
  }
}
