package io.junction.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.ConfigLoader;
import io.junction.protocol.Json;
import java.io.IOException;
import java.util.Map;

/**
 * The config reader on arbitrary YAML (the file) and JSON (a management PUT body): every problem
 * comes back as a message with its path, nothing throws. Seeds: the shipped example config.
 */
class ConfigFuzzTest {
  private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", "sk-1", "JUNCTION_MASTER_KEY", "jk-1", "X", "1");

  @FuzzTest(maxExecutions = Fuzz.EXECUTIONS)
  void yaml(FuzzedDataProvider data) {
    ConfigLoader.Result r = ConfigLoader.fromYaml(data.consumeRemainingAsString(), ENV);
    if (r.ok() == (r.config() == null)) throw new IllegalStateException("a result must carry a config or problems: " + r);
  }

  @FuzzTest(maxExecutions = Fuzz.EXECUTIONS)
  void providerBody(FuzzedDataProvider data) {
    String name = data.consumeString(20);
    JsonNode body;
    try {
      body = Json.parse(data.consumeRemainingAsString());
    } catch (IOException notJson) {
      return;
    }
    ConfigLoader.ProviderResult r = ConfigLoader.provider(name, body, ENV);
    if (r.ok() == (r.provider() == null)) throw new IllegalStateException("a result must carry a provider or problems: " + r);
  }
}
