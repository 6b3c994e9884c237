package io.junction.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.config.ProviderConfig;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.MockOpenAiServer.Reply;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An upstream that goes quiet mid-body is cut off after the provider's idle timeout. */
class UpstreamIdleTimeoutTest {
  static Vertx vertx;
  static MockOpenAiServer upstream;
  static TestGateway gateway;
  static HttpClient http;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = new MockOpenAiServer(vertx);
    ProviderConfig p = ProviderConfig.simple("openai", "openai", upstream.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o"));
    p = new ProviderConfig(p.name(), p.type(), p.preset(), p.baseUrl(), p.apiKeys(), p.dispatch(), p.weight(), p.models(),
        p.timeoutMs(), p.connectTimeoutMs(), p.firstByteTimeoutMs(), 300, 0, p.headers(), true, p.options());
    gateway = TestGateway.withProviders(p);
    http = vertx.createHttpClient();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    vertx.close();
  }

  @Test
  void stalledStreamEndsWithAnErrorEventAfterTheIdleTimeout() {
    upstream.enqueue(Reply.mode(Reply.Mode.STALL_MID_STREAM));
    String body = await(post("{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
        .compose(HttpClientResponse::body)).toString();
    assertThat(body).startsWith("data: {").contains("\"role\":\"assistant\"")
        .contains("\"error\"").contains("no data from upstream for 300 ms").doesNotContain("[DONE]");
  }

  @Test
  void streamsThatKeepFlowingAreNotCutOff() {
    String body = await(post("{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
        .compose(HttpClientResponse::body)).toString();
    assertThat(body).contains("Hello").endsWith("data: [DONE]\n\n").doesNotContain("\"error\"");
  }

  /** Waits for the body; the bound only guards against a hang (the bug this test is about). */
  private static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static io.vertx.core.Future<HttpClientResponse> post(String json) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(gateway.url() + "/v1/chat/completions")
        .putHeader("authorization", "Bearer " + TestGateway.MASTER_KEY).putHeader("content-type", "application/json");
    return http.request(o).compose(req -> req.send(Buffer.buffer(json)));
  }
}
