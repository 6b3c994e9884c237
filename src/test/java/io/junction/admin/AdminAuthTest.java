package io.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.GatewayConfig;
import io.junction.config.ProviderConfig;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Who may call the management API, and virtual keys from creation to revocation. */
class AdminAuthTest {
  /** Every management route (method, path, body); none may run without the master key. */
  static final List<String[]> ROUTES = List.of(
      new String[] {"GET", "/api/v1/providers", null},
      new String[] {"GET", "/api/v1/providers/openai", null},
      new String[] {"POST", "/api/v1/providers/openai/test", null},
      new String[] {"GET", "/api/v1/providers/openai/models", null},
      new String[] {"PUT", "/api/v1/config/providers/sneaky", "{\"type\":\"openai\",\"base_url\":\"http://127.0.0.1:9/v1\"}"},
      new String[] {"DELETE", "/api/v1/config/providers/openai", null},
      new String[] {"GET", "/api/v1/metrics", null},
      new String[] {"GET", "/api/v1/metrics/openai", null},
      new String[] {"POST", "/api/v1/metrics/reset", null},
      new String[] {"GET", "/api/v1/logs", null},
      new String[] {"GET", "/api/v1/costs", null},
      new String[] {"GET", "/api/v1/usage", null},
      new String[] {"GET", "/api/v1/logs/1", null},
      new String[] {"GET", "/api/v1/virtual-models", null},
      new String[] {"POST", "/api/v1/keys", "{\"name\":\"sneaky\"}"},
      new String[] {"GET", "/api/v1/keys", null},
      new String[] {"DELETE", "/api/v1/keys/vk_0000000000000000", null},
      new String[] {"GET", "/providers/status", null},
      new String[] {"GET", "/providers/metrics", null},
      new String[] {"GET", "/providers/metrics/openai", null},
      new String[] {"POST", "/providers/metrics/reset", null},
      new String[] {"GET", "/providers/logs", null},
      new String[] {"GET", "/providers/logs/openai", null},
      new String[] {"GET", "/providers/costs", null},
      new String[] {"GET", "/v1/providers", null});

