package io.junction.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped example must stay valid and must exercise every key the loader accepts. */
class ExampleConfigTest {
  private static final Path EXAMPLE = Path.of("examples/junction.yaml");

  @Test
  void exampleLoadsWithoutAnyEnvironment() {
    ConfigLoader.Result r = ConfigLoader.load(EXAMPLE, Map.of());
    assertThat(r.errors()).isEmpty();
    GatewayConfig c = r.config();
    assertThat(c.providers()).extracting(ProviderConfig::name)
        .containsExactly("openai", "anthropic", "fast", "local", "azure-eu", "aws", "vertex-claude");
    assertThat(c.providers().get(3).dispatch()).isEqualTo(DispatchMode.OFF);
    assertThat(c.models()).extracting(VirtualModelConfig::name).containsExactly("smart", "chat");
    assertThat(c.pricing()).hasSize(3);
    assertThat(c.masterKey()).isNull();
    assertThat(c.cache()).isEqualTo(new GatewayConfig.Cache(3600, 1000, 262144));
  }

  @Test
  void exampleTakesKeysFromTheEnvironment() {
    ConfigLoader.Result r = ConfigLoader.load(EXAMPLE, Map.of("OPENAI_API_KEY", "sk-1", "ANTHROPIC_API_KEY", "a,b",
        "JUNCTION_MASTER_KEY", "mk"));
    assertThat(r.errors()).isEmpty();
    assertThat(r.config().providers().get(0).apiKeys()).containsExactly("sk-1");
    assertThat(r.config().providers().get(1).apiKeys()).containsExactly("a", "b");
    assertThat(r.config().masterKey()).isEqualTo("mk");
  }

  @Test
  void exampleMentionsEveryKnownKey() throws Exception {
    String text = java.nio.file.Files.readString(EXAMPLE);
    java.util.Set<String> all = new java.util.TreeSet<>();
    for (java.util.Set<String> keys : java.util.List.of(ConfigKeys.ROOT, ConfigKeys.SERVER, ConfigKeys.AUTH,
        ConfigKeys.STORAGE, ConfigKeys.REDIS, ConfigKeys.LOGS, ConfigKeys.CACHE, ConfigKeys.PROVIDER, ConfigKeys.VIRTUAL_MODEL,
        ConfigKeys.TARGET, ConfigKeys.PRICE)) {
      all.addAll(keys);
    }
    assertThat(all).allSatisfy(key -> assertThat(text).as(key).containsPattern("(?m)[\\s{,]" + key + ":"));
  }
}
