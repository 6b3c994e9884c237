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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The soak benchmark's client (bench/soak.sh): {@code mix <port> <key> <seconds> <concurrency>} runs
 * {@code concurrency} loops of mixed traffic for {@code seconds}, printing counts every 10 s:
 *
 * <ul>
 *   <li>OpenAI JSON (≈ 39 %), OpenAI streams (≈ 35 %), Anthropic streams translated to the
 *       OpenAI upstream (≈ 25 %);
 *   <li>1 % streams the client abandons after the first bytes (a reset);
 *   <li>1 % upstream failures, of three kinds: the upstream answers 500 (retried, then relayed),
 *       the upstream stream breaks after two events (the client gets an error event and no
 *       {@code [DONE]}), and a provider whose port refuses connections. The first two go to the
 *       model everything else uses (the mock fails on a marker in the user message), so they take
 *       the same provider, pool and breaker as the other 99 %.
 * </ul>
 *
 * A call counts as expected when it ended as its kind should; anything else is counted as
 * unexpected, by kind and what happened.
 */
public final class SoakDriver {
  private SoakDriver() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    try {
      mix(vertx, Integer.parseInt(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static final String OPENAI = "{\"model\":\"%s\",\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}";
  private static final String ANTHROPIC = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":64,\"stream\":true,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes();

  enum Kind { JSON, STREAM, CROSS, HANGUP, UPSTREAM_500, UPSTREAM_CUT, REFUSED }

  /** Per mille: 10 hang-ups, 10 upstream failures (3 + 4 + 3), the rest split 39/35/25 %. */
  static Kind roll(int perMille) {
    if (perMille < 10) return Kind.HANGUP;
    if (perMille < 13) return Kind.UPSTREAM_500;
    if (perMille < 17) return Kind.UPSTREAM_CUT;
    if (perMille < 20) return Kind.REFUSED;
    if (perMille < 410) return Kind.JSON;
    if (perMille < 760) return Kind.STREAM;
    return Kind.CROSS;
  }

  static void mix(Vertx vertx, int port, String key, int seconds, int concurrency) throws Exception {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultPort(port).setDefaultHost("127.0.0.1"),
        new PoolOptions().setHttp1MaxSize(concurrency * 2));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicLongArray done = new AtomicLongArray(Kind.values().length);
    Map<String, Integer> unexpected = new TreeMap<>();
    CountDownLatch finished = new CountDownLatch(concurrency);
    for (int i = 0; i < concurrency; i++) loop(client, key, end, done, unexpected, finished);
    long start = System.nanoTime();
    while (!finished.await(10, TimeUnit.SECONDS)) {
      System.out.printf("t=%ds %s unexpected=%d%n", (System.nanoTime() - start) / 1_000_000_000, counts(done), total(unexpected));
    }
    System.out.printf("total %s unexpected=%d%n", counts(done), total(unexpected));
    synchronized (unexpected) { unexpected.forEach((what, n) -> System.out.println("unexpected: " + n + " x " + what)); }
  }

  private static int total(Map<String, Integer> unexpected) {
    synchronized (unexpected) { return unexpected.values().stream().mapToInt(Integer::intValue).sum(); }
  }

  private static String counts(AtomicLongArray done) {
    StringBuilder sb = new StringBuilder();
    for (Kind k : Kind.values()) sb.append(k.name().toLowerCase()).append('=').append(done.get(k.ordinal())).append(' ');
    return sb.toString().trim();
  }

  private static void loop(HttpClient client, String key, long end, AtomicLongArray done, Map<String, Integer> unexpected,
      CountDownLatch finished) {
    if (System.nanoTime() > end) {
      finished.countDown();
      return;
    }
    Kind kind = roll(ThreadLocalRandom.current().nextInt(1000));
    one(client, key, kind).onComplete(ar -> {
      String wrong = ar.succeeded() ? ar.result() : ar.cause().getClass().getSimpleName() + ": " + ar.cause().getMessage();
      if (wrong == null) done.incrementAndGet(kind.ordinal());
      else synchronized (unexpected) { unexpected.merge(kind.name().toLowerCase() + ": " + wrong, 1, Integer::sum); }
      loop(client, key, end, done, unexpected, finished);
    });
  }

  /** One call; null when it ended the way its kind should, else what happened. */
  private static Future<String> one(HttpClient client, String key, Kind kind) {
    String path = kind == Kind.CROSS ? "/v1/messages" : "/v1/chat/completions";
    String body = switch (kind) {
      case JSON -> OPENAI.formatted("gpt-4o-mini", false, "hi");
      case STREAM, HANGUP -> OPENAI.formatted("gpt-4o-mini", true, "hi");
      case CROSS -> ANTHROPIC;
      case UPSTREAM_500 -> OPENAI.formatted("gpt-4o-mini", false, "bench-fail-500");
      case UPSTREAM_CUT -> OPENAI.formatted("gpt-4o-mini", true, "bench-fail-cut");
      case REFUSED -> OPENAI.formatted("flaky-model", false, "hi");
    };
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
        .putHeader("authorization", "Bearer " + key).putHeader("content-type", "application/json")
        .putHeader("anthropic-version", "2023-06-01");
    return client.request(o).compose(req -> req.send(Buffer.buffer(body))).compose(resp -> {
      if (kind == Kind.HANGUP) {
        // Read the first bytes, then go away mid-stream.
        return Future.<String>future(p -> resp.handler(chunk -> {
          resp.request().reset();
          p.tryComplete(resp.statusCode() == 200 ? null : "HTTP " + resp.statusCode());
        }).exceptionHandler(e -> p.tryComplete(null)).endHandler(v -> p.tryComplete(resp.statusCode() == 200 ? null : "HTTP " + resp.statusCode())));
      }
      int status = resp.statusCode();
      return resp.body().map(b -> switch (kind) {
        case UPSTREAM_500, REFUSED -> status >= 500 ? null : "HTTP " + status;
        // The stream broke upstream after it had started: 200, then no [DONE] at the end (or, when
        // the break came before the gateway had sent a byte, retried and then a 5xx).
        case UPSTREAM_CUT -> status >= 500 ? null : status != 200 ? "HTTP " + status
            : endsWith(b, DONE) ? "ended with [DONE]" : null;
        default -> status == 200 ? null : "HTTP " + status;
      });
    });
  }

  private static boolean endsWith(Buffer b, byte[] tail) {
    if (b.length() < tail.length) return false;
    return Arrays.equals(b.getBytes(b.length() - tail.length, b.length()), tail);
  }
}
