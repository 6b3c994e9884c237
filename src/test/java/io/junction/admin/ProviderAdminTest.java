package io.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.ConfigLoader;
import io.junction.config.GatewayConfig;
import io.junction.config.ProviderConfig;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Providers through the management API: live test, discovery, create/replace/delete live and persisted. */
class ProviderAdminTest {
  static final String SECOND_KEY = "sk-second-upstream";
  static Vertx vertx;
  static MockOpenAiServer upstream;
  static MockOpenAiServer second;
  static TestGateway gateway;
  static AdminHttp http;
  static int deadPort;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new MockOpenAiServer(vertx);
    second = new MockOpenAiServer(vertx, SECOND_KEY);
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    gateway = TestGateway.withProviders(
        ProviderConfig.simple("openai", "openai", upstream.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o")),
        ProviderConfig.simple("disc", "openai", upstream.baseUrl(), List.of(MockOpenAiServer.KEY), List.of()),
        ProviderConfig.simple("wrongkey", "openai", upstream.baseUrl(), List.of("sk-wrong"), List.of("wrong-model")),
        ProviderConfig.simple("dead", "openai", "http://127.0.0.1:" + deadPort + "/v1", List.of("k"), List.of("dead-model")));
    http = new AdminHttp(gateway);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    second.close();
    vertx.close();
  }

  static String secondProvider(String models) {
    return "{\"type\":\"openai\",\"base_url\":\"" + second.baseUrl() + "\",\"api_keys\":[\"" + SECOND_KEY + "\"],\"models\":" + models + "}";
  }

