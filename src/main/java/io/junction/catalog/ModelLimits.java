package io.junction.catalog;

import io.junction.protocol.Reasoning;

/**
 * What a request translated for another provider may ask of the target model, by the model
 * catalog: {@code max_tokens} no higher than the model's output limit, and reasoning settings only
 * for models that reason (Claude Code's thinking must not become {@code reasoning_effort} for
 * gpt-4o, which refuses it). Encoders call this with the upstream model name; a model the catalog
 * does not know keeps the request as it is.
 */
public final class ModelLimits {
  private ModelLimits() {}

  /** {@code requested} capped at the model's output limit; null stays null. */
  public static Integer maxTokens(Integer requested, String model) {
    if (requested == null) return null;
    Long limit = ModelCatalog.shipped().find(null, model).map(ModelInfo::maxOutputTokens).orElse(null);
    return limit != null && limit > 0 && requested > limit ? (int) Math.min(limit, Integer.MAX_VALUE) : requested;
  }

  /** {@code reasoning}, or null when the catalog says the model takes no reasoning settings. */
  public static Reasoning reasoning(Reasoning reasoning, String model) {
    if (reasoning == null) return null;
    boolean reasons = ModelCatalog.shipped().find(null, model).map(ModelInfo::mayReason).orElse(true);
    return reasons ? reasoning : null;
  }
}
