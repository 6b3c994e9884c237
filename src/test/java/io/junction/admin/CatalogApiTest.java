package io.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.GatewayConfig;
import io.junction.config.PriceConfig;
import io.junction.config.ProviderConfig;
import io.junction.testing.TestGateway;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET /api/v1/catalog: prices with their source and date, limits and abilities, config overrides included. */
class CatalogApiTest {
  private TestGateway gateway;

  private JsonNode get11(String path) throws Exception {
    var resp = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.url() + path))
            .header("authorization", "Bearer " + TestGateway.MASTER_KEY).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).isEqualTo(200);
    return io.junction.protocol.Json.parse(resp.body());
  }

  @AfterEach
  void stop() { if (gateway != null) gateway.close(); }

  @Test
  void listsEveryPricedModelWithItsPriceSourceAndAbilities() throws Exception {
    GatewayConfig c = GatewayConfig.defaults()
        .withProviders(List.of(ProviderConfig.simple("openai", "openai", "http://127.0.0.1:9", List.of("k"), List.of())))
        .withMasterKey(TestGateway.MASTER_KEY).withStorageUrl(TestGateway.tempDatabase());
    c = c.withServer(new GatewayConfig.Server("127.0.0.1", 0, c.server().maxBodyBytes(), 1000));
    c = new GatewayConfig(c.server(), c.masterKey(), c.storageUrl(), c.redisUrl(), c.redisFailClosed(), c.upstreamProxy(), c.logs(),
        c.responses(), c.providers(),
        c.models(), List.of(new PriceConfig("my-finetune", 0.5, 1.5, null, null)), c.cache());
    gateway = new TestGateway(c);
    AdminHttp http = new AdminHttp(gateway);

    // The whole catalog is ~3 MB: read over HTTP/1.1. The JDK client's default h2c upgrade once
    // misread such a large first answer as an HTTP/2 frame (seen once in a full run, not reproduced).
    JsonNode all = get11("/api/v1/catalog");
    assertThat(all.path("count").asInt()).isGreaterThanOrEqualTo(400).isEqualTo(all.path("models").size());

    JsonNode anthropic = http.get("/api/v1/catalog?provider=anthropic&model=claude-sonnet-4-5");
    JsonNode sonnet = StreamSupport.stream(anthropic.path("models").spliterator(), false)
        .filter(m -> m.path("model").asText().equals("claude-sonnet-4-5")).findFirst().orElseThrow();
    assertThat(sonnet.path("provider").asText()).isEqualTo("anthropic");
    assertThat(sonnet.path("context_window").asLong()).isEqualTo(200_000);
    assertThat(sonnet.path("max_output_tokens").asLong()).isEqualTo(64_000);
    assertThat(sonnet.path("images").asBoolean()).isTrue();
    assertThat(sonnet.path("price").path("cache_write_1h").asDouble()).isEqualTo(6.0);
    assertThat(sonnet.path("price").path("long_context").path("above").asLong()).isEqualTo(200_000);
    assertThat(sonnet.path("source").asText()).startsWith("https://");
    assertThat(sonnet.path("checked").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(anthropic.path("models")).allSatisfy(m -> assertThat(m.path("provider").asText()).isEqualTo("anthropic"));

    JsonNode own = http.get("/api/v1/catalog?model=my-finetune").path("models").get(0);
    assertThat(own.path("source").asText()).isEqualTo("config");
    assertThat(own.path("price").path("input").asDouble()).isEqualTo(0.5);

    assertThat(http.call("GET", "/api/v1/catalog", null, null).statusCode()).isEqualTo(401);
  }
}
