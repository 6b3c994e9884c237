package io.junction.routing;

import static io.junction.routing.GatewayHarness.chat;
import static io.junction.routing.GatewayHarness.closedPort;
import static io.junction.routing.GatewayHarness.gateway;
import static io.junction.routing.GatewayHarness.get;
import static io.junction.routing.GatewayHarness.header;
import static io.junction.routing.Providers.openai;
import static io.junction.testing.GatewayHttp.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.DispatchMode;
import io.junction.protocol.Json;
import io.junction.testing.GatewayHttp;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.MockOpenAiServer.Reply;
import io.junction.testing.MockOpenAiServer.Reply.Mode;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults injected by mock upstreams on loopback, through a real gateway: what the mocks received
 * (the attempt sequence), what the client got (status, x-junction-attempts, x-junction-provider),
 * and that cancelled upstream calls really close.
 */
class FaultInjectionTest {
  static final List<String> KEY = List.of(MockOpenAiServer.KEY);
  static Vertx vertx;
  MockOpenAiServer a;
  MockOpenAiServer b;

  @BeforeAll
  static void startVertx() { vertx = Vertx.vertx(); }

  @AfterAll
  static void stopVertx() { vertx.close(); }

  @BeforeEach
  void startMocks() {
    a = new MockOpenAiServer(vertx);
    b = new MockOpenAiServer(vertx);
  }

  @AfterEach
  void stopMocks() {
    a.close();
    b.close();
  }

  /** Provider "a" (pooled) and provider "b" (fallback), both serving model "m". */
  private Providers primary() { return openai("a", a.baseUrl(), KEY, "m").retries(1); }

