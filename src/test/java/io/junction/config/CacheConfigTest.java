package io.junction.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code cache:} section: off unless present, defaults, {@code enabled: false}, and every bad value named by its path. */
class CacheConfigTest {
  private static ConfigLoader.Result load(String yaml) { return ConfigLoader.fromYaml(yaml, Map.of("TTL", "60")); }

  @Test
  void noSectionMeansNoCache() {
    assertThat(load("server: {port: 8094}").config().cache()).isNull();
    assertThat(load("cache:\n").config().cache()).isNull(); // an empty value is no section
  }

  @Test
  void anEmptySectionTurnsTheCacheOnWithDefaults() {
    assertThat(load("cache: {}").config().cache()).isEqualTo(GatewayConfig.Cache.defaults());
    assertThat(load("cache: {enabled: true}").config().cache()).isEqualTo(GatewayConfig.Cache.defaults());
  }

  @Test
  void valuesAreReadAndSubstituted() {
    GatewayConfig.Cache c = load("cache: {ttl_seconds: '${TTL}', max_entries: 10, max_entry_bytes: 4096}").config().cache();
    assertThat(c).isEqualTo(new GatewayConfig.Cache(60, 10, 4096));
  }

  @Test
  void enabledFalseTurnsItOffButTheValuesAreStillChecked() {
    assertThat(load("cache: {enabled: false, ttl_seconds: 5}").config().cache()).isNull();
    assertThat(load("cache: {enabled: false, ttl_seconds: 0}").errors()).containsExactly("cache.ttl_seconds: must be >= 1");
  }

  @Test
  void badValuesAreProblemsWithTheirPaths() {
    assertThat(load("cache: {enabled: maybe, ttl_seconds: 0, max_entries: -1, max_entry_bytes: 2147483647, size: 3}").errors())
        .containsExactlyInAnyOrder(
            "cache.enabled: must be true or false",
            "cache.ttl_seconds: must be >= 1",
            "cache.max_entries: must be >= 1",
            "cache.max_entry_bytes: must be between 1 and 1073741824",
            "cache.size: unknown key");
    assertThat(load("cache: 5").errors()).containsExactly("cache: must be a mapping");
  }
}
