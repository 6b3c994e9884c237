package io.junction.hostile;

import static io.junction.testing.GatewayHttp.chatBody;
import static io.junction.testing.GatewayHttp.get;
import static io.junction.testing.GatewayHttp.master;
import static io.junction.testing.GatewayHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.DispatchMode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.Json;
import io.junction.testing.GatewayHttp;
import io.junction.testing.RawUpstream;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upstreams that misbehave: they quote the key they were sent, answer without end, hold every
 * connection, present a certificate nobody trusts; and clients that leave mid-stream. Each case is
 * a regression test of issue 13's findings.
 */
class HostileUpstreamTest {
  static final String KEY = "sk-proj-hostile0upstream0key0000000001";
  static final String OTHER_SHAPED = "AIzaSyD-hostile-looking-google-key-000000";
  static final String USAGE_STREAM = String.join("",
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"hel\"},\"finish_reason\":null}]}\n\n",
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n",
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":500,\"total_tokens\":1500}}\n\n",
      "data: [DONE]\n\n");

  static Vertx vertx;
  static RawUpstream upstream;
  static HttpServer tlsServer;
  static TestGateway gateway;

  static ProviderConfig provider(String name, String baseUrl, List<String> models, Map<String, String> options, int maxRetries) {
    return new ProviderConfig(name, "openai", null, baseUrl, List.of(KEY), DispatchMode.POOLED, 1, models,
        ProviderConfig.DEFAULT_TIMEOUT_MS, 10_000, 10_000, 10_000, maxRetries, Map.of(), true, options);
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new RawUpstream(vertx, RawUpstream.json(200, "{}"));
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    tlsServer = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.keyCertOptions()))
        .requestHandler(req -> req.response().end("{}")).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    String base = upstream.url() + "/v1";
    gateway = TestGateway.withProviders(
        provider("hostile", base, List.of("m", "gpt-4o"), Map.of(), 0),
        provider("tiny", base, List.of("tiny-model"), Map.of("max_response_bytes", "1000"), 0),
        provider("narrow", base, List.of("narrow-model"), Map.of("max_connections", "1"), 0),
        provider("badtls", "https://127.0.0.1:" + tlsServer.actualPort() + "/v1", List.of("tls-model"), Map.of(), 2));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    tlsServer.close();
    vertx.close();
  }

  static HttpResponse<String> chat(String model, boolean stream) {
    return post(gateway, "/v1/chat/completions", chatBody(model, stream), master());
  }

  static JsonNode logs() throws Exception {
    return Json.parse(get(gateway, "/api/v1/logs?limit=200", master()).body()).path("data");
  }

  /** The newest log row with this request id, waiting for the writer's batch. */
  static JsonNode logRow(String requestId) throws Exception {
    return pollLogs(row -> requestId.equals(row.path("request_id").asText()));
  }

  static JsonNode pollLogs(Predicate<JsonNode> match) throws Exception {
    for (int i = 0; i < 100; i++) {
      for (JsonNode row : logs()) if (match.test(row)) return row;
      Thread.sleep(50);
    }
    throw new AssertionError("no such log row");
  }

  @Test
  void aKeyQuotedInAnUpstreamErrorReachesNeitherClientNorLog() throws Exception {
    upstream.answer(RawUpstream.json(400, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY
        + ". Also tried " + OTHER_SHAPED + ".\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}"));
    HttpResponse<String> r = chat("m", false);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).doesNotContain(KEY).doesNotContain(OTHER_SHAPED).contains("[redacted]");
    JsonNode row = logRow(r.headers().firstValue("x-request-id").orElseThrow());
    assertThat(row.toString()).doesNotContain(KEY).doesNotContain(OTHER_SHAPED);
  }

  @Test
  void aKeyEchoedInAnAnswerOrAStreamIsScrubbed() throws Exception {
    upstream.answer(RawUpstream.json(200, "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\"your key is " + KEY + "\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}"));
    HttpResponse<String> r = chat("m", false);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).doesNotContain(KEY).contains("your key is [redacted]");

    upstream.answer((req, body) -> req.response().putHeader("content-type", "text/event-stream")
        .end(USAGE_STREAM.replace("\"hel\"", "\"" + KEY + "\"")));
    HttpResponse<String> s = chat("m", true);
    assertThat(s.statusCode()).isEqualTo(200);
    assertThat(s.body()).doesNotContain(KEY).contains("[redacted]").endsWith("data: [DONE]\n\n");
  }

  @Test
  void anAnswerOverMaxResponseBytesIsAClear502() throws Exception {
    upstream.answer(RawUpstream.json(200, "{\"pad\":\"" + "x".repeat(5_000) + "\"}"));
    HttpResponse<String> r = chat("tiny-model", false);
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(Json.parse(r.body()).path("error").path("message").asText()).contains("larger than the limit of 1000 bytes");
  }

  @Test
  void aFullConnectionPoolAnswers503AtOnce() throws Exception {
    List<io.vertx.core.http.HttpServerRequest> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    upstream.answer((req, body) -> held.add(req)); // never answers while the test waits
    try {
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      String body = "{\"model\":\"narrow-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      for (int i = 0; i < 3; i++) {
        calls.add(GatewayHttp.HTTP.sendAsync(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
            .header("authorization", "Bearer " + TestGateway.MASTER_KEY).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString()));
        Thread.sleep(100);
      }
      // One holds the only connection, one waits for it; the third has nowhere to go.
      HttpResponse<String> refused = CompletableFuture.anyOf(calls.toArray(CompletableFuture[]::new))
          .thenApply(r -> (HttpResponse<String>) r).get(10, TimeUnit.SECONDS);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(Json.parse(refused.body()).path("error").path("code").asText()).isEqualTo("upstream_pool_full");
      for (int i = 0; i < 100 && held.isEmpty(); i++) Thread.sleep(50);
      Thread.sleep(300);
      assertThat(held).as("never more requests upstream than max_connections").hasSize(1);
    } finally {
      upstream.answer(RawUpstream.json(200, "{}"));
      held.forEach(req -> req.response().setStatusCode(500).end());
    }
  }

  @Test
  void anUntrustedCertificateIsNotRetried() throws Exception {
    HttpResponse<String> r = chat("tls-model", false);
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("x-junction-attempts")).hasValue("1");
    assertThat(Json.parse(r.body()).path("error").path("code").asText()).isEqualTo("upstream_tls_error");
  }

  /** Sends a streamed chat over a raw socket and closes it once {@code stopAt} was read; returns the request id. */
  static String streamAndHangUp(String stopAt) throws Exception {
    try (Socket s = GatewayHttp.rawChat(gateway, "m", true, false)) {
      InputStream in = s.getInputStream();
      StringBuilder seen = new StringBuilder();
      byte[] buf = new byte[8192];
      while (!seen.toString().contains(stopAt)) {
        int n = in.read(buf);
        if (n < 0) break;
        seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
      String head = seen.toString().toLowerCase();
      int at = head.indexOf("x-request-id: ");
      return seen.substring(at + 14, seen.indexOf("\r\n", at));
    }
  }

  @Test
  void aClientThatLeavesAtDoneIsBilledInFull() throws Exception {
    // The upstream keeps its connection open a moment after [DONE]: the client is gone by the time it ends.
    upstream.answer((req, body) -> {
      var resp = req.response().putHeader("content-type", "text/event-stream").setChunked(true);
      resp.write(USAGE_STREAM);
      vertx.setTimer(500, t -> resp.end());
    });
    String id = streamAndHangUp("[DONE]");
    JsonNode row = logRow(id);
    assertThat(row.path("status").asInt()).isEqualTo(200);
    assertThat(row.path("input_tokens").asLong()).isEqualTo(1000);
    assertThat(row.path("output_tokens").asLong()).isEqualTo(500);
  }

  @Test
  void aClientThatLeavesMidStreamIsBilledForWhatItGot() throws Exception {
    // The upstream sends two deltas and then stalls: the client leaves before any usage arrived.
    List<io.vertx.core.http.HttpServerResponse> open = new java.util.concurrent.CopyOnWriteArrayList<>();
    upstream.answer((req, body) -> {
      io.vertx.core.http.HttpServerResponse resp = req.response().putHeader("content-type", "text/event-stream").setChunked(true);
      resp.write(USAGE_STREAM.substring(0, USAGE_STREAM.indexOf("\n\n") + 2)); // the first delta only
      open.add(resp);
    });
    try {
      String id = streamAndHangUp("\"hel\"");
      JsonNode row = logRow(id);
      assertThat(row.path("status").asInt()).isEqualTo(499);
      assertThat(row.path("input_tokens").asLong()).as("estimated from the request").isPositive();
      assertThat(row.path("output_tokens").asLong()).as("about a token per relayed chunk").isPositive();
    } finally {
      open.forEach(r -> r.end());
      upstream.answer(RawUpstream.json(200, "{}"));
    }
  }

  @Test
  void requestsTheGatewayRefusesAreLoggedToo() throws Exception {
    HttpResponse<String> badKey = GatewayHttp.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
        .header("authorization", "Bearer wrong").POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[]}")).build());
    HttpResponse<String> badJson = GatewayHttp.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).POST(HttpRequest.BodyPublishers.ofString("{\"model\":")).build());
    HttpResponse<String> unknown = chat("no-such-model", false);
    for (var r : List.of(badKey, badJson, unknown)) {
      JsonNode row = logRow(r.headers().firstValue("x-request-id").orElseThrow());
      assertThat(row.path("status").asInt()).isEqualTo(r.statusCode());
      assertThat(row.path("error").asText()).isNotBlank();
    }
    assertThat(List.of(badKey.statusCode(), badJson.statusCode(), unknown.statusCode())).containsExactly(401, 400, 404);
  }
}
