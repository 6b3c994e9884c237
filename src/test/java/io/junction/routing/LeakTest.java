package io.junction.routing;

import static io.junction.routing.GatewayHarness.gateway;
import static io.junction.routing.Providers.openai;
import static io.junction.testing.GatewayHttp.chatBody;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.config.DispatchMode;
import io.junction.testing.GatewayHttp;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.MockOpenAiServer.Reply;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand failing requests (each failing over between two upstreams) leave no connection,
 * file descriptor or memory behind.
 */
class LeakTest {
  static final int REQUESTS = 10_000;
  static final int CONCURRENCY = 32;

  private static int openFds() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  /** Sends {@code n} requests, at most {@link #CONCURRENCY} at a time; returns the count per status. */
  private static ConcurrentHashMap<Integer, AtomicInteger> blast(TestGateway gw, int n) throws InterruptedException {
    ConcurrentHashMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    Semaphore slots = new Semaphore(CONCURRENCY);
    HttpRequest req = HttpRequest.newBuilder(URI.create(gw.url() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(chatBody("m", false))).build();
    for (int i = 0; i < n; i++) {
      slots.acquire();
      CompletableFuture<HttpResponse<Void>> f = GatewayHttp.HTTP.sendAsync(req, HttpResponse.BodyHandlers.discarding());
      f.whenComplete((r, err) -> {
        statuses.computeIfAbsent(err != null ? -1 : r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
        slots.release();
      });
    }
    slots.acquire(CONCURRENCY);
    slots.release(CONCURRENCY);
    return statuses;
  }

  @Test
  void tenThousandFailingRequestsLeaveNothingBehind() throws Exception {
    Vertx vertx = Vertx.vertx();
    MockOpenAiServer a = new MockOpenAiServer(vertx).answerAllWith(Reply.error(500, "a is down"));
    MockOpenAiServer b = new MockOpenAiServer(vertx).answerAllWith(Reply.error(503, "b is down"));
    List<String> key = List.of(MockOpenAiServer.KEY);
    // Breakers off: every request must really go through both upstreams.
    try (TestGateway gw = gateway(
        openai("a", a.baseUrl(), key, "m").retries(0).option(HealthRegistry.BREAKER_FAILURES, "0"),
        openai("b", b.baseUrl(), key, "m").retries(0).dispatch(DispatchMode.FALLBACK).option(HealthRegistry.BREAKER_FAILURES, "0"))) {
      blast(gw, 500); // warm-up: connection pools, JIT, lazily loaded classes
      int fdsBefore = openFds();
      long heapBefore = usedHeapAfterGc();

      ConcurrentHashMap<Integer, AtomicInteger> statuses = blast(gw, REQUESTS);
      assertThat(statuses.keySet()).containsExactly(503);
      assertThat(statuses.get(503).get()).isEqualTo(REQUESTS);
      assertThat(a.received).hasSize(500 + REQUESTS);
      assertThat(b.received).hasSize(500 + REQUESTS);

      // Pooled upstream connections are reused, not piled up.
      assertThat(a.openConnections.get()).isLessThanOrEqualTo(2 * CONCURRENCY);
      assertThat(b.openConnections.get()).isLessThanOrEqualTo(2 * CONCURRENCY);
      assertThat(openFds()).isLessThanOrEqualTo(fdsBefore + 64);
      a.received.clear();
      b.received.clear();
      assertThat(usedHeapAfterGc() - heapBefore).isLessThan(32L << 20);
    } finally {
      a.close();
      b.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