  @Test
  void liveTestIsAOneTokenChatToTheFirstListedModel() {
    JsonNode r = http.expect(200, "POST", "/api/v1/providers/openai/test", null);
    assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
    assertThat(r.path("check").asText()).isEqualTo("chat");
    assertThat(r.path("model").asText()).isEqualTo("gpt-4o");
    assertThat(r.path("latency_ms").asLong()).isNotNegative();
    assertThat(r.path("error").isNull()).isTrue();
    MockOpenAiServer.Received sent = upstream.last();
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.headers().get("authorization")).isEqualTo("Bearer " + MockOpenAiServer.KEY);
    assertThat(sent.body().path("model").asText()).isEqualTo("gpt-4o");
    assertThat(sent.body().path("max_tokens").asInt(sent.body().path("max_completion_tokens").asInt())).isEqualTo(1);
  }

  @Test
  void liveTestOfAProviderWithoutFixedModelsListsModels() {
    JsonNode r = http.expect(200, "POST", "/api/v1/providers/disc/test", null);
    assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
    assertThat(r.path("check").asText()).isEqualTo("models");
    assertThat(upstream.last().path()).isEqualTo("/v1/models");
  }

  @Test
  void failedLiveTestsSayWhy() {
    JsonNode rejected = http.expect(200, "POST", "/api/v1/providers/wrongkey/test", null);
    assertThat(rejected.path("ok").asBoolean()).isFalse();
    assertThat(rejected.path("status").asInt()).isEqualTo(401);
    assertThat(rejected.path("error").asText()).isEqualTo("Incorrect API key provided");

    JsonNode dead = http.expect(200, "POST", "/api/v1/providers/dead/test", null);
    assertThat(dead.path("ok").asBoolean()).isFalse();
    assertThat(dead.path("status").isNull()).isTrue();
    assertThat(dead.path("error").asText()).isNotBlank();
  }

  @Test
  void discoveredModelsAreCachedAndRouted() {
    int before = modelListCalls();
    JsonNode first = http.get("/api/v1/providers/disc/models");
    assertThat(first.path("provider").asText()).isEqualTo("disc");
    assertThat(List.of(first.path("models").get(0).asText(), first.path("models").get(1).asText()))
        .containsExactly("gpt-4o", "gpt-4o-mini");
    assertThat(first.path("cached").asBoolean()).isFalse();
    JsonNode again = http.get("/api/v1/providers/disc/models");
    assertThat(again.path("cached").asBoolean()).isTrue();
    assertThat(again.path("models")).isEqualTo(first.path("models"));
    assertThat(modelListCalls()).isEqualTo(before + 1);
    assertThat(http.get("/api/v1/providers/disc/models?refresh=true").path("cached").asBoolean()).isFalse();

    // Only "disc" discovered gpt-4o-mini ("openai" lists gpt-4o alone), so it alone serves it now.
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> r = http.chat("gpt-4o-mini", TestGateway.MASTER_KEY);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("x-junction-provider")).hasValue("disc");
    }
  }

  @Test
  void failedDiscoveryIs502NamingTheProvider() {
    HttpResponse<String> r = http.call("GET", "/api/v1/providers/wrongkey/models", TestGateway.MASTER_KEY, null);
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(AdminHttp.error(r).path("message").asText()).contains("'wrongkey'", "HTTP 401", "Incorrect API key provided");
  }

  private static int modelListCalls() {
    return (int) upstream.received.stream().filter(x -> x.path().equals("/v1/models")).count();
  }

  @Test
  void putListsEveryProblem() {
    HttpResponse<String> r = http.call("PUT", "/api/v1/config/providers/broken", TestGateway.MASTER_KEY,
        "{\"type\":\"nope\",\"dispatch\":\"sideways\",\"weight\":-1,\"colour\":\"red\",\"base_url\":\"ftp://x\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = AdminHttp.error(r);
    assertThat(error.path("code").asText()).isEqualTo("invalid_provider_config");
    List<String> problems = new java.util.ArrayList<>();
    for (JsonNode p : error.path("problems")) problems.add(p.asText());
    assertThat(problems).hasSizeGreaterThanOrEqualTo(5);
    for (String field : List.of("type", "dispatch", "weight", "colour", "base_url")) {
      assertThat(problems).as(field).anyMatch(p -> p.contains(field));
      assertThat(error.path("message").asText()).contains(field);
    }
    assertThat(http.call("GET", "/api/v1/providers/broken", TestGateway.MASTER_KEY, null).statusCode()).isEqualTo(404);

    HttpResponse<String> badName = http.call("PUT", "/api/v1/config/providers/Bad.Name", TestGateway.MASTER_KEY, secondProvider("[]"));
    assertThat(badName.statusCode()).isEqualTo(400);
    assertThat(AdminHttp.error(badName).path("message").asText()).contains("name");
    assertThat(http.call("PUT", "/api/v1/config/providers/x", TestGateway.MASTER_KEY, "[1]").statusCode()).isEqualTo(400);
  }

  @Test
  void putMakesAProviderLiveAndDeleteRemovesIt() {
    assertThat(http.chat("fresh-model", TestGateway.MASTER_KEY).statusCode()).isEqualTo(404);

    JsonNode created = http.expect(201, "PUT", "/api/v1/config/providers/second", secondProvider("[\"fresh-model\"]"));
    assertThat(created.path("name").asText()).isEqualTo("second");
    assertThat(created.path("source").asText()).isEqualTo("api");
    assertThat(created.path("key_count").asInt()).isEqualTo(1);
    assertThat(created.toString()).doesNotContain(SECOND_KEY);

    HttpResponse<String> routed = http.chat("fresh-model", TestGateway.MASTER_KEY);
    assertThat(routed.statusCode()).isEqualTo(200);
    assertThat(routed.headers().firstValue("x-junction-provider")).hasValue("second");
    assertThat(second.last().body().path("model").asText()).isEqualTo("fresh-model");

    JsonNode replaced = http.expect(200, "PUT", "/api/v1/config/providers/second", secondProvider("[\"renamed=fresh-model\"]"));
    assertThat(replaced.path("models").get(0).asText()).isEqualTo("renamed=fresh-model");
    assertThat(http.chat("fresh-model", TestGateway.MASTER_KEY).statusCode()).isEqualTo(404);
    assertThat(http.chat("renamed", TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);

    JsonNode deleted = http.expect(200, "DELETE", "/api/v1/config/providers/second", null);
    assertThat(deleted.path("reverted_to_configured").asBoolean()).isFalse();
    assertThat(http.chat("renamed", TestGateway.MASTER_KEY).statusCode()).isEqualTo(404);
    assertThat(AdminHttp.error(http.call("DELETE", "/api/v1/config/providers/second", TestGateway.MASTER_KEY, null))
        .path("code").asText()).isEqualTo("provider_not_found");
  }

  @Test
  void aStoredProviderOverridesTheConfiguredOneUntilDeleted() {
    HttpResponse<String> configured = http.call("DELETE", "/api/v1/config/providers/dead", TestGateway.MASTER_KEY, null);
    assertThat(configured.statusCode()).isEqualTo(409);
    assertThat(AdminHttp.error(configured).path("code").asText()).isEqualTo("provider_configured");

    String body = "{\"type\":\"openai\",\"base_url\":\"http://127.0.0.1:" + deadPort + "/v1\",\"models\":[\"dead-model\"],\"dispatch\":\"fallback\"}";
    JsonNode replaced = http.expect(200, "PUT", "/api/v1/config/providers/dead", body);
    assertThat(replaced.path("dispatch").asText()).isEqualTo("fallback");
    assertThat(replaced.path("source").asText()).isEqualTo("api");
    assertThat(replaced.path("key_count").asInt()).isZero();

    JsonNode deleted = http.expect(200, "DELETE", "/api/v1/config/providers/dead", null);
    assertThat(deleted.path("reverted_to_configured").asBoolean()).isTrue();
    JsonNode back = http.get("/api/v1/providers/dead");
    assertThat(back.path("dispatch").asText()).isEqualTo("pooled");
    assertThat(back.path("source").asText()).isEqualTo("config");
    assertThat(back.path("key_count").asInt()).isEqualTo(1);
  }

  @Test
  void storedProvidersSurviveARestartWithKeysKeptAsReferences() {
    String db = TestGateway.tempDatabase();
    String body = "{\"type\":\"openai\",\"base_url\":\"" + second.baseUrl()
        + "\",\"api_keys\":[\"${JUNCTION_TEST_UNSET_VAR:-" + SECOND_KEY + "}\"],\"models\":[\"kept-model\"]}";
    try (TestGateway first = gatewayOn(db, List.of())) {
      new AdminHttp(first).expect(201, "PUT", "/api/v1/config/providers/kept", body);
    }
    try (TestGateway restarted = gatewayOn(db, List.of())) {
      AdminHttp h = new AdminHttp(restarted);
      assertThat(h.get("/api/v1/providers/kept").path("source").asText()).isEqualTo("api");
      HttpResponse<String> r = h.chat("kept-model", TestGateway.MASTER_KEY);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.headers().firstValue("x-junction-provider")).hasValue("kept");
      // The store holds the reference as sent, not the key it resolved to.
      JsonNode stored = restarted.junction.data().store().providers.list().join().get("kept");
      assertThat(stored.path("api_keys").get(0).asText()).startsWith("${JUNCTION_TEST_UNSET_VAR");
    }
  }

  @Test
  void theBuiltInEchoStepsAsideForARealProviderAndComesBack() {
    try (TestGateway g = gatewayOn(TestGateway.tempDatabase(), List.of(ConfigLoader.echo()))) {
      AdminHttp h = new AdminHttp(g);
      assertThat(names(h.get("/api/v1/providers"))).containsExactly("echo");
      h.expect(201, "PUT", "/api/v1/config/providers/second", secondProvider("[\"*\"]"));
      assertThat(names(h.get("/api/v1/providers"))).containsExactly("second");
      assertThat(h.chat("anything", TestGateway.MASTER_KEY).headers().firstValue("x-junction-provider")).hasValue("second");
      h.expect(200, "DELETE", "/api/v1/config/providers/second", null);
      assertThat(names(h.get("/api/v1/providers"))).containsExactly("echo");
    }
  }

  private static TestGateway gatewayOn(String db, List<ProviderConfig> providers) {
    GatewayConfig c = GatewayConfig.defaults().withProviders(providers).withMasterKey(TestGateway.MASTER_KEY).withStorageUrl(db);
    return new TestGateway(c.withServer(new GatewayConfig.Server("127.0.0.1", 0, c.server().maxBodyBytes(), 1000)));
  }

  /** Top-level provider names of a list answer (health objects nested inside carry names too). */
  private static java.util.List<String> names(JsonNode list) {
    java.util.List<String> out = new java.util.ArrayList<>();
    list.path("data").forEach(p -> out.add(p.path("name").asText()));
    return out;
  }
}
