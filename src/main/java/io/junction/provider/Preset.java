package io.junction.provider;

import java.util.List;

/**
 * A known upstream service (loaded from {@code presets.yaml}): the adapter {@code type} that speaks
 * to it, its default base URL (null where it depends on the account), how the key is sent
 * ({@code bearer | x-api-key | x-goog-api-key | api-key | sigv4 | none}), its category
 * ({@code cloud | local | aggregator}), the model-name prefixes it serves by default, and the
 * environment variable holding its key(s). Local servers have {@code keyOptional}: they register
 * from {@code <NAME>_BASE_URL} and need no key.
 */
public record Preset(
    String name,
    String type,
    String baseUrl,
    String auth,
    String category,
    List<String> families,
    String envKey,
    boolean keyOptional) {

  public Preset {
    families = families == null ? List.of() : List.copyOf(families);
  }
}