  static Vertx vertx;
  static MockOpenAiServer upstream;
  static TestGateway gateway;
  static AdminHttp http;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = new MockOpenAiServer(vertx);
    gateway = TestGateway.withProviders(
        ProviderConfig.simple("openai", "openai", upstream.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o")));
    http = new AdminHttp(gateway);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    vertx.close();
  }

  String createKey(String body) {
    JsonNode created = http.expect(201, "POST", "/api/v1/keys", body);
    return created.path("key").asText();
  }

  @Test
  void everyManagementRouteNeedsTheMasterKey() {
    String virtualKey = createKey("{\"name\":\"not-an-admin\"}");
    int upstreamCalls = upstream.received.size();
    for (String[] route : ROUTES) {
      HttpResponse<String> none = http.call(route[0], route[1], null, route[2]);
      assertThat(none.statusCode()).as("no key: " + route[0] + " " + route[1]).isEqualTo(401);
      assertThat(AdminHttp.error(none).path("type").asText()).isEqualTo("authentication_error");

      HttpResponse<String> wrong = http.call(route[0], route[1], "jk-wrong", route[2]);
      assertThat(wrong.statusCode()).as("wrong key: " + route[0] + " " + route[1]).isEqualTo(401);

      HttpResponse<String> virtual = http.call(route[0], route[1], virtualKey, route[2]);
      assertThat(virtual.statusCode()).as("virtual key: " + route[0] + " " + route[1]).isEqualTo(403);
      assertThat(AdminHttp.error(virtual).path("code").asText()).isEqualTo("master_key_required");
    }
    // Nothing the rejected calls asked for happened.
    assertThat(upstream.received).hasSize(upstreamCalls);
    assertThat(http.call("GET", "/api/v1/providers/sneaky", TestGateway.MASTER_KEY, null).statusCode()).isEqualTo(404);
    assertThat(http.get("/api/v1/keys").path("data").findValuesAsText("name")).doesNotContain("sneaky");
  }

  @Test
  void prometheusScrapeNeedsNoKey() {
    HttpResponse<String> r = http.call("GET", "/metrics", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
    assertThat(r.body()).contains("# TYPE jvm_memory_used_bytes gauge");
  }

  @Test
  void providerViewsShowTheKeyCountButNeverTheKeys() {
    JsonNode all = http.get("/api/v1/providers");
    assertThat(all.toString()).doesNotContain(MockOpenAiServer.KEY);
    JsonNode p = all.path("data").get(0);
    assertThat(p.path("name").asText()).isEqualTo("openai");
    assertThat(p.path("type").asText()).isEqualTo("openai");
    assertThat(p.path("base_url").asText()).isEqualTo(upstream.baseUrl());
    assertThat(p.path("dispatch").asText()).isEqualTo("pooled");
    assertThat(p.path("weight").asInt()).isEqualTo(1);
    assertThat(p.path("enabled").asBoolean()).isTrue();
    assertThat(p.path("key_count").asInt()).isEqualTo(1);
    assertThat(p.path("source").asText()).isEqualTo("config");
    assertThat(p.has("health")).isTrue();
    assertThat(http.get("/api/v1/providers/openai")).isEqualTo(p);
    assertThat(http.get("/providers/status")).isEqualTo(all);
    assertThat(http.get("/v1/providers")).isEqualTo(all);
    HttpResponse<String> unknown = http.call("GET", "/api/v1/providers/nope", TestGateway.MASTER_KEY, null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(AdminHttp.error(unknown).path("code").asText()).isEqualTo("provider_not_found");
  }

  @Test
  void virtualKeyLifecycle() {
    JsonNode created = http.expect(201, "POST", "/api/v1/keys",
        "{\"name\":\"ci\",\"allowed_models\":[\"gpt-4o\"],\"rpm\":100,\"budget_usd\":5}");
    String secret = created.path("key").asText();
    String id = created.path("id").asText();
    assertThat(secret).startsWith("jk-");
    assertThat(created.path("name").asText()).isEqualTo("ci");
    assertThat(created.path("allowed_models").get(0).asText()).isEqualTo("gpt-4o");
    assertThat(created.path("rpm").asInt()).isEqualTo(100);

    // The secret is shown once: the listing has the key, never its secret.
    JsonNode listed = http.get("/api/v1/keys");
    assertThat(listed.toString()).doesNotContain(secret);
    assertThat(listed.path("data").findValuesAsText("id")).contains(id);
    listed.path("data").forEach(k -> assertThat(k.has("key")).isFalse());

    assertThat(http.chat("gpt-4o", secret).statusCode()).isEqualTo(200);
    HttpResponse<String> notAllowed = http.chat("gpt-4o-mini", secret);
    assertThat(notAllowed.statusCode()).isEqualTo(403);
    assertThat(AdminHttp.error(notAllowed).path("code").asText()).isEqualTo("model_not_allowed");

    assertThat(http.expect(200, "DELETE", "/api/v1/keys/" + id, null).path("revoked").asBoolean()).isTrue();
    HttpResponse<String> revoked = http.chat("gpt-4o", secret);
    assertThat(revoked.statusCode()).isEqualTo(401);
    assertThat(AdminHttp.error(revoked).path("type").asText()).isEqualTo("authentication_error");
    assertThat(AdminHttp.error(http.call("DELETE", "/api/v1/keys/" + id, TestGateway.MASTER_KEY, null)).path("code").asText())
        .isEqualTo("key_not_found");
    JsonNode after = http.get("/api/v1/keys").path("data");
    for (JsonNode k : after) if (k.path("id").asText().equals(id)) assertThat(k.path("revoked").isTextual()).isTrue();
  }

  @Test
  void badKeySpecIs400NamingTheField() {
    HttpResponse<String> r = http.call("POST", "/api/v1/keys", TestGateway.MASTER_KEY, "{\"name\":\"x\",\"rpm\":0}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(AdminHttp.error(r).path("param").asText()).isEqualTo("rpm");
    HttpResponse<String> notJson = http.call("POST", "/api/v1/keys", TestGateway.MASTER_KEY, "{nope");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(AdminHttp.error(notJson).path("message").asText()).contains("not valid JSON");
  }

  @Test
  void requestsPerMinuteLimitAnswers429WithRetryAfter() {
    String secret = createKey("{\"name\":\"slowpoke\",\"rpm\":2}");
    assertThat(http.chat("gpt-4o", secret).statusCode()).isEqualTo(200);
    assertThat(http.chat("gpt-4o", secret).statusCode()).isEqualTo(200);
    HttpResponse<String> limited = http.chat("gpt-4o", secret);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(AdminHttp.error(limited).path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(limited.headers().firstValue("retry-after")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
  }

  @Test
  void spendingTheBudgetAnswers403() {
    // One mock call costs more than this (12 prompt + 5 completion tokens of gpt-4o).
    JsonNode created = http.expect(201, "POST", "/api/v1/keys", "{\"name\":\"thrifty\",\"budget_usd\":0.00001}");
    String secret = created.path("key").asText();
    String id = created.path("id").asText();
    assertThat(http.chat("gpt-4o", secret).statusCode()).isEqualTo(200);
    JsonNode spent = AdminHttp.poll(() -> keyById(id), k -> k.path("spent_usd").asDouble() > 0);
    assertThat(spent.path("spent_usd").asDouble()).isGreaterThan(0.00001);
    HttpResponse<String> over = http.chat("gpt-4o", secret);
    assertThat(over.statusCode()).isEqualTo(403);
    assertThat(AdminHttp.error(over).path("code").asText()).isEqualTo("budget_exceeded");
  }

  private JsonNode keyById(String id) {
    for (JsonNode k : http.get("/api/v1/keys").path("data")) if (k.path("id").asText().equals(id)) return k;
    throw new AssertionError("no key " + id);
  }

  @Test
  void withoutAMasterKeyTheLoopbackGatewayIsOpen() {
    GatewayConfig c = GatewayConfig.defaults().withStorageUrl(TestGateway.tempDatabase())
        .withProviders(List.of(ProviderConfig.simple("openai", "openai", upstream.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o"))));
    try (TestGateway open = new TestGateway(c.withServer(new GatewayConfig.Server("127.0.0.1", 0, c.server().maxBodyBytes(), 1000)))) {
      assertThat(new AdminHttp(open).call("GET", "/api/v1/providers", null, null).statusCode()).isEqualTo(200);
    }
  }
}
