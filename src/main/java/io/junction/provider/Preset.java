package io.junction.provider;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A known upstream service (loaded from {@code presets.yaml}): the adapter {@code type} that speaks
 * to it, its default base URL (null where it depends on the account), how the key is sent
 * ({@code bearer | x-api-key | x-goog-api-key | api-key | sigv4 | google-oauth | none}), the
 * model-name prefixes it serves by default, and the environment variable holding its key(s). Local
 * servers have {@code keyOptional}: they register from {@code <NAME>_BASE_URL} and need no key.
 *
 * <p>Quirks of OpenAI-compatible services, applied by {@link OpenAiAdapter}: {@code modelPrefix}
 * is put before a model name that lacks it (Fireworks' {@code accounts/fireworks/models/});
 * {@code dropParams} maps a model glob to the request fields the service refuses for those models
 * (removed before sending); {@code headers} are sent on every call; {@code modelsUrl} is the
 * model-list URL where it is not {@code <base_url>/models}.
 */
public record Preset(
    String name,
    String type,
    String baseUrl,
    String auth,
    List<String> families,
    String envKey,
    boolean keyOptional,
    String modelPrefix,
    Map<String, List<String>> dropParams,
    Map<String, String> headers,
    String modelsUrl) {

  public Preset {
    families = families == null ? List.of() : List.copyOf(families);
    dropParams = dropParams == null ? Map.of() : Map.copyOf(dropParams);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /** A preset without quirks. */
  public Preset(String name, String type, String baseUrl, String auth, List<String> families,
      String envKey, boolean keyOptional) {
    this(name, type, baseUrl, auth, families, envKey, keyOptional, null, null, null, null);
  }

  /** The request fields to remove for {@code model} (every glob that matches it contributes). */
  public List<String> droppedFor(String model) {
    if (dropParams.isEmpty() || model == null) return List.of();
    String m = model.toLowerCase(Locale.ROOT);
    return dropParams.entrySet().stream()
        .filter(e -> globMatches(e.getKey().toLowerCase(Locale.ROOT), m))
        .flatMap(e -> e.getValue().stream())
        .distinct()
        .toList();
  }

  /** The model name as the service wants it: with {@code modelPrefix} when it lacks it. */
  public String upstreamModel(String model) {
    if (modelPrefix == null || model == null || model.startsWith(modelPrefix)) return model;
    return modelPrefix + model;
  }

  private static boolean globMatches(String glob, String text) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*') re.append(".*");
      else if (c == '?') re.append('.');
      else re.append(Pattern.quote(String.valueOf(c)));
    }
    return text.matches(re.toString());
  }
}
