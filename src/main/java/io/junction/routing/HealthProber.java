package io.junction.routing;

import io.junction.provider.KeyPool;
import io.junction.provider.Provider;
import io.junction.provider.ProviderRegistry;
import io.junction.provider.UpstreamCall;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Active health checks: every provider with {@code health_check_interval_ms} in its options gets
 * its model list fetched that often (never a billed call). A probe fails on no answer, 5xx, 408,
 * or a refused key (401/403); while it fails, routing skips the provider. The same tick re-probes
 * revoked keys whose cool-down is over ({@link KeyPool#claimReprobe}), with the same never-billed
 * model-list call, so a key refused once comes back when its provider accepts it again. One timer
 * ticks for all providers, so providers added or changed at run time are picked up on the next tick.
 */
public final class HealthProber {
  public static final String INTERVAL_OPTION = "health_check_interval_ms";

  private final Vertx vertx;
  private final ProviderRegistry registry;
  private final Fetcher fetcher;
  private final HealthRegistry health;
  private final long tickMs;
  private final Map<String, Long> lastStarted = new ConcurrentHashMap<>();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private long timer = -1;

  /**
   * Sends a probe to a provider and completes with the answer's status as the adapter reads it
   * ({@link io.junction.provider.ProviderAdapter#effectiveStatus}: 401 for a refused key) — the
   * request path's exchange, in production.
   */
  @FunctionalInterface
  public interface Fetcher {
    Future<Integer> status(Provider p, UpstreamCall call);
  }

  public HealthProber(Vertx vertx, ProviderRegistry registry, Fetcher fetcher, HealthRegistry health, long tickMs) {
    this.vertx = vertx;
    this.registry = registry;
    this.fetcher = fetcher;
    this.health = health;
    this.tickMs = tickMs;
  }

  public void start() { if (timer < 0) timer = vertx.setPeriodic(tickMs, id -> tick()); }

  public void stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    timer = -1;
  }

  void tick() {
    long now = System.currentTimeMillis();
    Set<String> probed = new HashSet<>();
    for (Provider p : registry.snapshot().providers()) {
      for (int key = p.keys.claimReprobe(); key >= 0; key = p.keys.claimReprobe()) reprobeKey(p, key);
      long interval = HealthRegistry.longOption(p.config, INTERVAL_OPTION, 0);
      if (interval <= 0 || !p.config.enabled()) continue;
      probed.add(p.name());
      Long last = lastStarted.get(p.name());
      if ((last != null && now - last < interval) || !inFlight.add(p.name())) continue;
      lastStarted.put(p.name(), now);
      probe(p).onComplete(ar -> {
        inFlight.remove(p.name());
        if (ar.result() != null) health.probed(p.name(), ar.result());
      });
    }
    for (String name : Set.copyOf(lastStarted.keySet())) {
      if (!probed.contains(name)) {
        lastStarted.remove(name);
        health.forgetProbe(name);
      }
    }
  }

  /** The upstream's verdict on one revoked key, from a model-list call made with it. */
  Future<Void> reprobeKey(Provider p, int key) {
    return fetcher.status(p, p.adapter.listModels(p.config, p.keys.key(key)))
        .transform(ar -> {
          int status = ar.succeeded() ? ar.result() : 0;
          p.keys.reprobed(key, status >= 200 && status < 300, status == 401);
          return Future.<Void>succeededFuture();
        });
  }

  /** One model-list call; null when there is no usable key to probe with (the pool already says why). */
  Future<HealthRegistry.Probe> probe(Provider p) {
    int key = p.keys.peek();
    if (key == KeyPool.NONE_USABLE) return Future.succeededFuture();
    UpstreamCall call = p.adapter.listModels(p.config, p.keys.key(key));
    long t0 = System.nanoTime();
    return fetcher.status(p, call)
        .transform(ar -> {
          long ms = (System.nanoTime() - t0) / 1_000_000;
          long at = System.currentTimeMillis();
          if (ar.failed()) {
            String msg = ar.cause().getMessage() == null ? ar.cause().getClass().getSimpleName() : ar.cause().getMessage();
            return Future.succeededFuture(new HealthRegistry.Probe(at, false, 0, ms, msg));
          }
          int status = ar.result();
          boolean ok = status < 500 && status != 401 && status != 403 && status != 408;
          return Future.succeededFuture(new HealthRegistry.Probe(at, ok, status, ms, ok ? null : "model list answered HTTP " + status));
        });
  }
}
