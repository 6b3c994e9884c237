package io.junction.hostile;

import static io.junction.testing.GatewayHttp.await;
import static io.junction.testing.GatewayHttp.chatBody;
import static io.junction.testing.GatewayHttp.get;
import static io.junction.testing.GatewayHttp.master;
import static io.junction.testing.GatewayHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.config.ProviderConfig;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.TestDatabases;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store failing under a running gateway: SQLite files truncated or deleted, PostgreSQL cut
 * off. Requests keep being served, nothing crashes, readiness says so, management calls fail at
 * once with 503, and the gateway recovers when the database does.
 */
class HostileStoreTest {
  static Vertx vertx;
  static MockOpenAiServer openai;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    openai = new MockOpenAiServer(vertx);
  }

  @AfterAll
  static void stop() {
    openai.close();
    vertx.close();
  }

  private TestGateway gateway(String storageUrl) {
    ProviderConfig p = Hostile.provider("openai", "openai", openai.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o"), Map.of());
    return TestGateway.start(c -> c.withStorageUrl(storageUrl), p);
  }

  private static double dropped(TestGateway gw) {
    return get(gw, "/metrics").body().lines().filter(l -> l.startsWith("junction_telemetry_dropped_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void truncatedSqliteFilesFailWritesNotTheProcess() throws Exception {
    try (TestGateway gw = gateway("jdbc:sqlite:" + dir.resolve("junction.db"))) {
      for (int i = 0; i < 20; i++) assertThat(post(gw, "/v1/chat/completions", chatBody("gpt-4o"), master()).statusCode()).isEqualTo(200);
      await("the first rows to be written", () -> get(gw, "/api/v1/logs?limit=50", master()).body().contains("gpt-4o"));
      // Every file SQLite has open, cut to nothing under it (a WAL index mapped in memory was a SIGBUS here).
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(0);
          }
        }
      }
      for (int i = 0; i < 50; i++) assertThat(post(gw, "/v1/chat/completions", chatBody("gpt-4o"), master()).statusCode()).isEqualTo(200);
      await("failed rows to be dropped and counted", () -> dropped(gw) > 0);
      assertThat(get(gw, "/health").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aDeletedSqliteFileIsNoticedAndManagementFailsFast() throws Exception {
    Path db = dir.resolve("junction.db");
    try (TestGateway gw = gateway("jdbc:sqlite:" + db)) {
      assertThat(get(gw, "/ready").statusCode()).isEqualTo(200);
      Files.delete(db);
      await("readiness to go down", () -> get(gw, "/ready").statusCode() == 503);
      assertThat(get(gw, "/ready").body()).contains("storage unavailable").contains("deleted");
      assertThat(post(gw, "/v1/chat/completions", chatBody("gpt-4o"), master()).statusCode()).isEqualTo(200);
      HttpResponse<String> logs = get(gw, "/api/v1/logs", master());
      assertThat(logs.statusCode()).as(logs.body()).isEqualTo(503);
      assertThat(logs.body()).contains("storage_unavailable");
      HttpResponse<String> key = post(gw, "/api/v1/keys", "{\"name\":\"lost\"}", master());
      assertThat(key.statusCode()).as(key.body()).isEqualTo(503);
    }
  }

  @Test
  void aPostgresOutageIsReportedAndRecoveredFrom() throws Exception {
    String base = TestDatabases.postgresBaseUrl();
    URI pg = URI.create(base.substring("jdbc:".length()));
    String[] schema = new String[1];
    String url = TestDatabases.newPostgresSchema(base, schema);
    try (TcpProxy proxy = new TcpProxy(pg.getHost(), pg.getPort() < 0 ? 5432 : pg.getPort())) {
      String viaProxy = url.replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/");
      try (TestGateway gw = gateway(viaProxy)) {
        assertThat(get(gw, "/api/v1/logs", master()).statusCode()).isEqualTo(200);
        proxy.cut();
        await("readiness to go down", () -> get(gw, "/ready").statusCode() == 503);
        HttpResponse<String> logs = get(gw, "/api/v1/logs", master());
        assertThat(logs.statusCode()).as(logs.body()).isEqualTo(503);
        assertThat(logs.body()).contains("storage_unavailable");
        for (int i = 0; i < 10; i++) assertThat(post(gw, "/v1/chat/completions", chatBody("gpt-4o"), master()).statusCode()).isEqualTo(200);
        proxy.restore();
        await("readiness to come back", () -> get(gw, "/ready").statusCode() == 200);
        // The rows served during the outage waited in the queue and are written now.
        await("rows from the outage to be written", () -> Hostile.json(get(gw, "/api/v1/logs?limit=50", master()).body())
            .path("data").size() >= 10);
      }
    } finally {
      TestDatabases.dropPostgresSchema(base, schema[0]);
    }
  }
}
