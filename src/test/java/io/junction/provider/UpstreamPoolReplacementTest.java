package io.junction.provider;

import static io.junction.testing.GatewayHttp.await;
import static io.junction.testing.GatewayHttp.chatBody;
import static io.junction.testing.GatewayHttp.master;
import static io.junction.testing.GatewayHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.config.DispatchMode;
import io.junction.config.ProviderConfig;
import io.junction.testing.GatewayHttp;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A provider re-PUT with another {@code max_connections}, or deleted, through the management API:
 * its old upstream connection pool is closed (its keep-alive connections with it), and a call in
 * flight on that pool still gets its whole answer.
 */
class UpstreamPoolReplacementTest {
  static final String ANSWER = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";
  static final String FIRST_CHUNK = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"hel\"},\"finish_reason\":null}]}\n\n";
  static final String REST = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";

  Vertx vertx;
  HttpServer upstream;
  /** Connections the gateway has open to the upstream now. */
  final AtomicInteger open = new AtomicInteger();
  volatile Consumer<HttpServerResponse> answer = r -> r.putHeader("content-type", "application/json").end(ANSWER);
  TestGateway gateway;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    upstream = MockOpenAiServer.await(vertx.createHttpServer()
        .connectionHandler(c -> {
          open.incrementAndGet();
          c.closeHandler(v -> open.decrementAndGet());
        })
        .requestHandler(req -> req.body().onSuccess(b -> answer.accept(req.response())))
        .listen(0, "127.0.0.1"));
    gateway = TestGateway.withProviders(new ProviderConfig("up", "openai", null, baseUrl(), List.of("sk-up"), DispatchMode.POOLED, 1,
        List.of("m"), ProviderConfig.DEFAULT_TIMEOUT_MS, ProviderConfig.DEFAULT_CONNECT_TIMEOUT_MS,
        ProviderConfig.DEFAULT_FIRST_BYTE_TIMEOUT_MS, ProviderConfig.DEFAULT_IDLE_TIMEOUT_MS, 0, Map.of(), true,
        Map.of("max_connections", "2")));
  }

  @AfterEach
  void stop() {
    gateway.close();
    MockOpenAiServer.await(upstream.close());
    MockOpenAiServer.await(vertx.close());
  }

  String baseUrl() { return "http://127.0.0.1:" + upstream.actualPort() + "/v1"; }

  HttpResponse<String> putProvider(String name, int maxConnections) {
    return GatewayHttp.send(gateway, "PUT", "/api/v1/config/providers/" + name, "{\"type\":\"openai\",\"base_url\":\"" + baseUrl()
        + "\",\"api_keys\":[\"sk-up\"],\"models\":[\"m\"],\"max_connections\":" + maxConnections + "}", master());
  }

  void chatOk(String model) {
    HttpResponse<String> r = post(gateway, "/v1/chat/completions", chatBody(model), master());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void aRePutWithAnotherPoolSizeClosesTheOldPool() {
    chatOk("m");
    await("the keep-alive connection of the first call", () -> open.get() == 1);

    HttpResponse<String> put = putProvider("up", 4);
    assertThat(put.statusCode()).as(put.body()).isBetween(200, 201);
    await("the old pool's idle connection to close", () -> open.get() == 0);

    chatOk("m");
    assertThat(open.get()).as("the new pool's one connection").isEqualTo(1);
    // The same size again: the pool stays.
    putProvider("up", 4);
    chatOk("m");
    assertThat(open.get()).isEqualTo(1);
  }

  @Test
  void aStreamInFlightOnTheOldPoolGetsItsWholeAnswer() throws Exception {
    List<HttpServerResponse> held = new CopyOnWriteArrayList<>();
    answer = r -> {
      r.putHeader("content-type", "text/event-stream").setChunked(true).write(FIRST_CHUNK);
      held.add(r);
    };
    CompletableFuture<HttpResponse<String>> stream = GatewayHttp.HTTP.sendAsync(HttpRequest.newBuilder(
            URI.create(gateway.url() + "/v1/chat/completions")).header(master()[0], master()[1]).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(chatBody("m", true))).build(), HttpResponse.BodyHandlers.ofString());
    await("the stream to be under way", () -> held.size() == 1);

    assertThat(putProvider("up", 4).statusCode()).isBetween(200, 201);
    Thread.sleep(200);
    assertThat(open.get()).as("the busy connection stays until its answer is in").isEqualTo(1);
    held.get(0).end(REST);

    HttpResponse<String> r = stream.get(20, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"hel\"").contains("\"lo\"").endsWith("data: [DONE]\n\n");
    await("the old pool's connection to close once the stream is over", () -> open.get() == 0);
  }

  @Test
  void aDeletedProvidersPoolIsClosed() {
    assertThat(putProvider("extra", 3).statusCode()).isEqualTo(201);
    chatOk("extra/m");
    await("the extra provider's connection", () -> open.get() == 1);
    HttpResponse<String> deleted = GatewayHttp.send(HttpRequest.newBuilder(
        URI.create(gateway.url() + "/api/v1/config/providers/extra")).header(master()[0], master()[1]).DELETE().build());
    assertThat(deleted.statusCode()).as(deleted.body()).isBetween(200, 204);
    await("the deleted provider's connection to close", () -> open.get() == 0);
  }
}
