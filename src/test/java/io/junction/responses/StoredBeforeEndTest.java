package io.junction.responses;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.config.GatewayConfig;
import io.junction.config.ProviderConfig;
import io.junction.protocol.Json;
import io.junction.protocol.responses.ResponsesEvents;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.Part;
import io.junction.protocol.Usage;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.junction.testing.MockResponsesServer;
import io.junction.testing.MockUpstreamBase;
import io.junction.testing.TestDatabases;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A stored response is written before its terminal event goes out, so a client that continues
 * the conversation the moment it has {@code response.completed} always finds it. The test holds a
 * lock on the responses table and, once PostgreSQL shows the gateway's insert waiting on it, checks
 * that the client has no terminal event and no end of stream yet; translated and relayed streams alike.
 */
class StoredBeforeEndTest {
  static Vertx vertx;
  static HttpServer upstream;
  static TestGateway gateway;
  static String baseUrl;
  static String schemaUrl;
  static final String[] SCHEMA = new String[1];
  static List<String> LINES;

  @BeforeAll
  static void start() throws Exception {
    baseUrl = TestDatabases.postgresBaseUrl();
    schemaUrl = TestDatabases.newPostgresSchema(baseUrl, SCHEMA);
    vertx = Vertx.vertx();
    upstream = MockUpstreamBase.await(vertx.createHttpServer().requestHandler(StoredBeforeEndTest::answer).listen(0, "127.0.0.1"));
    String url = "http://127.0.0.1:" + upstream.actualPort() + "/v1";
    ProviderConfig c = ProviderConfig.simple("chat", "openai", url, List.of("k"), List.of("gpt-4o"));
    ProviderConfig chatOnly = new ProviderConfig(c.name(), c.type(), null, c.baseUrl(), c.apiKeys(), c.dispatch(), 1, c.models(),
        c.timeoutMs(), c.connectTimeoutMs(), c.firstByteTimeoutMs(), c.idleTimeoutMs(), 0, Map.of(), true, Map.of("responses_api", "false"));
    GatewayConfig config = GatewayConfig.defaults().withProviders(List.of(chatOnly,
            ProviderConfig.simple("oai", "openai", url, List.of("k"), List.of("gpt-5"))))
        .withMasterKey(TestGateway.MASTER_KEY).withStorageUrl(schemaUrl);
    gateway = new TestGateway(config.withServer(new GatewayConfig.Server("127.0.0.1", 0, config.server().maxBodyBytes(), 1000)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) gateway.close();
    if (upstream != null) MockUpstreamBase.await(upstream.close());
    if (vertx != null) MockUpstreamBase.await(vertx.close());
    if (SCHEMA[0] != null) TestDatabases.dropPostgresSchema(baseUrl, SCHEMA[0]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt-4o", "gpt-5"})
  void terminalEventWaitsForTheStore(String model) throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    LINES = lines;
    CompletableFuture<Void> done;
    try (Connection lock = DriverManager.getConnection(schemaUrl)) {
      lock.setAutoCommit(false);
      try (Statement s = lock.createStatement()) {
        s.execute("LOCK TABLE responses IN ACCESS EXCLUSIVE MODE");
      }
      HttpRequest req = HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/responses"))
          .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(Json.text(Json.object().put("model", model).put("input", "hi").put("stream", true))))
          .build();
      done = HttpClient.newHttpClient().sendAsync(req, HttpResponse.BodyHandlers.ofLines())
          .thenAccept(r -> r.body().forEach(lines::add));
      awaitInsertWaitingOnLock();
      assertThat(lines).as("the terminal event waits for the store").noneMatch(l -> l.contains("response.completed"));
      assertThat(done).isNotDone();
      lock.commit();
    }
    done.get();
    String sse = String.join("\n", lines) + "\n";
    String id = ResponsesEvents.checkComplete(sse).path("id").asText();
    HttpResponse<String> got = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/responses/" + id))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(got.statusCode()).isEqualTo(200);
  }

  /**
   * An upstream that sends its whole stream, terminal event included, and closes it a moment
   * later, as real ones may: the terminal event reaches the gateway well before the stream's end.
   */
  private static void answer(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      String sse;
      if (req.path().endsWith("/chat/completions")) {
        String chunk = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[%s]%s}\n\n";
        sse = chunk.formatted("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Stored first.\"},\"finish_reason\":null}", "")
            + chunk.formatted("{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}", "")
            + chunk.formatted("", ",\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":8}") + "data: [DONE]\n\n";
      } else {
        ChatResponse r = new ChatResponse();
        r.content.add(new Part.Text("Stored first."));
        r.usage = new Usage(5, 3);
        sse = MockResponsesServer.events(r, Json.object().put("model", "gpt-5"));
      }
      req.response().setChunked(true).putHeader("content-type", "text/event-stream").write(sse);
      vertx.setTimer(300, id -> req.response().end());
    });
  }

  /**
   * Polls pg_stat_activity (from a connection of its own: a transaction sees one snapshot of it)
   * until the gateway's insert into responses waits for the lock.
   */
  private static void awaitInsertWaitingOnLock() throws Exception {
    try (Connection c = DriverManager.getConnection(schemaUrl); Statement s = c.createStatement()) {
      while (true) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE "
            + "wait_event_type = 'Lock' AND query LIKE 'INSERT INTO responses%'")) {
          rs.next();
          if (rs.getLong(1) > 0) return;
        }
        Thread.sleep(5);
      }
    }
  }
}
