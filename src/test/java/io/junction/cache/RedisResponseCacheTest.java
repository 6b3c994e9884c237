package io.junction.cache;

import static io.junction.cache.CacheHttp.ask;
import static io.junction.cache.CacheHttp.chat;
import static io.junction.cache.CacheHttp.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.testing.MockOpenAiServer;
import io.junction.testing.TestGateway;
import io.junction.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache in Redis: shared by every instance, expired by Redis itself, and a miss (never a
 * failed request) while Redis is unreachable. The shared-Redis test needs JUNCTION_TEST_REDIS_URL
 * and is skipped with that reason without it; the outage test needs no Redis at all.
 */
class RedisResponseCacheTest {
  /** A database of its own on the shared Redis, so other suites' keys and these never meet. */
  static final int DB = 13;
  static final int TTL_SECONDS = 600;

  Vertx vertx;
  MockOpenAiServer upstream;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    upstream = new MockOpenAiServer(vertx);
  }

  @AfterEach
  void stop() {
    upstream.close();
    MockOpenAiServer.await(vertx.close());
  }

  private TestGateway gateway(String redisUrl) {
    return CacheHttp.gateway("""
        redis: {url: "%s"}
        cache: {ttl_seconds: %d}
        providers:
          - {name: openai, type: openai, base_url: "%s", api_keys: [%s], models: [gpt-4o]}
        """.formatted(redisUrl, TTL_SECONDS, upstream.baseUrl(), MockOpenAiServer.KEY));
  }

  private long upstreamCalls() { return upstream.received.stream().filter(r -> r.path().endsWith("/chat/completions")).count(); }

  @Test
  void twoInstancesShareOneCacheAndRedisExpiresIt() {
    String url = TestRedis.sharedUrl(DB);
    String body = chat("shared " + UUID.randomUUID(), true);
    try (TestGateway a = gateway(url); TestGateway b = gateway(url)) {
      HttpResponse<byte[]> miss = ask(a, body);
      HttpResponse<byte[]> hit = ask(b, body);
      assertThat(header(miss, "x-junction-cache")).isEqualTo("miss");
      assertThat(header(hit, "x-junction-cache")).as("the other instance stored it").isEqualTo("hit");
      assertThat(hit.body()).isEqualTo(miss.body());
      assertThat(header(hit, "content-type")).startsWith("text/event-stream");
      assertThat(upstreamCalls()).isEqualTo(1);
      assertThat(header(ask(a, body), "x-junction-cache")).isEqualTo("hit");
    }
    // Every entry carries Redis's own expiry, at most the configured TTL.
    Redis redis = Redis.createClient(vertx, url);
    try {
      Response keys = MockOpenAiServer.await(redis.send(Request.cmd(Command.KEYS).arg(RedisCache.PREFIX + "*")));
      assertThat(keys.size()).isPositive();
      for (Response key : keys) {
        long pttl = MockOpenAiServer.await(redis.send(Request.cmd(Command.PTTL).arg(key.toString()))).toLong();
        assertThat(pttl).as(key.toString()).isBetween(1L, TTL_SECONDS * 1000L);
      }
    } finally {
      redis.close();
    }
  }

  @Test
  void withRedisUnreachableEveryCallIsAServedMiss() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // nothing listens once it is closed: connections are refused
    }
    String body = chat("outage " + UUID.randomUUID(), false);
    try (TestGateway gw = gateway("redis://127.0.0.1:" + closed)) {
      double errorsBefore = CacheHttp.metric(gw, "junction_redis_errors_total");
      for (int i = 0; i < 2; i++) {
        HttpResponse<byte[]> r = ask(gw, body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "x-junction-cache")).isEqualTo("miss");
      }
      assertThat(upstreamCalls()).isEqualTo(2);
      assertThat(CacheHttp.metric(gw, "junction_redis_errors_total")).isGreaterThan(errorsBefore);
      assertThat(CacheHttp.metric(gw, "junction_cache_requests_total{result=\"miss\"}")).isEqualTo(2);
    }
  }
}
