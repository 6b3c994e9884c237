package io.junction.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The soak benchmark's client (bench/soak.sh). Two modes:
 *
 * <ul>
 *   <li>{@code mix <port> <key> <seconds> <concurrency>}: {@code concurrency} loops of mixed
 *       traffic for {@code seconds} — OpenAI JSON, OpenAI streams, Anthropic streams translated to
 *       the OpenAI upstream, 1% streams the client abandons after the first bytes, 1% calls to a
 *       model whose upstream refuses connections — printing counts every 10 s.
 *   <li>{@code streams <port> <key> <n>}: {@code n} streams opened at once; prints time to first
 *       byte p50/p99/max and how many completed.
 * </ul>
 */
public final class SoakDriver {
  private SoakDriver() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    try {
      if (args[0].equals("mix")) mix(vertx, Integer.parseInt(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
      else streams(vertx, Integer.parseInt(args[1]), args[2], Integer.parseInt(args[3]));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static final String OPENAI = "{\"model\":\"%s\",\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String ANTHROPIC = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":64,\"stream\":true,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  enum Kind { JSON, STREAM, CROSS, HANGUP, FAILING }

  static void mix(Vertx vertx, int port, String key, int seconds, int concurrency) throws Exception {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultPort(port).setDefaultHost("127.0.0.1"),
        new PoolOptions().setHttp1MaxSize(concurrency * 2));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicLongArray done = new AtomicLongArray(Kind.values().length);
    AtomicLong unexpected = new AtomicLong();
    CountDownLatch finished = new CountDownLatch(concurrency);
    for (int i = 0; i < concurrency; i++) loop(client, key, end, done, unexpected, finished);
    long start = System.nanoTime();
    while (!finished.await(10, TimeUnit.SECONDS)) {
      System.out.printf("t=%ds %s unexpected=%d%n", (System.nanoTime() - start) / 1_000_000_000, counts(done), unexpected.get());
    }
    System.out.printf("total %s unexpected=%d%n", counts(done), unexpected.get());
  }

  private static String counts(AtomicLongArray done) {
    StringBuilder sb = new StringBuilder();
    for (Kind k : Kind.values()) sb.append(k.name().toLowerCase()).append('=').append(done.get(k.ordinal())).append(' ');
    return sb.toString().trim();
  }

  private static void loop(HttpClient client, String key, long end, AtomicLongArray done, AtomicLong unexpected, CountDownLatch finished) {
    if (System.nanoTime() > end) {
      finished.countDown();
      return;
    }
    int roll = ThreadLocalRandom.current().nextInt(100);
    Kind kind = roll == 0 ? Kind.HANGUP : roll == 1 ? Kind.FAILING : roll < 40 ? Kind.JSON : roll < 75 ? Kind.STREAM : Kind.CROSS;
    one(client, key, kind).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) done.incrementAndGet(kind.ordinal());
      else unexpected.incrementAndGet();
      loop(client, key, end, done, unexpected, finished);
    });
  }

  /** One call; true when it ended the way its kind should (200, or 502 for the failing model, or abandoned). */
  private static Future<Boolean> one(HttpClient client, String key, Kind kind) {
    String path = kind == Kind.CROSS ? "/v1/messages" : "/v1/chat/completions";
    String body = switch (kind) {
      case JSON -> OPENAI.formatted("gpt-4o-mini", false);
      case STREAM, HANGUP -> OPENAI.formatted("gpt-4o-mini", true);
      case CROSS -> ANTHROPIC;
      case FAILING -> OPENAI.formatted("flaky-model", false);
    };
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
        .putHeader("authorization", "Bearer " + key).putHeader("content-type", "application/json")
        .putHeader("anthropic-version", "2023-06-01");
    return client.request(o).compose(req -> req.send(Buffer.buffer(body))).compose(resp -> {
      if (kind == Kind.HANGUP) {
        // Read the first bytes, then go away mid-stream.
        return Future.future(p -> resp.handler(chunk -> {
          resp.request().reset();
          p.tryComplete(resp.statusCode() == 200);
        }).exceptionHandler(e -> p.tryComplete(true)).endHandler(v -> p.tryComplete(resp.statusCode() == 200)));
      }
      return resp.body().map(b -> kind == Kind.FAILING ? resp.statusCode() >= 500 : resp.statusCode() == 200);
    }).recover(e -> Future.succeededFuture(false));
  }

  static void streams(Vertx vertx, int port, String key, int n) throws Exception {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultPort(port).setDefaultHost("127.0.0.1")
        .setConnectTimeout(60_000), new PoolOptions().setHttp1MaxSize(n).setMaxWaitQueueSize(-1));
    long[] ttfb = new long[n];
    Arrays.fill(ttfb, -1);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    CountDownLatch all = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      int idx = i;
      long t0 = System.nanoTime();
      RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/chat/completions")
          .putHeader("authorization", "Bearer " + key).putHeader("content-type", "application/json");
      client.request(o).compose(req -> req.send(Buffer.buffer(OPENAI.formatted("gpt-4o-mini", true)))).compose(resp -> {
        resp.handler(chunk -> {
          if (ttfb[idx] < 0) ttfb[idx] = (System.nanoTime() - t0) / 1_000_000;
        });
        return resp.end().map(v -> resp.statusCode() == 200);
      }).onComplete(ar -> {
        if (ar.succeeded() && ar.result()) ok.incrementAndGet();
        else failed.incrementAndGet();
        all.countDown();
      });
    }
    all.await(300, TimeUnit.SECONDS);
    long[] seen = Arrays.stream(ttfb).filter(v -> v >= 0).sorted().toArray();
    if (seen.length == 0) {
      System.out.printf("streams=%d completed=%d failed=%d no first bytes%n", n, ok.get(), failed.get());
      return;
    }
    System.out.printf("streams=%d completed=%d failed=%d ttfb_ms p50=%d p99=%d max=%d%n", n, ok.get(),
        failed.get(), seen[seen.length / 2], seen[Math.min(seen.length - 1, (int) Math.ceil(seen.length * 0.99) - 1)], seen[seen.length - 1]);
  }
}
