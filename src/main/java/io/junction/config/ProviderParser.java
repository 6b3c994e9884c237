package io.junction.config;

import io.junction.config.ConfigKeys.ProviderOption;
import io.junction.provider.Preset;
import io.junction.provider.Presets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One provider object to a {@link ProviderConfig}: the single validation used for file entries,
 * environment-only providers and {@code PUT /api/v1/config/providers/{name}} bodies.
 */
final class ProviderParser {
  static final Pattern NAME = Pattern.compile("[a-z0-9_-]+");
  static final String DISPATCH_VALUES = "must be one of off, exclusive, pooled, fallback";

  private ProviderParser() {}

  /** An HTTP header name (RFC 9110 token). */
  static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  /** An AWS region: it becomes part of a host name. */
  static final Pattern REGION = Pattern.compile("[a-z0-9-]+");

  /** Whether {@code v} can be an HTTP field value: no control characters but tab (no header splitting). */
  static boolean fieldValue(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
    }
    return true;
  }

  static String nameProblem(String name) {
    return NAME.matcher(name).matches() ? null : "must match [a-z0-9_-]+ (lower-case letters, digits, _ and -)";
  }

  /** The dispatch mode for {@code value}, or null when it is not one. */
  static DispatchMode dispatch(String value) {
    try {
      return DispatchMode.parse(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Reads the provider at {@code r} whose name is already known (and checked). Problems go to the
   * reader's sink; the result is only meaningful when there were none. A provider named like a
   * preset ({@code name: groq}) uses that preset unless it names another preset or adapter type,
   * so its defaults (base URL above all) are the service's own.
   */
  static ProviderConfig parse(ConfigReader r, String name) {
    r.rejectUnknown(ConfigKeys.PROVIDER);

    String presetName = r.string("preset");
    Preset preset = Presets.get(presetName);
    if (presetName != null && preset == null) {
      r.problem("preset", "unknown preset '" + presetName + "'; known: "
          + String.join(", ", Presets.all().stream().map(Preset::name).toList()));
    }
    String type = r.string("type");
    Preset named = Presets.get(name);
    if (presetName == null && named != null && (type == null ? !r.has("type") : type.equals(named.type()))) {
      preset = named;
      presetName = name;
    }
    if (type == null) {
      if (preset != null) type = preset.type();
      else if (presetName == null && !r.has("type")) {
        r.problem("type", "required unless a preset is given; one of " + String.join(", ", ConfigKeys.TYPES));
      }
    } else if (!ConfigKeys.TYPES.contains(type)) {
      r.problem("type", "must be one of " + String.join(", ", ConfigKeys.TYPES));
    } else if (preset != null && !preset.type().equals(type)) {
      r.problem("type", "preset " + preset.name() + " is served by type " + preset.type() + "; leave type out or use "
          + preset.type());
    }

    String baseUrl = r.checked("base_url", false, ConfigReader::httpUrlProblem);
    if (baseUrl == null && !r.has("base_url") && preset != null) baseUrl = preset.baseUrl();
    if (baseUrl == null && !r.has("base_url") && "azure".equals(type)) {
      r.problem("base_url", "required for type azure (the resource endpoint, https://<resource>.openai.azure.com)");
    }

    DispatchMode dispatch = DispatchMode.POOLED;
    // YAML 1.1 reads an unquoted "dispatch: off" as the boolean false.
    boolean yamlOff = r.node().path("dispatch").isBoolean() && !r.node().path("dispatch").asBoolean();
    String dispatchText = yamlOff ? "off" : r.string("dispatch");
    if (dispatchText != null) {
      dispatch = dispatch(dispatchText);
      if (dispatch == null) r.problem("dispatch", DISPATCH_VALUES);
    }

    if ("vertex".equals(type) && r.has("publisher")) {
      String publisher = r.string("publisher");
      if (!"google".equals(publisher) && !"anthropic".equals(publisher)) r.problem("publisher", "must be google or anthropic");
    }

    List<String> models = r.strings("models", false, ProviderParser::modelProblem);

    Map<String, String> headers = r.stringMap("headers");
    if (headers != null) {
      headers.forEach((h, v) -> {
        if (!TOKEN.matcher(h).matches()) r.problem("headers." + h, "is not a valid HTTP header name");
        else if (!fieldValue(v)) r.problem("headers." + h, "must not contain control characters (CR, LF, NUL)");
      });
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (ProviderOption option : ProviderOption.values()) {
      Object value = option == ProviderOption.RESPONSES_API ? r.bool(option.key)
          : option.nonNegativeInteger ? r.integer(option.key, 0, Long.MAX_VALUE)
          : r.string(option.key);
      if (value != null && option == ProviderOption.REGION && !REGION.matcher(value.toString()).matches()) {
        r.problem(option.key, "must look like us-east-1 (lower-case letters, digits and -)");
      } else if (value != null && !fieldValue(value.toString())) {
        r.problem(option.key, "must not contain control characters (CR, LF, NUL)");
      } else if (value != null) {
        options.put(option.key, value.toString());
      }
    }

    return new ProviderConfig(
        name,
        type,
        presetName,
        baseUrl,
        orEmpty(r.strings("api_keys", true, k -> fieldValue(k) ? null : "must not contain control characters (CR, LF, NUL)")),
        dispatch,
        (int) orDefault(r.integer("weight", 0, Integer.MAX_VALUE), 1),
        orEmpty(models),
        orDefault(r.integer("timeout_ms", 0, Long.MAX_VALUE), ProviderConfig.DEFAULT_TIMEOUT_MS),
        orDefault(r.integer("connect_timeout_ms", 0, Long.MAX_VALUE), ProviderConfig.DEFAULT_CONNECT_TIMEOUT_MS),
        orDefault(r.integer("first_byte_timeout_ms", 0, Long.MAX_VALUE), ProviderConfig.DEFAULT_FIRST_BYTE_TIMEOUT_MS),
        orDefault(r.integer("idle_timeout_ms", 0, Long.MAX_VALUE), ProviderConfig.DEFAULT_IDLE_TIMEOUT_MS),
        (int) orDefault(r.integer("max_retries", 0, 10), ProviderConfig.DEFAULT_MAX_RETRIES),
        headers == null ? Map.of() : Map.copyOf(headers),
        !Boolean.FALSE.equals(r.bool("enabled")),
        Map.copyOf(options));
  }

  /** A served model: a name, a glob, or {@code alias=upstream}. */
  private static String modelProblem(String model) {
    int eq = model.indexOf('=');
    if (eq < 0 || !model.substring(0, eq).isBlank() && !model.substring(eq + 1).isBlank()) return null;
    return "'" + model + "' must be a name, a glob, or alias=upstream with both sides given";
  }

  private static long orDefault(Long value, long fallback) { return value == null ? fallback : value; }

  private static List<String> orEmpty(List<String> list) { return list == null ? List.of() : List.copyOf(list); }
}
