package io.junction.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.Json;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.TestRedis;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONTRACT §9 with real processes: three gateways on one PostgreSQL (a database of the test's
 * own) and one Redis (a database number of its own), a mock OpenAI upstream, and load spread over
 * the three. Skipped, with the reason, without JUNCTION_TEST_PG_URL or JUNCTION_TEST_REDIS_URL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleOutTest {
  private static final Logger LOG = LoggerFactory.getLogger(ScaleOutTest.class);
  static final int REDIS_DB = 12;
  /** The contract's bound for a change made on one instance to reach the others. */
  static final long PROPAGATION_BOUND_MS = 2_000;

  @TempDir static Path dir;
  Vertx vertx;
  MockOpenAiServer upstream;
  String[] database = new String[1];
  String jdbcUrl;
  Instances gateways;

  @BeforeAll
  @Timeout(600) // three JVMs starting on a loaded machine, beyond the suite's default 120 s
  void start() throws Exception {
    String redisUrl = TestRedis.sharedUrl(REDIS_DB);
    jdbcUrl = Instances.createDatabase(database);
    vertx = Vertx.vertx();
    upstream = new MockOpenAiServer(vertx);
    gateways = Instances.start(3, dir, """
        auth:
          master_key: %s
        storage:
          url: "%s"
        redis:
          url: %s
        providers:
          - name: openai
            type: openai
            base_url: %s
            api_keys: [%s]
            models: [gpt-4o]
        """.formatted(Instances.MASTER, jdbcUrl, redisUrl, upstream.baseUrl(), MockOpenAiServer.KEY));
    // Fresh JVMs on a shared 2-core machine can be slow enough for a Redis call to time out and fall
    // back to local limits; a few calls through the limiter on each instance warm them up first.
    String warm = key(0, "{\"name\":\"warm-up\",\"rpm\":1000,\"tpm\":1000000,\"budget_usd\":100}");
    assertThat(spread(warm, 60, 6)).containsOnlyKeys(200);
  }

  @AfterAll
  void stop() throws Exception {
    try {
      for (int i = 0; gateways != null && i < gateways.size(); i++) {
        int instance = i;
        gateways.output(i).lines().filter(l -> l.contains("WARN") || l.contains("ERROR"))
            .forEach(l -> LOG.info("instance {}: {}", instance, l));
      }
      if (gateways != null) gateways.close();
      if (upstream != null) upstream.close();
      if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().join();
    } finally {
      Instances.dropDatabase(database[0]);
    }
  }

  /** Creates a key through instance {@code on} and waits until every instance accepts it; returns its secret. */
  String key(int on, String spec) {
    HttpResponse<String> r = gateways.call(on, "POST", "/api/v1/keys", Instances.MASTER, spec);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String secret = json(r).path("key").asText();
    for (int i = 0; i < gateways.size(); i++) {
      int instance = i;
      awaitWithin(PROPAGATION_BOUND_MS, "key on instance " + i,
          () -> gateways.call(instance, "GET", "/v1/models", secret, null).statusCode() == 200);
    }
    return secret;
  }

  @Test
  void requestsPerMinuteAreExactAcrossInstances() throws Exception {
    String secret = key(0, "{\"name\":\"rpm\",\"rpm\":12}");
    Map<Integer, Integer> statuses = spread(secret, 36, 6);
    assertThat(statuses).containsOnlyKeys(200, 429).containsEntry(200, 12).containsEntry(429, 24);
  }

  @Test
  void tokensPerMinuteAreExactAcrossInstances() throws Exception {
    // Each call of the mock uses 17 tokens: 0, 17, 34 are under 50 when admitted; then 51 is not.
    String secret = key(1, "{\"name\":\"tpm\",\"tpm\":50}");
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 9; i++) statuses.add(gateways.chatAsync(i % 3, secret, null).join().statusCode());
    assertThat(statuses).containsExactly(200, 200, 200, 429, 429, 429, 429, 429, 429);
  }

  @Test
  void aBudgetIsNeverExceededByMoreThanTheCallsInFlight() throws Exception {
    // gpt-4o, 12 in (2 cached) + 5 out per call: $0.0000775. A $0.0004 budget fits 5 calls and a bit.
    String secret = key(2, "{\"name\":\"budget\",\"budget_usd\":0.0004}");
    String keyId = keyId(secret);
    int concurrency = 6;
    Map<Integer, Integer> statuses = spread(secret, 60, concurrency);
    assertThat(statuses).containsOnlyKeys(200, 403);
    double perCall = 0.0000775;
    double spent = awaitSpend(keyId, statuses.get(200));
    assertThat(spent).isLessThanOrEqualTo(0.0004 + concurrency * perCall + 1e-12);
    assertThat(statuses.get(200)).isGreaterThanOrEqualTo(5);
    LOG.info("budget $0.0004: {} calls admitted, ${} spent", statuses.get(200), spent);
  }

  @Test
  void providerAndKeyChangesReachEveryInstanceWithinTwoSeconds() throws Exception {
    String provider = "{\"type\":\"openai\",\"base_url\":\"" + upstream.baseUrl() + "\",\"api_keys\":[\"" + MockOpenAiServer.KEY
        + "\"],\"models\":[\"extra-model\"]}";
    HttpResponse<String> put = gateways.call(0, "PUT", "/api/v1/config/providers/extra", Instances.MASTER, provider);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    for (int i = 1; i < 3; i++) {
      int instance = i;
      long ms = awaitWithin(PROPAGATION_BOUND_MS, "provider on instance " + i,
          () -> gateways.call(instance, "GET", "/api/v1/providers/extra", Instances.MASTER, null).statusCode() == 200);
      LOG.info("provider PUT seen on instance {} after {} ms", i, ms);
    }
    assertThat(gateways.call(2, "POST", "/v1/chat/completions", Instances.MASTER, Instances.chatBody("extra-model")).statusCode())
        .isEqualTo(200);

    assertThat(gateways.call(1, "DELETE", "/api/v1/config/providers/extra", Instances.MASTER, null).statusCode()).isEqualTo(200);
    for (int i : new int[] {0, 2}) {
      long ms = awaitWithin(PROPAGATION_BOUND_MS, "provider deleted on instance " + i,
          () -> gateways.call(i, "GET", "/api/v1/providers/extra", Instances.MASTER, null).statusCode() == 404);
      LOG.info("provider DELETE seen on instance {} after {} ms", i, ms);
    }

    String secret = key(1, "{\"name\":\"revoked-soon\"}"); // key() waits, within the bound, for every instance
    String keyId = keyId(secret);
    assertThat(gateways.call(2, "DELETE", "/api/v1/keys/" + keyId, Instances.MASTER, null).statusCode()).isEqualTo(200);
    for (int i : new int[] {0, 1}) {
      long ms = awaitWithin(PROPAGATION_BOUND_MS, "key revoked on instance " + i,
          () -> gateways.call(i, "GET", "/v1/models", secret, null).statusCode() == 401);
      LOG.info("key revocation seen on instance {} after {} ms", i, ms);
    }
  }

  @Test
  void everyInstanceLogsToTheOneDatabaseAndAnyAnswersForAll() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < 3; i++) {
      assertThat(gateways.chatAsync(i, Instances.MASTER, "log-" + run + "-" + i).join().statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < 3; i++) {
      int instance = i;
      awaitWithin(30_000, "all three rows via instance " + i, () -> {
        JsonNode logs = json(gateways.call(instance, "GET", "/api/v1/logs?limit=500", Instances.MASTER, null));
        int seen = 0;
        for (JsonNode row : logs.path("data")) if (row.path("request_id").asText().startsWith("log-" + run)) seen++;
        return seen == 3;
      });
    }
  }

  // ---- helpers ----

  /** Sends {@code requests} chats round-robin over the instances, at most {@code concurrency} at a time; counts by status. */
  Map<Integer, Integer> spread(String secret, int requests, int concurrency) {
    Map<Integer, Integer> counts = new TreeMap<>();
    List<CompletableFuture<HttpResponse<String>>> wave = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      wave.add(gateways.chatAsync(i % gateways.size(), secret, null));
      if (wave.size() == concurrency || i == requests - 1) {
        for (CompletableFuture<HttpResponse<String>> f : wave) counts.merge(f.join().statusCode(), 1, Integer::sum);
        wave.clear();
      }
    }
    return counts;
  }

  String keyId(String secret) {
    JsonNode keys = json(gateways.call(0, "GET", "/api/v1/keys", Instances.MASTER, null));
    // The secret is never listed: find the key by hashing it the way the store does.
    String hash = sha256(secret);
    try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM virtual_keys WHERE secret_hash = '" + hash + "'")) {
      assertThat(rs.next()).isTrue();
      String id = rs.getString(1);
      assertThat(keys.path("data").toString()).contains(id);
      return id;
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** The key's spend as logged by all instances, once {@code calls} rows are in. */
  double awaitSpend(String keyId, int calls) throws Exception {
    double[] spent = new double[1];
    awaitWithin(30_000, calls + " log rows of " + keyId, () -> {
      try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(cost_usd), 0) FROM request_logs WHERE key_id = '"
              + keyId + "' AND status = 200")) {
        rs.next();
        spent[0] = rs.getDouble(2);
        return rs.getInt(1) == calls;
      } catch (java.sql.SQLException e) {
        throw new AssertionError(e);
      }
    });
    return spent[0];
  }

  static String sha256(String s) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Polls {@code condition} until it holds, failing once {@code boundMs} have passed; returns the ms it took. */
  static long awaitWithin(long boundMs, String what, java.util.function.BooleanSupplier condition) {
    long start = System.nanoTime();
    while (true) {
      if (condition.getAsBoolean()) return (System.nanoTime() - start) / 1_000_000;
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(ms).as(what + " within " + boundMs + " ms").isLessThan(boundMs);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.parse(r.body());
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }
}
