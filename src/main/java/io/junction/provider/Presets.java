package io.junction.provider;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The shipped provider presets ({@code presets.yaml} on the classpath), loaded once. */
public final class Presets {
  private static final Map<String, Preset> BY_NAME = load();

  private Presets() {}

  /** Every preset, in file order (which is also the order environment-only providers register in). */
  public static List<Preset> all() { return List.copyOf(BY_NAME.values()); }

  /** The preset of that name, or null. */
  public static Preset get(String name) { return name == null ? null : BY_NAME.get(name); }

  /**
   * The preset whose model family the name belongs to (CONTRACT §3.3), or null. Prefixes compare
   * case-insensitively and the longest wins, so {@code text-embedding-004} is gemini although
   * {@code text-embedding-} is openai.
   */
  public static String familyOf(String model) {
    if (model == null) return null;
    String m = model.toLowerCase(Locale.ROOT);
    String best = null;
    int bestLength = 0;
    for (Preset p : BY_NAME.values()) {
      for (String prefix : p.families()) {
        if (prefix.length() > bestLength && m.startsWith(prefix)) {
          best = p.name();
          bestLength = prefix.length();
        }
      }
    }
    return best;
  }

  private static Map<String, Preset> load() {
    ObjectMapper yaml = YAMLMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();
    try (InputStream in = Presets.class.getResourceAsStream("/presets.yaml")) {
      if (in == null) throw new IllegalStateException("presets.yaml is missing from the classpath");
      Map<String, Preset> byName = new LinkedHashMap<>();
      for (Preset p : Arrays.asList(yaml.readValue(in, Preset[].class))) {
        if (byName.put(p.name(), p) != null) throw new IllegalStateException("presets.yaml: duplicate " + p.name());
      }
      return byName;
    } catch (IOException e) {
      throw new UncheckedIOException("presets.yaml is not valid", e);
    }
  }
}
