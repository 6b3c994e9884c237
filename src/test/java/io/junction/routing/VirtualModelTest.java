package io.junction.routing;

import static io.junction.routing.GatewayHarness.chat;
import static io.junction.routing.GatewayHarness.gateway;
import static io.junction.routing.GatewayHarness.header;
import static io.junction.routing.GatewayHarness.post;
import static io.junction.routing.Providers.openai;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.config.VirtualModelConfig;
import io.junction.config.VirtualModelConfig.Target;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.MockOpenAiServer.Reply;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Virtual models end to end: targets' own model names upstream, sticky users, failover off the home target. */
class VirtualModelTest {
  static Vertx vertx;
  static MockOpenAiServer a;
  static MockOpenAiServer b;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    a = new MockOpenAiServer(vertx);
    b = new MockOpenAiServer(vertx);
    List<String> key = List.of(MockOpenAiServer.KEY);
    gw = gateway(1_000, List.of(
            new VirtualModelConfig("smart", "weighted", List.of(new Target("a", "model-a", 1), new Target("b", "model-b", 1)), "user"),
            new VirtualModelConfig("rr", "round_robin", List.of(new Target("a", "model-a", 1), new Target("b", "model-b", 1)), null)),
        openai("a", a.baseUrl(), key).retries(0), openai("b", b.baseUrl(), key).retries(0));
  }

  @AfterAll
  static void stop() {
    gw.close();
    a.close();
    b.close();
    vertx.close();
  }

  private static Map<String, MockOpenAiServer> mocks() { return Map.of("a", a, "b", b); }

  @Test
  void roundRobinAlternatesAndSendsEachTargetsModel() {
    Set<String> seen = new HashSet<>();
    String previous = null;
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> r = chat(gw, "rr", false);
      String provider = header(r, "x-junction-provider");
      assertThat(provider).isNotEqualTo(previous);
      assertThat(mocks().get(provider).last().body().path("model").asText()).isEqualTo("model-" + provider);
      seen.add(provider);
      previous = provider;
    }
    assertThat(seen).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void stickyUserStaysHomeAndFailsOverOnlyOnFailure() {
    String home = header(chat(gw, "smart", false, "x-junction-user", "alice"), "x-junction-provider");
    for (int i = 0; i < 10; i++) {
      assertThat(header(chat(gw, "smart", false, "x-junction-user", "alice"), "x-junction-provider")).isEqualTo(home);
    }
    // The body's user field is the same user.
    String body = "{\"model\":\"smart\",\"user\":\"alice\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    assertThat(header(post(gw, "/v1/chat/completions", body), "x-junction-provider")).isEqualTo(home);

    mocks().get(home).enqueue(Reply.error(500, "home is down"));
    HttpResponse<String> failedOver = chat(gw, "smart", false, "x-junction-user", "alice");
    assertThat(failedOver.statusCode()).isEqualTo(200);
    assertThat(header(failedOver, "x-junction-provider")).isNotEqualTo(home);
    assertThat(header(failedOver, "x-junction-attempts")).isEqualTo("2");
    assertThat(header(chat(gw, "smart", false, "x-junction-user", "alice"), "x-junction-provider")).isEqualTo(home);

    Set<String> homes = new HashSet<>();
    for (int u = 0; u < 40; u++) homes.add(header(chat(gw, "smart", false, "x-junction-user", "user-" + u), "x-junction-provider"));
    assertThat(homes).containsExactlyInAnyOrder("a", "b");
  }
}
