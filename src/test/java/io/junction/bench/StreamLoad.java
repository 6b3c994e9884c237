package io.junction.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The concurrency run's load generator (wrk reports no time to first byte): {@code conns}
 * connections, each asking for {@code rounds} OpenAI streams back to back, the connections opened
 * over {@code rampMs}. A stream counts as completed when it answered 200, carried at least
 * {@code minEvents} SSE events and ended with {@code data: [DONE]}. Time to first byte is from
 * sending the request to the first body byte.
 *
 * <p>Usage: {@code StreamLoad <url> <key> <conns> <rounds> <rampMs> <minEvents> <h1|h2c>}; prints
 * one line of {@code key=value} pairs, then one line per kind of failure.
 */
public final class StreamLoad {
  private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
      + "\"content\":\"Say hello.\"}],\"max_tokens\":64,\"stream\":true}";
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes();

  private final HttpClient client;
  private final RequestOptions request;
  private final int minEvents;
  private final long[] ttfbNs;
  private final long[] totalNs;
  private final AtomicInteger slot = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final Map<String, Integer> failures = new TreeMap<>();
  private final CountDownLatch done;

  private StreamLoad(HttpClient client, RequestOptions request, int streams, int minEvents) {
    this.client = client;
    this.request = request;
    this.minEvents = minEvents;
    this.ttfbNs = new long[streams];
    this.totalNs = new long[streams];
    Arrays.fill(ttfbNs, -1);
    this.done = new CountDownLatch(streams);
  }

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    String key = args[1];
    int conns = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    long rampMs = Long.parseLong(args[4]);
    int minEvents = Integer.parseInt(args[5]);
    boolean h2c = args[6].equals("h2c");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
    HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setConnectTimeout(60_000).setIdleTimeout(0);
    // h2c: every stream its own HTTP/2 stream, 100 per connection (the server's default limit).
    if (h2c) options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false).setHttp2MultiplexingLimit(100);
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(conns).setHttp2MaxSize(Math.max(1, (conns + 99) / 100))
        .setMaxWaitQueueSize(-1);
    HttpClient client = vertx.createHttpClient(options, pool);
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url.toString())
        .putHeader("authorization", "Bearer " + key).putHeader("content-type", "application/json").setTimeout(120_000);
    StreamLoad load = new StreamLoad(client, request, conns * rounds, minEvents);
    long start = System.nanoTime();
    for (int c = 0; c < conns; c++) {
      long delay = rampMs * c / conns;
      if (delay == 0) vertx.runOnContext(v -> load.next(rounds));
      else vertx.setTimer(delay, id -> load.next(rounds));
    }
    boolean finished = load.done.await(10, TimeUnit.MINUTES);
    double wallS = (System.nanoTime() - start) / 1e9;
    load.report(wallS, finished);
    vertx.close().await();
  }

  /** One stream, then the next on the same lane until {@code left} reaches zero. */
  private void next(int left) {
    if (left == 0) return;
    int i = slot.getAndIncrement();
    long t0 = System.nanoTime();
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    int[] events = {0};
    byte[] tail = new byte[DONE.length];
    client.request(request)
        .compose(req -> req.send(Buffer.buffer(BODY)))
        .compose(resp -> {
          if (resp.statusCode() != 200) {
            return resp.body().compose(b -> io.vertx.core.Future.failedFuture("HTTP " + resp.statusCode()));
          }
          resp.handler(chunk -> {
            if (ttfbNs[i] < 0) ttfbNs[i] = System.nanoTime() - t0;
            events[0] += count(chunk);
            keepTail(tail, chunk);
          });
          return resp.end();
        })
        .onComplete(ar -> {
          totalNs[i] = System.nanoTime() - t0;
          inFlight.decrementAndGet();
          String failure = ar.failed() ? ar.cause().getClass().getSimpleName() + ": " + ar.cause().getMessage()
              : events[0] < minEvents ? "only " + events[0] + " events"
              : !Arrays.equals(tail, DONE) ? "no [DONE] at the end" : null;
          if (failure == null) completed.incrementAndGet();
          else synchronized (failures) { failures.merge(failure, 1, Integer::sum); }
          done.countDown();
          next(left - 1);
        });
  }

  /** SSE events in a chunk: each ends with a blank line. */
  private static int count(Buffer chunk) {
    int n = 0;
    for (int j = 1; j < chunk.length(); j++) if (chunk.getByte(j) == '\n' && chunk.getByte(j - 1) == '\n') n++;
    return n;
  }

  private static void keepTail(byte[] tail, Buffer chunk) {
    int len = chunk.length();
    if (len >= tail.length) {
      chunk.getBytes(len - tail.length, len, tail);
    } else {
      System.arraycopy(tail, len, tail, 0, tail.length - len);
      chunk.getBytes(0, len, tail, tail.length - len);
    }
  }

  private void report(double wallS, boolean finished) {
    int streams = ttfbNs.length;
    long[] ttfb = Arrays.stream(ttfbNs).filter(t -> t >= 0).sorted().toArray();
    long[] total = totalNs.clone();
    Arrays.sort(total);
    System.out.printf("streams=%d completed=%d failed=%d unfinished=%d max_in_flight=%d wall_s=%.1f "
            + "ttfb_p50_ms=%.1f ttfb_p99_ms=%.1f ttfb_max_ms=%.1f duration_p50_ms=%.0f duration_p99_ms=%.0f%n",
        streams, completed.get(), streams - completed.get() - (int) done.getCount(), (int) done.getCount(),
        maxInFlight.get(), wallS, pct(ttfb, 50), pct(ttfb, 99), pct(ttfb, 100), pct(total, 50), pct(total, 99));
    if (!finished) System.out.println("failure: gave up waiting after 10 minutes");
    synchronized (failures) { failures.forEach((f, n) -> System.out.println("failure: " + n + " x " + f)); }
  }

  private static double pct(long[] sorted, int p) {
    if (sorted.length == 0) return Double.NaN;
    int idx = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, idx)] / 1e6;
  }
}
