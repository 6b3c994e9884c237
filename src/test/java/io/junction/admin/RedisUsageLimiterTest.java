package io.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.junction.admin.UsageLimiter.BudgetWindow;
import io.junction.admin.UsageLimiter.Check;
import io.junction.admin.UsageLimiter.Limit;
import io.junction.admin.UsageLimiter.Verdict;
import io.junction.protocol.GatewayException;
import io.junction.store.BudgetPeriod;
import io.junction.testing.TestRedis;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis limiter against a real Redis: two limiters stand for two gateway instances. The
 * outage tests start a redis-server of their own and kill it mid-test.
 */
class RedisUsageLimiterTest {
  /** Database number of these tests on the shared Redis. */
  static final int DB = 11;

  @TempDir Path dir;
  final Vertx vertx = Vertx.vertx();
  final List<AutoCloseable> open = new ArrayList<>();
  final String keyId = "vk_test_" + UUID.randomUUID().toString().substring(0, 8);

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open.reversed()) c.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  RedisUsageLimiter limiter(String url, boolean failClosed, PrometheusMeterRegistry registry) {
    RedisUsageLimiter l = new RedisUsageLimiter(vertx, url, new InMemoryUsageLimiter(Clock.systemUTC()), failClosed, registry);
    open.add(l);
    l.ready().toCompletionStage().toCompletableFuture().join();
    return l;
  }

  RedisUsageLimiter limiter(String url) {
    return limiter(url, false, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  static Verdict admit(UsageLimiter l, Check c) {
    try {
      return l.admit(c).toCompletionStage().toCompletableFuture().join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  Response redis(String url, Command cmd, String... args) {
    Redis client = Redis.createClient(vertx, url);
    try {
      Request r = Request.cmd(cmd);
      for (String a : args) r.arg(a);
      return client.send(r).toCompletionStage().toCompletableFuture().join();
    } finally {
      client.close();
    }
  }

  Check rpm(int n) { return new Check(keyId, n, null, List.of(), 0); }

  @Test
  void requestsPerMinuteAreExactAcrossInstances() {
    String url = TestRedis.sharedUrl(DB);
    RedisUsageLimiter a = limiter(url), b = limiter(url);
    int admitted = 0;
    List<Verdict> refused = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Verdict v = admit(i % 2 == 0 ? a : b, rpm(10));
      if (v.admitted()) admitted++;
      else refused.add(v);
    }
    assertThat(admitted).isEqualTo(10);
    assertThat(refused).hasSize(20).allSatisfy(v -> {
      assertThat(v.refused()).isEqualTo(Limit.RPM);
      assertThat(v.retryAfterSeconds()).isBetween(1L, 60L);
    });
    assertThat(a.degraded()).isFalse();
    assertThat(redis(url, Command.ZCARD, RedisUsageLimiter.key(keyId, "rpm")).toInteger()).isEqualTo(10);
  }

  @Test
  void tokensSettledOnOneInstanceLimitTheOther() {
    String url = TestRedis.sharedUrl(DB);
    RedisUsageLimiter a = limiter(url), b = limiter(url);
    Check tpm = new Check(keyId, null, 1_000L, List.of(), 0);
    a.settle(admit(a, tpm).ticket(), 999, 0);
    b.settle(admit(b, tpm).ticket(), 1, 0); // admitted at 999 < 1000; the settle is sent without waiting
    Verdict v;
    int tries = 0;
    do {
      v = admit(a, tpm); // the settle above may still be on its way: at most a few admissions slip in
    } while (v.admitted() && ++tries < 100);
    assertThat(v.refused()).isEqualTo(Limit.TPM);
    assertThat(v.retryAfterSeconds()).isBetween(1L, 60L);
  }

  @Test
  void budgetReservationsHoldAcrossInstancesAndEveryKeyExpires() {
    String url = TestRedis.sharedUrl(DB);
    RedisUsageLimiter a = limiter(url), b = limiter(url);
    long now = System.currentTimeMillis();
    BudgetWindow daily = new BudgetWindow(BudgetPeriod.DAILY, 1.0, BudgetPeriod.DAILY.startMs(now), BudgetPeriod.DAILY.endMs(now), 0.2);
    BudgetWindow total = new BudgetWindow(BudgetPeriod.TOTAL, 10.0, 0, Long.MAX_VALUE, 0);
    Check call = new Check(keyId, 100, 100_000L, List.of(total, daily), 0.25);
    // $0.20 already spent (the database's figure seeds the counter) + 0.25 per call in flight: 4 fit under $1.
    List<Verdict> inFlight = new ArrayList<>();
    for (int i = 0; i < 4; i++) inFlight.add(admit(i % 2 == 0 ? a : b, call));
    assertThat(inFlight).allSatisfy(v -> assertThat(v.admitted()).isTrue());
    Verdict over = admit(b, call);
    assertThat(over.refused()).isEqualTo(Limit.BUDGET);
    assertThat(over.budget().period()).isEqualTo(BudgetPeriod.DAILY);

    a.settle(inFlight.get(0).ticket(), 10, 0.05);
    a.settle(inFlight.get(1).ticket(), 0, 0);
    double spent = Double.parseDouble(redis(url, Command.GET, RedisUsageLimiter.spendKey(keyId, daily)).toString());
    assertThat(spent).isCloseTo(0.25, within(1e-9));
    assertThat(admit(b, call).admitted()).as("two reservations released").isTrue();

    List<String> keys = new ArrayList<>();
    redis(url, Command.KEYS, RedisUsageLimiter.PREFIX + "{" + keyId + "}:*").forEach(r -> keys.add(r.toString()));
    assertThat(keys).hasSizeGreaterThanOrEqualTo(4);
    for (String k : keys) assertThat(redis(url, Command.PTTL, k).toLong()).as(k).isPositive();
  }

  @Test
  void anOutageFallsBackToLocalLimitsWarnsOnceAndRecoversWithoutRestart() throws Exception {
    TestRedis own = TestRedis.start(dir);
    open.add(own);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RedisUsageLimiter l = limiter(own.url(), false, registry);

    long evalshaBefore = evalshaCalls(own.url());
    assertThat(admit(l, rpm(3)).admitted()).isTrue();
    assertThat(evalshaCalls(own.url()) - evalshaBefore).as("one round trip per check").isEqualTo(1);

    own.kill();
    List<Verdict> during = new ArrayList<>();
    for (int i = 0; i < 5; i++) during.add(admit(l, rpm(3)));
    assertThat(l.degraded()).isTrue();
    assertThat(during.stream().filter(Verdict::admitted).count()).as("this instance's own rpm of 3").isEqualTo(3);
    double errors = registry.get("junction_redis_errors").counter().count();
    assertThat(errors).isGreaterThanOrEqualTo(1);
    assertThat(registry.scrape()).contains("junction_redis_errors_total");

    own.up(); // a fresh, empty Redis: the scripts are gone too (NOSCRIPT, then EVAL)
    Verdict v;
    int tries = 0;
    do {
      Thread.sleep(100);
      v = admit(l, rpm(3));
    } while (l.degraded() && ++tries < 300);
    assertThat(l.degraded()).as("back on Redis").isFalse();
    assertThat(v.admitted()).isTrue();
    assertThat(redis(own.url(), Command.ZCARD, RedisUsageLimiter.key(keyId, "rpm")).toInteger()).isEqualTo(1);
  }

  @Test
  void failClosedAnswers503WhileRedisIsDown() throws Exception {
    TestRedis own = TestRedis.start(dir);
    open.add(own);
    RedisUsageLimiter l = limiter(own.url(), true, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    assertThat(admit(l, rpm(3)).admitted()).isTrue();
    own.kill();
    try {
      admit(l, rpm(3));
      throw new AssertionError("admitted with Redis down and fail_closed");
    } catch (GatewayException e) {
      assertThat(e.status).isEqualTo(503);
    }
  }

  private long evalshaCalls(String url) {
    String stats = redis(url, Command.INFO, "commandstats").toString();
    for (String line : stats.split("\r?\n")) {
      if (line.startsWith("cmdstat_evalsha:")) return Long.parseLong(line.replaceAll("^cmdstat_evalsha:calls=(\\d+),.*", "$1"));
    }
    return 0;
  }
}
