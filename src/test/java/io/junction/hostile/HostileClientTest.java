package io.junction.hostile;

import static io.junction.hostile.Hostile.closedByServer;
import static io.junction.hostile.Hostile.connect;
import static io.junction.hostile.Hostile.gateway;
import static io.junction.hostile.Hostile.provider;
import static io.junction.testing.GatewayHttp.await;
import static io.junction.testing.GatewayHttp.chatBody;
import static io.junction.testing.GatewayHttp.get;
import static io.junction.testing.GatewayHttp.master;
import static io.junction.testing.GatewayHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.Json;
import io.junction.testing.MockGeminiServer;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A client that attacks the gateway: every field that reaches a URL, a header or a label; slow and idle sockets. */
class HostileClientTest {
  static Vertx vertx;
  static MockGeminiServer gemini;
  static MockOpenAiServer openai;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    gemini = io.junction.testing.MockUpstreamBase.await(MockGeminiServer.start(vertx, "gk-1", "gemini-2.0-flash", "gemini-2.5-flash"));
    openai = new MockOpenAiServer(vertx);
  }

  @AfterAll
  static void stop() {
    io.junction.testing.MockUpstreamBase.await(gemini.close());
    openai.close();
    vertx.close();
  }

  private static TestGateway geminiGateway() {
    return TestGateway.withProviders(provider("gemini", "gemini", gemini.baseUrl(), List.of("gk-1"), List.of("gemini-*"), Map.of()));
  }

  private static String virtualKey(TestGateway gw, String allowed) {
    HttpResponse<String> r = post(gw, "/api/v1/keys", "{\"name\":\"narrow\",\"allowed_models\":[\"" + allowed + "\"]}", master());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Hostile.json(r.body()).path("key").asText();
  }

  @Test
  void aModelNameCannotClimbOutOfItsPathSegment() {
    try (TestGateway gw = geminiGateway()) {
      String key = virtualKey(gw, "gemini-2.0-flash*");
      for (String model : List.of("gemini-2.0-flash/../../v1beta/models/gemini-2.5-flash",
          "gemini-2.0-flash%2F..%2F..%2Fv1beta%2Fmodels%2Fgemini-2.5-flash", "gemini-2.0-flash:generateContent?x=")) {
        int before = gemini.requests().size();
        HttpResponse<String> r = post(gw, "/v1/chat/completions", chatBody(model), "authorization", "Bearer " + key);
        assertThat(r.statusCode()).as(model + " → " + r.body()).isNotEqualTo(200);
        var seen = gemini.requests().subList(before, gemini.requests().size());
        assertThat(seen).as("one upstream call for " + model).hasSize(1);
        // The whole client name is one encoded segment: no '/', '?' or '%2F' of its own survives.
        assertThat(seen.get(0).path()).isEqualTo("/v1beta/models/" + io.junction.protocol.ModelNames.pathSegment(model) + ":generateContent");
        assertThat(seen.get(0).query()).isNull();
      }
    }
  }

  @Test
  void controlCharactersAndHugeNamesAreRefusedBeforeAnyUpstreamCall() {
    try (TestGateway gw = geminiGateway()) {
      for (String model : List.of("gemini-2.0-flash\r\nx-injected: 1", "gemini-2.0-flash\u0000", "gemini-" + "x".repeat(100_000))) {
        int before = gemini.requests().size();
        HttpResponse<String> r = post(gw, "/v1/chat/completions", chatBody(model), master());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(Hostile.json(r.body()).path("error").path("param").asText()).isEqualTo("model");
        assertThat(gemini.requests()).hasSize(before);
        // Gemini's own path carries the model too.
        HttpResponse<String> g = post(gw, "/v1beta/models/" + io.junction.protocol.ModelNames.pathSegment(model) + ":generateContent",
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}", "x-goog-api-key", TestGateway.MASTER_KEY);
        assertThat(g.statusCode()).as(g.body()).isIn(400, 404, 414);
        assertThat(gemini.requests()).hasSize(before);
      }
    }
  }

  @Test
  void inventedModelNamesDoNotBecomeMetricLabels() {
    try (TestGateway gw = TestGateway.withProviders(provider("openai", "openai", openai.baseUrl(), List.of(MockOpenAiServer.KEY),
        List.of("gpt-4o", "gpt-*"), Map.of()))) {
      List<String> invented = new ArrayList<>();
      for (int i = 0; i < 30; i++) invented.add("gpt-" + "z".repeat(200) + i);
      for (String model : invented) post(gw, "/v1/chat/completions", chatBody(model), master());
      assertThat(post(gw, "/v1/chat/completions", chatBody("gpt-4o"), master()).statusCode()).isEqualTo(200);
      String scrape = get(gw, "/metrics").body();
      for (String model : invented) assertThat(scrape).doesNotContain(model);
      assertThat(scrape).contains("model=\"other\"").contains("model=\"gpt-4o\"");
      // Rejected names (too long) are not labels either.
      post(gw, "/v1/chat/completions", chatBody("q".repeat(5_000)), master());
      assertThat(get(gw, "/metrics").body()).doesNotContain("q".repeat(300));
    }
  }

  @Test
  void jsonSentWithAFormContentTypeIsStillJson() {
    try (TestGateway gw = TestGateway.withProviders(provider("openai", "openai", openai.baseUrl(), List.of(MockOpenAiServer.KEY),
        List.of("gpt-4o"), Map.of()))) {
      String big = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a b ".repeat(2_000) + "\"}]}";
      HttpResponse<String> r = post(gw, "/v1/chat/completions", big, "content-type", "application/x-www-form-urlencoded",
          master()[0], master()[1]);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      // curl -d on the management API too
      HttpResponse<String> k = post(gw, "/api/v1/keys", "{\"name\":\"curl\"}", "content-type", "application/x-www-form-urlencoded",
          master()[0], master()[1]);
      assertThat(k.statusCode()).as(k.body()).isEqualTo(201);
      // Thousands of form fields, no key: refused for the key, not a gateway error.
      String fields = "a=1&".repeat(5_000);
      HttpResponse<String> f = post(gw, "/v1/chat/completions", fields, "content-type", "application/x-www-form-urlencoded");
      assertThat(f.statusCode()).as(f.body()).isEqualTo(401);
      HttpResponse<String> g = post(gw, "/v1/chat/completions", fields, "content-type", "application/x-www-form-urlencoded",
          master()[0], master()[1]);
      assertThat(g.statusCode()).as(g.body()).isEqualTo(400);
      assertThat(g.body()).doesNotContain("internal_error");
    }
  }

  @Test
  void slowlorisIsCutAtTheHeaderTimeout() throws Exception {
    try (TestGateway gw = gateway(s -> s.withLimits(60_000, 300, 1_000), provider("openai", "openai", openai.baseUrl(),
        List.of(MockOpenAiServer.KEY), List.of("gpt-4o"), Map.of()))) {
      Socket s = connect(gw);
      OutputStream out = s.getOutputStream();
      out.write("POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // One header byte every 100 ms would keep a read-idle timer from ever firing.
      Thread dribble = Thread.ofVirtual().start(() -> {
        try {
          for (int i = 0; i < 200; i++) {
            out.write('x');
            out.flush();
            Thread.sleep(100);
          }
        } catch (Exception closed) {
          // the gateway hung up: what the test waits for
        }
      });
      assertThat(closedByServer(s)).as("the gateway closes a head that never ends").isTrue();
      dribble.interrupt();
      s.close();
      // A body that stops half-way is cut the same way.
      Socket b = connect(gw);
      b.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
          + "content-length: 1000\r\n\r\n{\"model\":").getBytes(StandardCharsets.US_ASCII));
      b.getOutputStream().flush();
      assertThat(closedByServer(b)).as("the gateway closes a body that never ends").isTrue();
      b.close();
    }
  }

  @Test
  void idleConnectionsAreClosedAndCappedButServingGoesOn() throws Exception {
    try (TestGateway gw = gateway(s -> s.withLimits(400, 10_000, 20), provider("openai", "openai", openai.baseUrl(),
        List.of(MockOpenAiServer.KEY), List.of("gpt-4o"), Map.of()))) {
      Socket idle = connect(gw);
      assertThat(closedByServer(idle)).as("an idle connection is closed after idle_timeout_ms").isTrue();
      idle.close();
    }
    try (TestGateway gw = gateway(s -> s.withLimits(60_000, 60_000, 20), provider("openai", "openai", openai.baseUrl(),
        List.of(MockOpenAiServer.KEY), List.of("gpt-4o"), Map.of()))) {
      List<Socket> flood = new ArrayList<>();
      for (int i = 0; i < 20; i++) flood.add(connect(gw));
      // Accepted connections are counted as the event loops see them.
      Socket over = connect(gw);
      over.setSoTimeout(5_000);
      assertThat(closedByServer(over)).as("the connection past max_connections is closed at once").isTrue();
      over.close();
      for (Socket s : flood.subList(0, 5)) s.close();
      await("closed sockets to be released", () -> {
        try {
          return post(gw, "/v1/chat/completions", chatBody("gpt-4o"), master()).statusCode() == 200;
        } catch (IllegalStateException refusedWhileFull) {
          return false;
        }
      });
      for (Socket s : flood) s.close();
    }
  }

  @Test
  void aStopWithOnlyIdleConnectionsIsImmediate() throws Exception {
    TestGateway gw = gateway(s -> new io.junction.config.GatewayConfig.Server(s.host(), s.port(), s.maxBodyBytes(), 120_000)
            .withLimits(60_000, 60_000, 1_000),
        provider("openai", "openai", openai.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o"), Map.of()));
    assertThat(post(gw, "/v1/chat/completions", chatBody("gpt-4o"), master()).statusCode()).isEqualTo(200);
    Socket idle = connect(gw);
    Socket keptAlive = connect(gw);
    keptAlive.getOutputStream().write(("GET /health HTTP/1.1\r\nhost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    keptAlive.getOutputStream().flush();
    keptAlive.getInputStream().read(new byte[256]);
    Socket halfHead = connect(gw);
    halfHead.getOutputStream().write("GET /health HTTP/1.1\r\nhos".getBytes(StandardCharsets.US_ASCII));
    halfHead.getOutputStream().flush();
    // 120 s of grace, nothing in flight: the stop must not wait for it.
    gw.junction.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(closedByServer(idle)).isTrue();
    assertThat(closedByServer(keptAlive)).isTrue();
    assertThat(closedByServer(halfHead)).isTrue();
    halfHead.close();
    idle.close();
    keptAlive.close();
  }
}
