package io.junction.hostile;

import static io.junction.testing.GatewayHttp.get;
import static io.junction.testing.GatewayHttp.master;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.config.ConfigLoader;
import io.junction.testing.GatewayHttp;
import io.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Provider settings that would reach a URL or a header line unchecked: refused with their path, in the API and the file. */
class HostileConfigTest {

  private static HttpResponse<String> put(TestGateway gw, String name, String body) {
    return GatewayHttp.send(gw, "PUT", "/api/v1/config/providers/" + name, body, master());
  }

  @Test
  void managementPutRefusesBadPortsAndHeaderInjection() {
    try (TestGateway gw = TestGateway.withProviders()) {
      HttpResponse<String> port = put(gw, "groq", "{\"preset\":\"groq\",\"base_url\":\"http://127.0.0.1:99999/v1\",\"api_keys\":[\"k\"]}");
      assertThat(port.statusCode()).as(port.body()).isEqualTo(400);
      assertThat(port.body()).contains("base_url").contains("99999");

      HttpResponse<String> header = put(gw, "groq", "{\"preset\":\"groq\",\"api_keys\":[\"k\"],"
          + "\"headers\":{\"X-Team\":\"a\\r\\nX-Injected: 1\",\"Bad Name\":\"v\"}}");
      assertThat(header.statusCode()).as(header.body()).isEqualTo(400);
      assertThat(header.body()).contains("headers.X-Team").contains("headers.Bad Name");

      HttpResponse<String> key = put(gw, "groq", "{\"preset\":\"groq\",\"api_keys\":[\"k\\nX-Injected: 1\"]}");
      assertThat(key.statusCode()).as(key.body()).isEqualTo(400);
      assertThat(key.body()).contains("api_keys[0]");

      HttpResponse<String> region = put(gw, "aws", "{\"type\":\"bedrock\",\"api_keys\":[\"A:B\"],\"region\":\"evil.example.com/x\"}");
      assertThat(region.statusCode()).as(region.body()).isEqualTo(400);
      assertThat(region.body()).contains("region");

      // Nothing half-applied: the provider does not exist.
      HttpResponse<String> after = get(gw, "/api/v1/providers/groq", master());
      assertThat(after.statusCode()).isEqualTo(404);
      HttpResponse<String> fine = put(gw, "groq", "{\"preset\":\"groq\",\"api_keys\":[\"k\"],\"headers\":{\"X-Team\":\"a\"}}");
      assertThat(fine.statusCode()).as(fine.body()).isEqualTo(201);
    }
  }

  @Test
  void theConfigFileRefusesTheSame() {
    ConfigLoader.Result r = ConfigLoader.fromYaml("""
        providers:
          - name: local
            type: openai
            base_url: http://127.0.0.1:99999/v1
            headers: {"X-A": "x\\r\\ny"}
        """, Map.of());
    assertThat(r.ok()).isFalse();
    assertThat(r.errors()).anyMatch(e -> e.startsWith("providers[0].base_url:") && e.contains("99999"))
        .anyMatch(e -> e.startsWith("providers[0].headers.X-A:"));
    assertThat(ConfigLoader.fromYaml("providers: [{name: local, type: openai, base_url: 'http://127.0.0.1:65535/v1'}]", Map.of()).errors())
        .isEqualTo(List.of());
  }
}
