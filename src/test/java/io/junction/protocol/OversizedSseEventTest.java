package io.junction.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.config.ProviderConfig;
import io.junction.testing.RawUpstream;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT §2: one SSE event over 8 MiB is a 502, through the gateway — relayed to a client of the
 * upstream's protocol (the tap) or translated for another (the stream decoder). The upstream here
 * streams a 9 MiB event with no line end, in 64 KiB writes.
 */
class OversizedSseEventTest {
  private static final HttpClient http = HttpClient.newHttpClient();
  private static Vertx vertx;
  private static RawUpstream upstream;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = new RawUpstream(vertx, (req, body) -> {
      var resp = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
      resp.write("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"");
      Buffer piece = Buffer.buffer("x".repeat(64 * 1024));
      for (int i = 0; i < 9 * 16; i++) resp.write(piece);
      resp.end("\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
    });
    gateway = TestGateway.withProviders(ProviderConfig.simple("big", "openai", upstream.url() + "/v1", List.of("k"), List.of("m")));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    vertx.close();
  }

  private static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(gateway.url() + path)).headers(headers).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void relayedToAnOpenAiClientItIsA502() throws Exception {
    HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "authorization", "Bearer " + TestGateway.MASTER_KEY);
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(Json.parse(r.body()).path("error").path("message").asText()).isEqualTo("Upstream sent a stream event over 8 MiB");
  }

  @Test
  void translatedForAnAnthropicClientItIsA502() throws Exception {
    HttpResponse<String> r = post("/v1/messages", "{\"model\":\"m\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "x-api-key", TestGateway.MASTER_KEY, "anthropic-version", "2023-06-01");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(Json.parse(r.body()).path("error").path("message").asText()).isEqualTo("Upstream sent a stream event over 8 MiB");
  }
}
