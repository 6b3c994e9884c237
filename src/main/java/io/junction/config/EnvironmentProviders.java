package io.junction.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.Json;
import io.junction.provider.Preset;
import io.junction.provider.Presets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Providers from the environment (CONTRACT §2, "Environment-only configuration"). For every preset
 * {@code <NAME>} this reads the key(s), {@code <NAME>_BASE_URL}, {@code <NAME>_ENABLED} and
 * {@code <NAME>_DISPATCH_MODE} into an overlay shaped like a YAML provider entry, so the file and
 * the environment go through the same {@link ProviderParser}. Bad values are problems naming the
 * variable.
 */
final class EnvironmentProviders {

  /**
   * What the environment says about one preset-named provider. {@code overlay} holds the fields
   * it supplies; {@code standalone} is true when it registers the provider on its own (key set, or
   * base URL for a local server, and not disabled); {@code incomplete} is a problem to report only
   * when it stands alone (azure without endpoint).
   */
  record EnvProvider(String name, ObjectNode overlay, boolean standalone, String incomplete) {

    /** The whole provider entry for a provider that only the environment names. */
    ObjectNode entry() {
      ObjectNode entry = Json.object().put("name", name).put("preset", name);
      entry.setAll(overlay);
      return entry;
    }
  }

  private EnvironmentProviders() {}

  /** One {@link EnvProvider} per preset that the environment mentions at all, in preset order. */
  static List<EnvProvider> read(Map<String, String> env, Problems problems) {
    List<EnvProvider> out = new ArrayList<>();
    for (Preset preset : Presets.all()) {
      EnvProvider p = read(preset, env, problems);
      if (p != null) out.add(p);
    }
    return out;
  }

  private static EnvProvider read(Preset preset, Map<String, String> env, Problems problems) {
    String prefix = preset.name().toUpperCase(Locale.ROOT);
    ObjectNode overlay = Json.object();

    List<String> keys = keys(preset, env, problems);
    if (!keys.isEmpty()) {
      ArrayNode array = overlay.putArray("api_keys");
      keys.forEach(k -> array.add(Substitution.escape(k)));
    }

    String baseUrlVar = preset.name().equals("azure")
        ? firstSet(env, "AZURE_OPENAI_ENDPOINT", prefix + "_BASE_URL")
        : firstSet(env, prefix + "_BASE_URL");
    String baseUrl = null;
    if (baseUrlVar != null) {
      String problem = ConfigReader.httpUrlProblem(env.get(baseUrlVar));
      if (problem != null) problems.add(baseUrlVar, problem);
      else overlay.put("base_url", Substitution.escape(baseUrl = env.get(baseUrlVar).trim()));
    }

    String dispatchVar = prefix + "_DISPATCH_MODE";
    if (isSet(env, dispatchVar)) {
      DispatchMode mode = ProviderParser.dispatch(env.get(dispatchVar));
      if (mode == null) problems.add(dispatchVar, ProviderParser.DISPATCH_VALUES);
      else overlay.put("dispatch", mode.name().toLowerCase(Locale.ROOT));
    }

    String enabledVar = prefix + "_ENABLED";
    boolean enabled = true;
    if (isSet(env, enabledVar)) {
      Boolean b = ConfigReader.parseBoolean(env.get(enabledVar));
      if (b == null) problems.add(enabledVar, "must be true or false");
      else overlay.put("enabled", enabled = b);
    }

    String incomplete = null;
    if (preset.name().equals("azure")) {
      putIfSet(overlay, ConfigKeys.ProviderOption.API_VERSION.key, env, "AZURE_OPENAI_API_VERSION");
      if (!keys.isEmpty() && baseUrl == null && baseUrlVar == null) {
        incomplete = "AZURE_OPENAI_ENDPOINT: must be set when AZURE_OPENAI_API_KEY is (https://<resource>.openai.azure.com)";
      }
    } else if (preset.name().equals("bedrock")) {
      putIfSet(overlay, ConfigKeys.ProviderOption.REGION.key, env, firstSet(env, "AWS_REGION", "AWS_DEFAULT_REGION"));
    } else if (preset.name().equals("vertex")) {
      putIfSet(overlay, ConfigKeys.ProviderOption.PROJECT.key, env, "VERTEX_PROJECT");
      putIfSet(overlay, ConfigKeys.ProviderOption.LOCATION.key, env, "VERTEX_LOCATION");
    }

    if (overlay.isEmpty()) return null;
    boolean registers = preset.keyOptional() ? baseUrl != null : !keys.isEmpty();
    // Bedrock without keys signs with the AWS default chain (web identity, profiles, container): BEDROCK_ENABLED=true opts in.
    if (preset.name().equals("bedrock") && "true".equalsIgnoreCase(String.valueOf(env.get(enabledVar)).trim())) registers = true;
    return new EnvProvider(preset.name(), overlay, registers && enabled, incomplete);
  }

  /** The preset's keys: comma-separated for a pool; bedrock's as one {@code AKID:SECRET[:TOKEN]}. */
  private static List<String> keys(Preset preset, Map<String, String> env, Problems problems) {
    if (preset.name().equals("bedrock")) {
      boolean id = isSet(env, "AWS_ACCESS_KEY_ID");
      boolean secret = isSet(env, "AWS_SECRET_ACCESS_KEY");
      if (id != secret) {
        problems.add(id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID",
            "must be set together with " + (id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"));
      }
      if (!id || !secret) return List.of();
      String key = env.get("AWS_ACCESS_KEY_ID").trim() + ":" + env.get("AWS_SECRET_ACCESS_KEY").trim();
      if (isSet(env, "AWS_SESSION_TOKEN")) key += ":" + env.get("AWS_SESSION_TOKEN").trim();
      return List.of(key);
    }
    if (preset.name().equals("vertex")) {
      // A service-account key is JSON (commas and all) or a path: one key, never split.
      return isSet(env, preset.envKey()) ? List.of(env.get(preset.envKey()).trim()) : List.of();
    }
    String var = preset.name().equals("gemini")
        ? firstSet(env, preset.envKey(), "GOOGLE_API_KEY")
        : firstSet(env, preset.envKey());
    if (var == null) return List.of();
    List<String> keys = new ArrayList<>();
    for (String k : env.get(var).split(",")) {
      if (!k.isBlank()) keys.add(k.trim());
    }
    return keys;
  }

  private static void putIfSet(ObjectNode overlay, String field, Map<String, String> env, String var) {
    if (var != null && isSet(env, var)) overlay.put(field, Substitution.escape(env.get(var).trim()));
  }

  /** The first of {@code vars} that is set to something non-blank, or null. */
  static String firstSet(Map<String, String> env, String... vars) {
    for (String v : vars) {
      if (v != null && isSet(env, v)) return v;
    }
    return null;
  }

  static boolean isSet(Map<String, String> env, String var) {
    String v = env.get(var);
    return v != null && !v.isBlank();
  }
}
