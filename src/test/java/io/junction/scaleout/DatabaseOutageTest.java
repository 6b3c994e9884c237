package io.junction.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.config.GatewayConfig;
import io.junction.config.ProviderConfig;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.TestDatabases;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CONTRACT §9: with the database unreachable requests keep being served — virtual keys from memory,
 * log rows waiting — and the rows are written when it returns. The outage is real: the test's own
 * database on the shared PostgreSQL stops accepting connections and has its connections terminated.
 */
class DatabaseOutageTest {

  @Test
  @Timeout(300) // a 22 s outage on a loaded machine runs past the suite's default 120 s
  void requestsAreServedThroughAnOutageAndTheirRowsWrittenAfter() throws Exception {
    String[] name = new String[1];
    String url = Instances.createDatabase(name);
    Vertx vertx = Vertx.vertx();
    MockOpenAiServer upstream = new MockOpenAiServer(vertx);
    GatewayConfig c = GatewayConfig.defaults().withMasterKey(TestGateway.MASTER_KEY).withStorageUrl(url)
        .withProviders(List.of(ProviderConfig.simple("openai", "openai", upstream.baseUrl(), List.of(MockOpenAiServer.KEY),
            List.of("gpt-4o"))));
    c = c.withServer(new GatewayConfig.Server("127.0.0.1", 0, c.server().maxBodyBytes(), 1000));
    try (TestGateway gw = new TestGateway(c)) {
      HttpResponse<String> created = send(gw, "POST", "/api/v1/keys", TestGateway.MASTER_KEY,
          "{\"name\":\"outage\",\"rpm\":100,\"budget_usd\":10}", null);
      assertThat(created.statusCode()).isEqualTo(201);
      String secret = ScaleOutTest.json(created).path("key").asText();
      assertThat(chat(gw, secret, "before").statusCode()).isEqualTo(200);

      setAvailable(name[0], false);
      try {
        assertThatThrownBy(() -> DriverManager.getConnection(url).close()).as("the database is really away")
            .isInstanceOf(SQLException.class);
        for (int i = 0; i < 5; i++) {
          HttpResponse<String> r = chat(gw, secret, "during-" + i);
          assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        // Longer than two of the pool's 10 s connection timeouts: the writer's inserts of these rows
        // fail (rather than wait out the outage inside the pool), so they must be held to survive.
        Thread.sleep(22_000);
      } finally {
        setAvailable(name[0], true);
      }
      ScaleOutTest.awaitWithin(60_000, "rows written after the outage", () -> rows(url, "during-") == 5);
    } finally {
      upstream.close();
      vertx.close().toCompletionStage().toCompletableFuture().join();
      Instances.dropDatabase(name[0]);
    }
  }

  static HttpResponse<String> chat(TestGateway gw, String key, String requestId) throws Exception {
    return send(gw, "POST", "/v1/chat/completions", key, Instances.chatBody("gpt-4o"), requestId);
  }

  static HttpResponse<String> send(TestGateway gw, String method, String path, String key, String body, String requestId)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url() + path)).timeout(Duration.ofSeconds(30))
        .header("authorization", "Bearer " + key).header("content-type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (requestId != null) b.header("x-request-id", requestId);
    return Instances.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Takes the database away (no new connections, existing ones terminated) or gives it back. */
  static void setAvailable(String database, boolean available) throws SQLException {
    try (Connection c = DriverManager.getConnection(TestDatabases.postgresBaseUrl()); Statement s = c.createStatement()) {
      s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS " + available);
      if (!available) {
        s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
      }
    }
  }

  static int rows(String url, String requestIdPrefix) {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM request_logs WHERE request_id LIKE '" + requestIdPrefix + "%'")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      return -1;
    }
  }
}
