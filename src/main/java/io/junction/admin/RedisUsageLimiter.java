package io.junction.admin;

import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link UsageLimiter} shared by every instance on one Redis: each admission is one Lua script
 * (EVALSHA, one round trip, atomic), each settlement another, sent without waiting. The scripts
 * keep per key a log of request times (sorted set, at most rpm entries), token counts in
 * one-second buckets (hash, at most 60 fields), in-flight reservations (sorted set scored by
 * expiry, so a crashed instance's reservations lapse) and spend per budget period; every key has a
 * TTL, so Redis holds only what the last minute (or the current budget periods) needs. Times come
 * from Redis ({@code TIME}), so instances' clocks need not agree.
 *
 * <p>When Redis fails (refused, reset, no answer within {@link #TIMEOUT_MS}), the call is counted in
 * {@code junction_redis_errors_total}, a warning is logged once per outage, and for a second every
 * admission goes to this instance's {@link InMemoryUsageLimiter} — or, with {@code fail_closed},
 * is refused with a 503. The next admission after that second tries Redis again, so recovery needs
 * no restart.
 */
public final class RedisUsageLimiter implements UsageLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(RedisUsageLimiter.class);
  static final long TIMEOUT_MS = 2_000;
  static final long RETRY_AFTER_FAILURE_MS = 1_000;
  /** A reservation lapses after this if never settled (its instance died): longer than any call may run. */
  static final long RESERVATION_TTL_MS = 15 * 60_000;
  static final long TOTAL_SPEND_TTL_MS = 30L * 86_400_000;
  static final String PREFIX = "junction:";

  private static final Script ADMIT = Script.load("redis/admit.lua");
  private static final Script SETTLE = Script.load("redis/settle.lua");

  private final Redis redis;
  private final InMemoryUsageLimiter local;
  private final boolean failClosed;
  private final Counter errors;
  private final String instance = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicBoolean degraded = new AtomicBoolean();
  private volatile long skipUntilNanos;
  private final Future<Void> ready;

  public RedisUsageLimiter(Vertx vertx, String url, InMemoryUsageLimiter local, boolean failClosed, MeterRegistry registry) {
    this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url)
        .setMaxPoolSize(16).setMaxPoolWaiting(4096).setMaxWaitingHandlers(4096));
    this.local = local;
    this.failClosed = failClosed;
    this.errors = io.junction.telemetry.GatewayMetrics.redisErrors(registry);
    // Connects and caches the scripts before traffic, so the first admission is one EVALSHA like any other.
    this.ready = redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(ADMIT.text))
        .compose(r -> redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(SETTLE.text)))
        .<Void>mapEmpty().timeout(10, TimeUnit.SECONDS); // a cold start (first connection, class loading) may take a while
  }

  /** Completes once Redis holds the scripts; fails when it could not be reached (admissions then fall back as in any outage). */
  public Future<Void> ready() { return ready; }

  /** Whether the last Redis call failed (limits are per instance, or refused, until one succeeds). */
  public boolean degraded() { return degraded.get(); }

  @Override
  public Future<Verdict> admit(Check c) {
    if (System.nanoTime() < skipUntilNanos) return fallback(c);
    String rid = instance + ":" + sequence.incrementAndGet();
    double reserve = c.budgets().isEmpty() ? 0 : c.reserveUsd();
    List<String> keys = new ArrayList<>(List.of(key(c.keyId(), "rpm"), key(c.keyId(), "tpm"), key(c.keyId(), "res")));
    List<String> args = new ArrayList<>(List.of(
        Long.toString(c.rpm() == null ? 0 : c.rpm()), Long.toString(c.tpm() == null ? 0 : c.tpm()),
        rid, Double.toString(reserve), Long.toString(RESERVATION_TTL_MS)));
    long now = System.currentTimeMillis();
    for (BudgetWindow b : c.budgets()) {
      keys.add(spendKey(c.keyId(), b));
      args.add(Double.toString(b.limitUsd()));
      args.add(Double.toString(b.persistedUsd()));
      args.add(Long.toString(spendTtlMs(b, now)));
    }
    return eval(ADMIT, keys, args).transform(ar -> {
      if (ar.failed()) {
        failed(ar.cause());
        return fallback(c);
      }
      recovered();
      Response r = ar.result();
      int code = r.get(0).toInteger();
      return Future.succeededFuture(switch (code) {
        case 0 -> Verdict.admit(new Ticket(c.keyId(), rid, reserve, c.budgets(), this));
        case 1 -> Verdict.rate(Limit.RPM, r.get(1).toLong());
        case 2 -> Verdict.rate(Limit.TPM, r.get(1).toLong());
        default -> Verdict.budget(c.budgets().get(r.get(1).toInteger() - 1));
      });
    });
  }

  @Override
  public void settle(Ticket t, long tokens, double costUsd) {
    if (t.by() != this) {
      t.by().settle(t, tokens, costUsd);
      return;
    }
    List<String> keys = new ArrayList<>(List.of(key(t.keyId(), "tpm"), key(t.keyId(), "res")));
    List<String> args = new ArrayList<>(List.of(Long.toString(Math.max(0, tokens)),
        t.reservedUsd() > 0 ? t.reservationId() + "|" + Double.toString(t.reservedUsd()) : "",
        Double.toString(Math.max(0, costUsd))));
    long now = System.currentTimeMillis();
    for (BudgetWindow b : t.budgets()) {
      if (b.period().startMs(now) != b.startMs()) continue; // the period ended mid-call: its counter is done
      keys.add(spendKey(t.keyId(), b));
      args.add(Double.toString(b.persistedUsd()));
      args.add(Long.toString(spendTtlMs(b, now)));
    }
    eval(SETTLE, keys, args).onComplete(ar -> {
      if (ar.failed()) failed(ar.cause());
      else recovered();
    });
  }

  @Override
  public void close() {
    redis.close();
  }

  private Future<Verdict> fallback(Check c) {
    if (failClosed) {
      return Future.failedFuture(new GatewayException(ErrorKind.OVERLOADED, 503, "limits_unavailable", null,
          "The gateway cannot check this key's limits right now (Redis is unreachable); retry shortly"));
    }
    return local.admit(c);
  }

  private void failed(Throwable e) {
    errors.increment();
    skipUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_AFTER_FAILURE_MS);
    if (degraded.compareAndSet(false, true)) {
      LOG.warn("Redis unreachable ({}): virtual-key limits {} until it answers again", e.toString(),
          failClosed ? "answer 503 (redis.fail_closed)" : "fall back to this instance's memory");
    }
  }

  private void recovered() {
    if (degraded.compareAndSet(true, false)) LOG.info("Redis answers again: virtual-key limits are shared again");
  }

  /** EVALSHA, and EVAL when Redis lacks the script (a restarted or flushed server), which caches it again. */
  private Future<Response> eval(Script s, List<String> keys, List<String> args) {
    return send(request(Command.EVALSHA, s.sha, keys, args))
        .recover(e -> e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")
            ? send(request(Command.EVAL, s.text, keys, args))
            : Future.failedFuture(e));
  }

  private Future<Response> send(Request r) {
    return redis.send(r).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  private static Request request(Command cmd, String script, List<String> keys, List<String> args) {
    Request r = Request.cmd(cmd).arg(script).arg(keys.size());
    keys.forEach(r::arg);
    args.forEach(r::arg);
    return r;
  }

  /** One key's Redis keys share a hash tag, so a Redis Cluster keeps them on one node (a script may only touch one). */
  static String key(String keyId, String what) {
    return PREFIX + "{" + keyId + "}:" + what;
  }

  static String spendKey(String keyId, BudgetWindow b) {
    return key(keyId, "spend:" + b.period().id() + ":" + b.startMs());
  }

  /** A period's counter outlives the period by a day (late settlements); a total's lasts 30 days after its last use. */
  private static long spendTtlMs(BudgetWindow b, long now) {
    return b.endMs() == Long.MAX_VALUE ? TOTAL_SPEND_TTL_MS : Math.max(1, b.endMs() - now) + 86_400_000;
  }

  /** A Lua script shipped in the jar, with the SHA-1 EVALSHA names it by. */
  private record Script(String text, String sha) {
    static Script load(String resource) {
      try (InputStream in = RedisUsageLimiter.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) throw new IllegalStateException("missing resource " + resource);
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return new Script(text, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM has SHA-1", e);
      }
    }
  }
}
