package io.junction.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.GatewayConfig;
import io.junction.config.ProviderConfig;
import io.junction.protocol.Json;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.MockOpenAiServer.Reply;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every bad input gets a clear error in the OpenAI shape. What the gateway itself needs (a JSON
 * object with a model) is checked before anything is sent; the rest of a same-protocol request is
 * the upstream's to judge (CONTRACT §8), while a request that must be translated is refused with a
 * 400 naming the field when it cannot be read.
 */
class ErrorCasesTest {
  static Vertx vertx;
  static MockOpenAiServer upstream;
  static TestGateway gateway;
  static final HttpClient http = HttpClient.newHttpClient();
  static int deadPort;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new MockOpenAiServer(vertx);
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    ProviderConfig ok = ProviderConfig.simple("openai", "openai", upstream.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o"));
    ProviderConfig dead = new ProviderConfig("dead", "openai", null, "http://127.0.0.1:" + deadPort + "/v1", List.of("k"),
        io.junction.config.DispatchMode.POOLED, 1, List.of("dead-model"), 5000, 1000, 5000, 5000, 0, Map.of(), true, Map.of());
    ProviderConfig slow = new ProviderConfig("slow", "openai", null, upstream.baseUrl(), List.of(MockOpenAiServer.KEY),
        io.junction.config.DispatchMode.POOLED, 1, List.of("slow-model"), 60000, 1000, 300, 300, 0, Map.of(), true, Map.of());
    // Serves gemini-x through translation; never reached (its address is dead), since every request to it here is refused first.
    ProviderConfig translated = ProviderConfig.simple("gem", "gemini", "http://127.0.0.1:" + deadPort, List.of("k"), List.of("gemini-x"));
    GatewayConfig c = GatewayConfig.defaults().withProviders(List.of(ok, dead, slow, translated)).withMasterKey(TestGateway.MASTER_KEY)
        .withStorageUrl(TestGateway.tempDatabase());
    c = c.withServer(new GatewayConfig.Server("127.0.0.1", 0, 4096, 1000));
    gateway = new TestGateway(c);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    vertx.close();
  }

  static HttpResponse<String> post(String path, String body, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) b.header("authorization", "Bearer " + key);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode error(HttpResponse<String> r) throws Exception {
    JsonNode n = Json.parse(r.body());
    assertThat(n.path("error").path("message").asText()).isNotBlank();
    assertThat(n.path("error").has("type")).isTrue();
    assertThat(r.headers().firstValue("x-request-id")).isPresent();
    return n.path("error");
  }

  @Test
  void malformedJsonIs400() throws Exception {
    var r = post("/v1/chat/completions", "{\"model\": \"gpt-4o\", \"messages\": [", TestGateway.MASTER_KEY);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).path("message").asText()).contains("not valid JSON");
  }

  @Test
  void wrongTypesAndMissingFieldsAre400NamingTheFieldWhenTranslating() throws Exception {
    Map<String, String> cases = Map.of(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model",
        "{\"model\":\"gemini-x\"}", "messages",
        "{\"model\":\"gemini-x\",\"messages\":\"hi\"}", "messages",
        "{\"model\":\"gemini-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}", "temperature",
        "{\"model\":\"gemini-x\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}", "messages[0].role",
        "{\"model\":\"gemini-x\",\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"x\",\"content\":\"hi\"}]}", "messages[0].tool_call_id",
        "[1,2,3]", "");
    int before = upstream.received.size();
    for (var e : cases.entrySet()) {
      var r = post("/v1/chat/completions", e.getKey(), TestGateway.MASTER_KEY);
      assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
      JsonNode err = error(r);
      if (!e.getValue().isEmpty()) assertThat(err.path("param").asText()).as(e.getKey()).isEqualTo(e.getValue());
    }
    assertThat(upstream.received).hasSize(before);
  }

  @Test
  void sameProtocolRequestsReachTheUpstreamUnvalidated() throws Exception {
    // Fields the gateway does not model (an input_audio part, a beta field) and values it would not
    // accept itself are the upstream's to judge: relayed byte for byte but for the model.
    String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\","
        + "\"input_audio\":{\"data\":\"UklGRg==\",\"format\":\"wav\"}}]}],\"some_beta_field\":{\"x\":[1,2]}}";
    int before = upstream.received.size();
    var r = post("/v1/chat/completions", body, TestGateway.MASTER_KEY);
    assertThat(upstream.received).hasSize(before + 1);
    JsonNode sent = upstream.received.get(before).body();
    assertThat(sent.path("messages").get(0).path("content").get(0).path("type").asText()).isEqualTo("input_audio");
    assertThat(sent.path("some_beta_field").path("x").size()).isEqualTo(2);
    assertThat(r.statusCode()).as("the upstream's own verdict").isIn(200, 400);
  }

  @Test
  void bodyOverLimitIs413() throws Exception {
    String big = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(10_000) + "\"}]}";
    var r = post("/v1/chat/completions", big, TestGateway.MASTER_KEY);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(error(r).path("type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void missingKeyIs401() throws Exception {
    var r = post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(error(r).path("type").asText()).isEqualTo("authentication_error");
  }

  @Test
  void keyAcceptedInEveryClientHeader() throws Exception {
    String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    for (String header : List.of("x-api-key", "x-goog-api-key")) {
      var r = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat")).header(header, TestGateway.MASTER_KEY)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(header).isEqualTo(200);
    }
    var r = post("/v1/chat?key=" + TestGateway.MASTER_KEY, body, null);
    assertThat(r.statusCode()).isEqualTo(200);
    // The client's key never goes upstream.
    assertThat(upstream.last().headers().get("authorization")).isEqualTo("Bearer " + MockOpenAiServer.KEY);
    assertThat(upstream.last().headers().get("x-api-key")).isNull();
  }

  @Test
  void connectionRefusedIs502AndTimeoutIs504() throws Exception {
    var r = post("/v1/chat/completions", "{\"model\":\"dead-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", TestGateway.MASTER_KEY);
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("x-junction-provider")).contains("dead");
    upstream.enqueue(Reply.text("late").delayed(3000));
    r = post("/v1/chat/completions", "{\"model\":\"slow-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", TestGateway.MASTER_KEY);
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(error(r).path("type").asText()).isEqualTo("timeout_error");
  }

  @Test
  void healthAndReadinessNeedNoKey() throws Exception {
    var h = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(h.statusCode()).isEqualTo(200);
    var ready = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
  }

  @Test
  void unknownRouteIs404InOpenAiShape() throws Exception {
    var r = post("/v1/nothing-here", "{}", TestGateway.MASTER_KEY);
    assertThat(r.statusCode()).isEqualTo(404);
    error(r);
  }
}
