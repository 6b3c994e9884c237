package io.junction.bench;

import io.junction.admin.InMemoryUsageLimiter;
import io.junction.admin.RedisUsageLimiter;
import io.junction.admin.UsageLimiter;
import io.junction.admin.UsageLimiter.BudgetWindow;
import io.junction.admin.UsageLimiter.Check;
import io.junction.store.BudgetPeriod;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The limiter's cost per request: admissions (rpm + tpm + a daily and a total budget, the most a
 * key can ask for) each followed by its settlement, on one event loop as the gateway makes them,
 * with {@code inFlight} admissions outstanding. Prints admissions/s and mean admission latency for
 * the in-memory limiter and, given a Redis URL, the Redis one. Run by bench/limiter.sh.
 */
public final class LimiterBench {
  public static void main(String[] args) throws Exception {
    String redisUrl = args.length > 0 && !args[0].equals("-") ? args[0] : null; // "-": memory only
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    Vertx vertx = Vertx.vertx();
    try {
      InMemoryUsageLimiter local = new InMemoryUsageLimiter(Clock.systemUTC());
      run(vertx, "memory", local, seconds, inFlight);
      if (redisUrl != null) {
        RedisUsageLimiter redis = new RedisUsageLimiter(vertx, redisUrl, new InMemoryUsageLimiter(Clock.systemUTC()), false,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        redis.ready().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        run(vertx, "redis", redis, seconds, 1);
        run(vertx, "redis", redis, seconds, inFlight);
        if (redis.degraded()) System.out.println("WARNING: Redis calls failed during the run; figures include fallbacks");
        redis.close();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private static void run(Vertx vertx, String name, UsageLimiter limiter, int seconds, int inFlight) throws Exception {
    // Warm-up, then the measured run, each with a key of its own so windows start empty.
    drive(vertx, limiter, "bench-warm-" + System.nanoTime(), Math.max(2, seconds / 3), inFlight);
    Result r = drive(vertx, limiter, "bench-" + System.nanoTime(), seconds, inFlight);
    System.out.printf(Locale.ROOT, "%-7s in flight %3d: %,10.0f admissions/s, mean admission %8.1f us, %d refused%n",
        name, inFlight, r.count / (r.nanos / 1e9), r.latencyNanos / 1e3 / r.count, r.refused);
  }

  private record Result(long count, long nanos, double latencyNanos, long refused) {}

  private static Result drive(Vertx vertx, UsageLimiter limiter, String keyId, int seconds, int inFlight) throws Exception {
    long now = System.currentTimeMillis();
    List<BudgetWindow> budgets = List.of(
        new BudgetWindow(BudgetPeriod.TOTAL, 1e12, 0, Long.MAX_VALUE, 0),
        new BudgetWindow(BudgetPeriod.DAILY, 1e12, BudgetPeriod.DAILY.startMs(now), BudgetPeriod.DAILY.endMs(now), 0));
    Check check = new Check(keyId, Integer.MAX_VALUE, Long.MAX_VALUE, budgets, 0.001);
    AtomicLong count = new AtomicLong(), latency = new AtomicLong(), refused = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Promise<Void> done = Promise.promise();
    AtomicLong running = new AtomicLong(inFlight);
    long start = System.nanoTime();
    vertx.runOnContext(v -> {
      for (int i = 0; i < inFlight; i++) loop(vertx, limiter, check, end, count, latency, refused, running, done);
    });
    done.future().toCompletionStage().toCompletableFuture().get(seconds + 60L, TimeUnit.SECONDS);
    return new Result(count.get(), System.nanoTime() - start, latency.get(), refused.get());
  }

  private static void loop(Vertx vertx, UsageLimiter limiter, Check check, long end, AtomicLong count, AtomicLong latency, AtomicLong refused,
      AtomicLong running, Promise<Void> done) {
    if (System.nanoTime() >= end) {
      if (running.decrementAndGet() == 0) done.complete();
      return;
    }
    long t0 = System.nanoTime();
    Future<UsageLimiter.Verdict> f = limiter.admit(check);
    f.onComplete(ar -> {
      latency.addAndGet(System.nanoTime() - t0);
      count.incrementAndGet();
      if (ar.succeeded() && ar.result().admitted()) limiter.settle(ar.result().ticket(), 17, 0.0001);
      else refused.incrementAndGet();
      // Through the event loop's queue, as a next request would come: no recursion when admission is synchronous.
      vertx.runOnContext(v -> loop(vertx, limiter, check, end, count, latency, refused, running, done));
    });
  }
}
