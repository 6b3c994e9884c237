package io.junction.telemetry;

import io.junction.protocol.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.Histogram;

/**
 * Request and attempt figures, kept twice: in memory for {@code GET /api/v1/metrics} (resettable)
 * and as Prometheus meters for {@code GET /metrics} (monotonic, never reset, as Prometheus expects).
 *
 * <p>Label cardinality is bounded: provider names come from the config, and a model label is
 * only ever a name known in advance — configured (exact model entries, aliases, virtual models,
 * models a provider listed) or in the price catalog; any other name a client sends is counted as
 * {@code other}, and so is everything past {@link #MAX_SERIES} pairs. Updates are lock-free adders
 * and atomic histogram increments.
 */
public final class GatewayMetrics implements AutoCloseable {
  public static final int MAX_SERIES = 500;
  public static final String OTHER = "other";
  public static final String NONE = "none";
  /** The Content-Type of {@link #scrape()}. */
  public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** Latencies above this (ms) are recorded as this: a bound keeps each histogram at ~14 KB. */
  static final long MAX_TRACKED_MS = 600_000;
  /** Two significant digits: values under 256 ms are exact, larger ones within 1%. */
  private static final int SIGNIFICANT_DIGITS = 2;
  private static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)};

  private record Labels(String provider, String model) {}

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final Set<Labels> knownLabels = ConcurrentHashMap.newKeySet();
  private final Map<Labels, Meters> meters = new ConcurrentHashMap<>();
  private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
  private final Counter cacheHits;
  private final Counter cacheMisses;
  private volatile Window window = new Window(System.currentTimeMillis());
  /** (provider, model) → whether the model may be a label value; every name until {@link #knownModels} is set. */
  private volatile java.util.function.BiPredicate<String, String> knownModel = (provider, model) -> true;

  public GatewayMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** Registers on {@code registry} (e.g. one shared with Vert.x metrics), binding the JVM meters too. */
  public GatewayMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    // At zero from the start, so dashboards and alerts see the series before the first drop (or cache lookup).
    for (String reason : List.of("queue_full", "write_failed", "closed")) onDropped(reason, 0);
    cacheHits = cacheCounter(registry, "hit");
    cacheMisses = cacheCounter(registry, "miss");
  }

  private static Counter cacheCounter(MeterRegistry registry, String result) {
    return Counter.builder("junction.cache.requests").description("Requests the response cache answered (hit) or sent on (miss)")
        .tag("result", result).register(registry);
  }

  /**
   * {@code junction_redis_errors_total}: one counter for every Redis user (limits, the response
   * cache), so an outage shows as one figure whichever part noticed it.
   */
  public static Counter redisErrors(MeterRegistry registry) {
    return Counter.builder("junction_redis_errors").description("Redis calls that failed; limits fell back or refused, the cache missed")
        .register(registry);
  }

  public PrometheusMeterRegistry registry() { return registry; }

  /** Which model names may be label values; the gateway sets configured-or-catalogued once it has its providers. */
  public void knownModels(java.util.function.BiPredicate<String, String> known) { this.knownModel = known; }

  /** The Prometheus text exposition for {@code GET /metrics}. */
  public String scrape() { return registry.scrape(); }

  /** Accounts a finished client request priced at {@code costUsd}. */
  public void onRequest(RequestEvent e, double costUsd) {
    Labels labels = labels(e.provider(), e.model());
    Usage usage = e.usage() == null ? Usage.ZERO : e.usage();
    Meters m = meters(labels);
    m.requests(e.status()).increment();
    m.latency.record(e.latencyMicros(), TimeUnit.MICROSECONDS);
    if (e.ttftMicros() >= 0) m.ttft.record(e.ttftMicros(), TimeUnit.MICROSECONDS);
    m.inputTokens.increment(usage.inputTokens());
    m.outputTokens.increment(usage.outputTokens());
    m.cachedTokens.increment(usage.cacheReadTokens());
    m.cost.increment(costUsd);

    window.series(labels).add(e, usage, costUsd);
  }

  /** Accounts one upstream attempt; a status of 0 (no response) or 400+ is a failure. */
  public void onAttempt(AttemptEvent a) {
    Labels labels = labels(a.provider(), a.model());
    boolean failed = a.status() == 0 || a.status() >= 400;
    Meters m = meters(labels);
    (failed ? m.failedAttempts : m.okAttempts).increment();
    Series s = window.series(labels);
    s.attempts.increment();
    if (failed) s.failedAttempts.increment();
  }

  /** Counts one lookup of the response cache. */
  public void onCache(boolean hit) { (hit ? cacheHits : cacheMisses).increment(); }

  /** Counts request-log rows lost, by reason ({@code queue_full}, {@code write_failed}, {@code closed}). */
  public void onDropped(String reason, int rows) {
    dropped.computeIfAbsent(reason, r -> Counter.builder("junction.telemetry.dropped")
        .description("Request-log rows dropped instead of written")
        .tag("reason", r).register(registry)).increment(rows);
  }

  /** Zeroes the in-memory figures; Prometheus counters keep counting. */
  public void reset() {
    window = new Window(System.currentTimeMillis());
  }

  public MetricsSnapshot snapshot() {
    Window w = window;
    Map<String, Map<String, Series>> byProvider = new TreeMap<>();
    w.series.forEach((l, s) -> byProvider.computeIfAbsent(l.provider, p -> new TreeMap<>()).put(l.model, s));
    Map<String, MetricsSnapshot.Provider> out = new TreeMap<>();
    byProvider.forEach((provider, models) -> {
      Map<String, MetricsSnapshot.Stats> perModel = new TreeMap<>();
      models.forEach((model, s) -> perModel.put(model, Series.stats(List.of(s))));
      out.put(provider, new MetricsSnapshot.Provider(Series.stats(models.values()), perModel));
    });
    return new MetricsSnapshot(w.sinceMs, out);
  }

  /** One provider's figures, or null if it has none since the last reset. */
  public MetricsSnapshot.Provider snapshot(String provider) {
    return snapshot().providers().get(provider);
  }

  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }

  private Labels labels(String provider, String model) {
    Labels l = new Labels(provider == null ? NONE : provider, model == null ? NONE : model);
    if (knownLabels.contains(l)) return l;
    if (model != null && !knownModel.test(provider, model)) return new Labels(l.provider, OTHER);
    // Racing threads may overshoot MAX_SERIES by a few; the bound only has to be finite.
    if (knownLabels.size() >= MAX_SERIES) l = new Labels(l.provider, OTHER);
    knownLabels.add(l);
    return l;
  }

  private Meters meters(Labels l) {
    return meters.computeIfAbsent(l, k -> new Meters(registry, k));
  }

  /** The Prometheus meters of one provider+model, looked up once instead of per event. */
  private static final class Meters {
    private final PrometheusMeterRegistry registry;
    private final Labels labels;
    private final Map<Integer, Counter> requestsByStatus = new ConcurrentHashMap<>();
    final Timer latency;
    final Timer ttft;
    final Counter inputTokens;
    final Counter outputTokens;
    final Counter cachedTokens;
    final Counter cost;
    final Counter okAttempts;
    final Counter failedAttempts;

    Meters(PrometheusMeterRegistry registry, Labels l) {
      this.registry = registry;
      this.labels = l;
      latency = timer("junction.request.duration", "Client request duration, first byte in to last byte out");
      ttft = timer("junction.ttft", "Time to first token of streamed answers");
      inputTokens = tokens("input");
      outputTokens = tokens("output");
      cachedTokens = tokens("cached");
      cost = Counter.builder("junction.cost.usd").description("Spend in USD, from the price catalog")
          .tags("provider", l.provider, "model", l.model).register(registry);
      okAttempts = attempts("success");
      failedAttempts = attempts("failure");
    }

    Counter requests(int status) {
      return requestsByStatus.computeIfAbsent(status, s -> Counter.builder("junction.requests")
          .description("Client requests by the provider that answered last and the HTTP status sent")
          .tags("provider", labels.provider, "model", labels.model, "status", Integer.toString(s))
          .register(registry));
    }

    private Timer timer(String name, String description) {
      return Timer.builder(name).description(description)
          .tags("provider", labels.provider, "model", labels.model)
          .serviceLevelObjectives(LATENCY_BUCKETS)
          .register(registry);
    }

    private Counter tokens(String direction) {
      return Counter.builder("junction.tokens").description("Tokens by direction; input includes cached")
          .tags("provider", labels.provider, "model", labels.model, "direction", direction).register(registry);
    }

    private Counter attempts(String outcome) {
      return Counter.builder("junction.upstream.attempts").description("Upstream calls, failovers included")
          .tags("provider", labels.provider, "model", labels.model, "outcome", outcome).register(registry);
    }
  }

  /** The in-memory figures since a start or reset. */
  private static final class Window {
    final long sinceMs;
    final Map<Labels, Series> series = new ConcurrentHashMap<>();

    Window(long sinceMs) { this.sinceMs = sinceMs; }

    Series series(Labels l) {
      return series.computeIfAbsent(l, k -> new Series());
    }
  }

  private static final class Series {
    final LongAdder requests = new LongAdder();
    final LongAdder successes = new LongAdder();
    final LongAdder inputTokens = new LongAdder();
    final LongAdder outputTokens = new LongAdder();
    final LongAdder cachedTokens = new LongAdder();
    final DoubleAdder cost = new DoubleAdder();
    final LongAdder attempts = new LongAdder();
    final LongAdder failedAttempts = new LongAdder();
    final AtomicHistogram latencyMs = newHistogram();
    final AtomicHistogram ttftMs = newHistogram();

    void add(RequestEvent e, Usage usage, double costUsd) {
      requests.increment();
      if (e.status() < 400) successes.increment();
      latencyMs.recordValue(clampMs(e.latencyMicros()));
      if (e.ttftMicros() >= 0) ttftMs.recordValue(clampMs(e.ttftMicros()));
      inputTokens.add(usage.inputTokens());
      outputTokens.add(usage.outputTokens());
      cachedTokens.add(usage.cacheReadTokens());
      cost.add(costUsd);
    }

    /** The figures of {@code parts} added together (one series, or all of a provider's). */
    static MetricsSnapshot.Stats stats(Iterable<Series> parts) {
      long requests = 0, successes = 0, in = 0, out = 0, cached = 0, attempts = 0, failed = 0;
      double cost = 0;
      Histogram latency = new Histogram(MAX_TRACKED_MS, SIGNIFICANT_DIGITS);
      Histogram ttft = new Histogram(MAX_TRACKED_MS, SIGNIFICANT_DIGITS);
      for (Series s : parts) {
        requests += s.requests.sum();
        successes += s.successes.sum();
        in += s.inputTokens.sum();
        out += s.outputTokens.sum();
        cached += s.cachedTokens.sum();
        cost += s.cost.sum();
        attempts += s.attempts.sum();
        failed += s.failedAttempts.sum();
        latency.add(s.latencyMs);
        ttft.add(s.ttftMs);
      }
      Double rate = requests == 0 ? null : (double) successes / requests;
      return new MetricsSnapshot.Stats(requests, successes, requests - successes, rate,
          percentiles(latency), percentiles(ttft), in, out, cached, cost, attempts, failed);
    }

    private static MetricsSnapshot.Percentiles percentiles(Histogram h) {
      if (h.getTotalCount() == 0) return MetricsSnapshot.Percentiles.NONE;
      return new MetricsSnapshot.Percentiles(
          h.getValueAtPercentile(50), h.getValueAtPercentile(95), h.getValueAtPercentile(99));
    }

    private static AtomicHistogram newHistogram() {
      return new AtomicHistogram(MAX_TRACKED_MS, SIGNIFICANT_DIGITS);
    }

    private static long clampMs(long micros) {
      return Math.min(MAX_TRACKED_MS, Math.max(0, micros / 1000));
    }
  }
}