  private Providers fallback() { return openai("b", b.baseUrl(), KEY, "m").retries(0).dispatch(DispatchMode.FALLBACK); }

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.parse(r.body());
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  private static void assertServed(HttpResponse<String> r, String provider, int attempts) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(header(r, "x-junction-provider")).isEqualTo(provider);
    assertThat(header(r, "x-junction-attempts")).isEqualTo(Integer.toString(attempts));
  }

  @Test
  void serverErrorsAreRetriedThenTheFallbackAnswers() {
    a.enqueue(Reply.error(500, "boom"), Reply.error(503, "down"));
    try (TestGateway gw = gateway(primary(), fallback())) {
      HttpResponse<String> r = chat(gw, "m", false);
      assertServed(r, "b", 3);
      assertThat(a.received).hasSize(2);
      assertThat(b.received).hasSize(1);
      assertThat(json(r).path("choices").get(0).path("message").path("content").asText()).isEqualTo("Hello from mock");
    }
  }

  @Test
  void streamsFailOverToo_beforeTheFirstByte() {
    a.enqueue(Reply.error(502, "bad"), Reply.error(500, "boom"));
    try (TestGateway gw = gateway(primary(), fallback())) {
      HttpResponse<String> r = chat(gw, "m", true);
      assertServed(r, "b", 3);
      assertThat(r.body()).contains("\"content\":\"Hello\"").endsWith("data: [DONE]\n\n");
    }
  }

  @Test
  void lastUpstreamErrorIsReturnedWhenEveryCandidateFails() {
    a.enqueue(Reply.error(500, "a1"), Reply.error(500, "a2"));
    b.enqueue(Reply.error(503, "b is down"));
    try (TestGateway gw = gateway(primary(), fallback())) {
      HttpResponse<String> r = chat(gw, "m", false);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(header(r, "x-junction-attempts")).isEqualTo("3");
      assertThat(header(r, "x-junction-provider")).isEqualTo("b");
      assertThat(json(r).path("error").path("message").asText()).isEqualTo("b is down");
    }
  }

  @Test
  void clientErrorsAreReturnedAtOnce() {
    a.enqueue(Reply.error(422, "bad schema"));
    try (TestGateway gw = gateway(primary(), fallback())) {
      HttpResponse<String> r = chat(gw, "m", false);
      assertThat(r.statusCode()).isEqualTo(422);
      assertThat(header(r, "x-junction-attempts")).isEqualTo("1");
      assertThat(b.received).isEmpty();
    }
  }

  @Test
  void retryAfterWithinTheCapIsHonouredOnTheSameProvider() {
    a.enqueue(Reply.error(503, "busy").withHeader("retry-after", "1"));
    try (TestGateway gw = gateway(primary(), fallback())) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = chat(gw, "m", false);
      assertServed(r, "a", 2);
      assertThat((System.nanoTime() - t0) / 1_000_000).as("waited for Retry-After").isGreaterThanOrEqualTo(950);
      assertThat(b.received).isEmpty();
    }
  }

  @Test
  void retryAfterAboveTheCapMovesOnWithoutWaiting() {
    a.enqueue(Reply.rateLimited(120));
    try (TestGateway gw = gateway(primary(), fallback())) {
      HttpResponse<String> r = chat(gw, "m", false);
      assertServed(r, "b", 2);
      assertThat(a.received).hasSize(1);
    }
  }

  @Test
  void rateLimitedKeyCoolsDownWhileTheNextKeyServes() {
    a.acceptKeys("sk-second");
    try (TestGateway gw = gateway(openai("a", a.baseUrl(), List.of(MockOpenAiServer.KEY, "sk-second"), "m").retries(1))) {
      a.enqueue(Reply.rateLimited(120));
      HttpResponse<String> r = chat(gw, "m", false);
      assertServed(r, "a", 2);
      assertThat(a.keysUsed()).containsExactly(MockOpenAiServer.KEY, "sk-second");
      // The cooling key is skipped by later requests too.
      for (int i = 0; i < 3; i++) assertServed(chat(gw, "m", false), "a", 1);
      assertThat(a.keysUsed().subList(2, 5)).containsOnly("sk-second");
      JsonNode health = json(get(gw, "/v1/providers/a/health", TestGateway.MASTER_KEY));
      assertThat(health.path("status").asText()).isEqualTo("degraded");
      assertThat(health.path("keys").get(0).path("state").asText()).isEqualTo("cooling");
      assertThat(health.path("keys").get(0).path("until").asText()).isNotEmpty();
      assertThat(health.path("keys").get(1).path("state").asText()).isEqualTo("active");
    }
  }

  @Test
  void revokedKeyIsSkippedAndShownRevoked() {
    // The mock accepts only the second key: the first gets OpenAI's 401.
    MockOpenAiServer strict = new MockOpenAiServer(vertx, "sk-good");
    try (strict; TestGateway gw = gateway(openai("a", strict.baseUrl(), List.of("sk-revoked", "sk-good"), "m").retries(0))) {
      HttpResponse<String> r = chat(gw, "m", false);
      assertServed(r, "a", 2);
      assertThat(strict.keysUsed()).containsExactly("sk-revoked", "sk-good");
      assertServed(chat(gw, "m", false), "a", 1);
      assertThat(strict.keysUsed()).containsExactly("sk-revoked", "sk-good", "sk-good");
      HttpResponse<String> h = get(gw, "/v1/providers/a/health", TestGateway.MASTER_KEY);
      assertThat(h.body()).doesNotContain("sk-revoked").doesNotContain("sk-good");
      JsonNode keys = json(h).path("keys");
      assertThat(keys.get(0).path("state").asText()).isEqualTo("revoked");
      assertThat(keys.get(1).path("state").asText()).isEqualTo("active");
    }
  }

  @Test
  void connectionRefusedMovesOnAfterRetries() {
    Providers dead = openai("dead", "http://127.0.0.1:" + closedPort() + "/v1", KEY, "m").retries(1);
    try (TestGateway gw = gateway(dead, fallback())) {
      HttpResponse<String> r = chat(gw, "m", false);
      assertServed(r, "b", 3);
    }
  }

  @Test
  void connectTimeoutMovesOn() throws Exception {
    // A listener whose accept queue is full drops new SYNs: connecting hangs until the timeout.
    List<Socket> filler = new ArrayList<>();
    try (ServerSocket blackhole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), blackhole.getLocalPort());
      for (int i = 0; i < 16; i++) {
        Socket s = new Socket();
        filler.add(s);
        try {
          s.connect(addr, 200);
        } catch (SocketTimeoutException full) {
          break;
        }
      }
      Providers hanging = openai("hanging", "http://127.0.0.1:" + blackhole.getLocalPort() + "/v1", KEY, "m").retries(0)
          .timeouts(600_000, 300, 120_000, 120_000);
      try (TestGateway gw = gateway(hanging, fallback())) {
        long t0 = System.nanoTime();
        HttpResponse<String> r = chat(gw, "m", false);
        assertServed(r, "b", 2);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("waited for the connect timeout").isGreaterThanOrEqualTo(250);
      }
    } finally {
      for (Socket s : filler) s.close();
    }
  }

  @Test
  void resetBeforeHeadersIsRetried() {
    a.enqueue(Reply.mode(Mode.RESET));
    try (TestGateway gw = gateway(primary(), fallback())) {
      HttpResponse<String> r = chat(gw, "m", true);
      assertServed(r, "a", 2);
      assertThat(r.body()).endsWith("data: [DONE]\n\n");
    }
  }

  @Test
  void resetMidStreamEndsTheStreamVisiblyWithoutRetry() {
    a.enqueue(Reply.mode(Mode.CUT_MID_STREAM));
    try (TestGateway gw = gateway(primary(), fallback())) {
      HttpResponse<String> r = chat(gw, "m", true);
      assertServed(r, "a", 1);
      assertThat(r.body()).contains("\"content\":\"one\"").contains("\"error\"").doesNotContain("[DONE]");
      assertThat(a.received).hasSize(1);
      assertThat(b.received).isEmpty();
    }
  }

  @Test
  void stalledStreamHitsTheIdleTimeoutAndTheUpstreamIsClosed() {
    a.enqueue(Reply.mode(Mode.STALL_MID_STREAM));
    try (TestGateway gw = gateway(primary().timeouts(600_000, 10_000, 10_000, 300), fallback())) {
      HttpResponse<String> r = chat(gw, "m", true);
      assertServed(r, "a", 1);
      assertThat(r.body()).contains("\"content\":\"one\"").contains("\"error\"").doesNotContain("[DONE]");
      await("the stalled upstream answer to be closed", () -> a.abortedAnswers.get() == 1);
      assertThat(b.received).isEmpty();
    }
  }

  @Test
  void slowFirstByteTimesOutAndIsRetried() {
    a.enqueue(Reply.text("late").delayed(5_000));
    try (TestGateway gw = gateway(primary().timeouts(600_000, 10_000, 300, 10_000), fallback())) {
      HttpResponse<String> r = chat(gw, "m", false);
      assertServed(r, "a", 2);
      assertThat(json(r).path("choices").get(0).path("message").path("content").asText()).isEqualTo("Hello from mock");
      await("the timed-out attempt to be closed", () -> a.abortedAnswers.get() == 1);
    }
  }

  @Test
  void firstByteTimeoutOnEveryTryIs504() {
    a.answerAllWith(Reply.text("late").delayed(5_000));
    try (TestGateway gw = gateway(primary().timeouts(600_000, 10_000, 200, 10_000))) {
      HttpResponse<String> r = chat(gw, "m", false);
      assertThat(r.statusCode()).isEqualTo(504);
      assertThat(header(r, "x-junction-attempts")).isEqualTo("2");
      assertThat(json(r).path("error").path("message").asText()).contains("timed out");
    }
  }

  @Test
  void totalTimeoutCutsASlowAnswer() {
    a.answerAllWith(Reply.text("late").delayed(5_000));
    try (TestGateway gw = gateway(primary().retries(0).timeouts(300, 10_000, 0, 0))) {
      HttpResponse<String> r = chat(gw, "m", false);
      assertThat(r.statusCode()).isEqualTo(504);
      assertThat(header(r, "x-junction-attempts")).isEqualTo("1");
      await("the cut attempt to be closed", () -> a.abortedAnswers.get() == 1);
    }
  }

  @Test
  void garbageBodyIs502AfterRetries() {
    a.answerAllWith(Reply.mode(Mode.GARBAGE));
    try (TestGateway gw = gateway(primary())) {
      HttpResponse<String> r = chat(gw, "m", false);
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(header(r, "x-junction-attempts")).isEqualTo("2");
      assertThat(json(r).path("error").path("message").asText()).isNotEmpty();
    }
  }

  @Test
  void clientDisconnectCancelsAStreamingUpstreamAtOnce() throws Exception {
    a.enqueue(Reply.mode(Mode.SLOW_STREAM));
    try (TestGateway gw = gateway(primary())) {
      Socket s = GatewayHttp.rawChat(gw, "m", true, true);
      s.close();
      await("the upstream stream to be closed", () -> a.abortedAnswers.get() == 1);
      assertThat(a.received).hasSize(1);
    }
  }

  @Test
  void clientDisconnectCancelsAWaitingUpstreamAtOnce() throws Exception {
    a.enqueue(Reply.text("late").delayed(30_000));
    try (TestGateway gw = gateway(primary())) {
      Socket s = GatewayHttp.rawChat(gw, "m", false, false);
      await("the upstream to get the request", () -> a.received.size() == 1);
      s.close();
      await("the upstream request to be closed", () -> a.abortedAnswers.get() == 1);
      assertThat(a.received).hasSize(1);
    }
  }

  @Test
  void clientHangUpsAreNotProviderFailures() throws Exception {
    Providers touchy = primary().retries(0).option(HealthRegistry.BREAKER_FAILURES, "2");
    try (TestGateway gw = gateway(touchy)) {
      for (int i = 1; i <= 3; i++) {
        boolean streaming = i % 2 == 1;
        a.enqueue(streaming ? Reply.mode(Mode.SLOW_STREAM) : Reply.text("late").delayed(30_000));
        Socket s = GatewayHttp.rawChat(gw, "m", streaming, streaming);
        int expected = i;
        await("the upstream to get request " + i, () -> a.received.size() == expected);
        s.close();
        await("upstream request " + i + " to be closed", () -> a.abortedAnswers.get() == expected);
      }
      // Three hang-ups (streamed and not) on a breaker that opens after two failures: still closed.
      assertServed(chat(gw, "m", false), "a", 1);
      JsonNode health = json(get(gw, "/api/v1/health", TestGateway.MASTER_KEY));
      assertThat(health.path("status").asText()).isEqualTo("healthy");
    }
  }

  @Test
  void openBreakerFailsFastThenLetsAProbeThrough() throws Exception {
    Providers flaky = primary().retries(0).option(HealthRegistry.BREAKER_FAILURES, "3").option(HealthRegistry.BREAKER_COOLDOWN_MS, "500");
    a.enqueue(Reply.error(500, "1"), Reply.error(500, "2"), Reply.error(500, "3"));
    try (TestGateway gw = gateway(flaky)) {
      for (int i = 0; i < 3; i++) assertThat(chat(gw, "m", false).statusCode()).isEqualTo(500);
      HttpResponse<String> open = chat(gw, "m", false);
      assertThat(open.statusCode()).isEqualTo(503);
      assertThat(json(open).path("error").path("code").asText()).isEqualTo("provider_unavailable");
      assertThat(header(open, "retry-after")).isEqualTo("1");
      assertThat(header(open, "x-junction-attempts")).isEqualTo("0");
      assertThat(a.received).hasSize(3);
      JsonNode health = json(get(gw, "/api/v1/health", TestGateway.MASTER_KEY));
      assertThat(health.path("providers").get(0).path("breakers").get(0).path("state").asText()).isEqualTo("open");
      assertThat(health.path("status").asText()).isEqualTo("unhealthy");
      Thread.sleep(600); // the breaker's cooldown
      assertServed(chat(gw, "m", false), "a", 1);
      assertThat(json(get(gw, "/api/v1/health", TestGateway.MASTER_KEY)).path("status").asText()).isEqualTo("healthy");
    }
  }

  @Test
  void healthRoutesNeedTheMasterKey() {
    try (TestGateway gw = gateway(primary())) {
      assertThat(get(gw, "/api/v1/health", null).statusCode()).isEqualTo(401);
      assertThat(get(gw, "/providers/health", "wrong").statusCode()).isEqualTo(401);
      HttpResponse<String> all = get(gw, "/providers/health", TestGateway.MASTER_KEY);
      assertThat(all.statusCode()).isEqualTo(200);
      JsonNode p = json(all).path("providers").get(0);
      assertThat(p.path("name").asText()).isEqualTo("a");
      assertThat(p.path("status").asText()).isEqualTo("healthy");
      assertThat(p.path("keys").get(0).path("index").asInt()).isZero();
      assertThat(p.has("last_probe")).isTrue();
      HttpResponse<String> missing = get(gw, "/v1/providers/nope/health", TestGateway.MASTER_KEY);
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(json(missing).path("error").path("code").asText()).isEqualTo("provider_not_found");
    }
  }

  @Test
  void failingProbeTakesTheProviderOutOfRotation() {
    Providers dead = openai("dead", "http://127.0.0.1:" + closedPort() + "/v1", KEY, "m").option(HealthProber.INTERVAL_OPTION, "100");
    Providers live = fallback().option(HealthProber.INTERVAL_OPTION, "100");
    try (TestGateway gw = gateway(dead, live)) {
      await("a failed probe", () -> !json(get(gw, "/v1/providers/dead/health", TestGateway.MASTER_KEY)).path("last_probe").isNull());
      JsonNode h = json(get(gw, "/v1/providers/dead/health", TestGateway.MASTER_KEY));
      assertThat(h.path("status").asText()).isEqualTo("unhealthy");
      assertThat(h.path("last_probe").path("ok").asBoolean()).isFalse();
      assertServed(chat(gw, "m", false), "b", 1);
      await("a good probe of the live one", () -> json(get(gw, "/v1/providers/b/health", TestGateway.MASTER_KEY))
          .path("last_probe").path("ok").asBoolean());
      assertThat(b.received.stream().map(MockOpenAiServer.Received::path)).contains("/v1/models");
    }
  }
}
