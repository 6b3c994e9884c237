package io.junction.routing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.Json;
import io.junction.provider.KeyPool;
import io.junction.provider.Provider;
import io.junction.provider.ProviderRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What routing knows about each provider's health: a circuit breaker per provider+model, the key
 * pool's states, and the last active probe. Decides whether a candidate is available, and
 * renders the health report (never a key's text).
 */
public final class HealthRegistry {
  /** ProviderConfig.options: consecutive failures that open a breaker (0 = never). */
  public static final String BREAKER_FAILURES = "breaker_failures";
  /** ProviderConfig.options: how long an open breaker refuses calls before one probe call. */
  public static final String BREAKER_COOLDOWN_MS = "breaker_cooldown_ms";
  static final int DEFAULT_BREAKER_FAILURES = 5;
  static final long DEFAULT_BREAKER_COOLDOWN_MS = 30_000;
  /**
   * Breakers kept per provider. Clients choose model names ({@code provider/anything}), so the
   * map must not grow without bound; past this, failures of further models go untracked.
   */
  static final int MAX_BREAKERS_PER_PROVIDER = 1_000;

  public enum Status {
    HEALTHY, DEGRADED, UNHEALTHY;

    public String id() { return name().toLowerCase(java.util.Locale.ROOT); }
  }

  /** The outcome of one active probe (model-list call). */
  public record Probe(long atMillis, boolean ok, int status, long latencyMs, String error) {}

  private final ProviderRegistry registry;
  private final LongSupplier clock;
  private final Map<String, Map<String, CircuitBreaker>> breakers = new ConcurrentHashMap<>();
  private final Map<String, Probe> probes = new ConcurrentHashMap<>();

  public HealthRegistry(ProviderRegistry registry) { this(registry, System::currentTimeMillis); }

  HealthRegistry(ProviderRegistry registry, LongSupplier clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** The breaker of a provider+model, created on first use (a failure); see {@link #MAX_BREAKERS_PER_PROVIDER}. */
  public CircuitBreaker breaker(Provider p, String model) {
    Map<String, CircuitBreaker> byModel = breakers.computeIfAbsent(p.name(), k -> new ConcurrentHashMap<>());
    CircuitBreaker b = byModel.get(model);
    if (b != null) return b;
    CircuitBreaker fresh = new CircuitBreaker(intOption(p.config, BREAKER_FAILURES, DEFAULT_BREAKER_FAILURES),
        longOption(p.config, BREAKER_COOLDOWN_MS, DEFAULT_BREAKER_COOLDOWN_MS), clock);
    if (byModel.size() >= MAX_BREAKERS_PER_PROVIDER) return fresh;
    b = byModel.putIfAbsent(model, fresh);
    return b == null ? fresh : b;
  }

  /** The candidate's breaker, or null while it has none — never failed, so closed. */
  public CircuitBreaker breakerIfAny(Candidate c) {
    Map<String, CircuitBreaker> byModel = breakers.get(c.provider().name());
    return byModel == null ? null : byModel.get(c.upstreamModel());
  }

  /** Whether routing may pick this candidate now: probe not failing, breaker letting calls through, a key usable. */
  public boolean available(Candidate c) {
    Probe probe = probes.get(c.provider().name());
    if (probe != null && !probe.ok()) return false;
    CircuitBreaker b = breakerIfAny(c);
    return (b == null || b.wouldAllow()) && c.provider().keys.usable();
  }

  public void probed(String provider, Probe result) { probes.put(provider, result); }

  /** Forgets the probe result of a provider that is no longer probed. */
  public void forgetProbe(String provider) { probes.remove(provider); }

  public Probe lastProbe(String provider) { return probes.get(provider); }

  public Status status(Provider p) {
    Probe probe = probes.get(p.name());
    if ((probe != null && !probe.ok()) || !p.keys.usable()) return Status.UNHEALTHY;
    Map<String, CircuitBreaker> byModel = breakers.getOrDefault(p.name(), Map.of());
    boolean anyClosed = false;
    boolean anyTripped = false;
    for (CircuitBreaker b : byModel.values()) {
      if (b.state() == CircuitBreaker.State.CLOSED) anyClosed = true;
      else anyTripped = true;
    }
    if (anyTripped && !anyClosed) return Status.UNHEALTHY;
    boolean keyTrouble = p.keys.states().stream().anyMatch(k -> !k.state().equals("active"));
    return anyTripped || keyTrouble ? Status.DEGRADED : Status.HEALTHY;
  }

  /** The whole report: gateway status and every provider. */
  public ObjectNode snapshot() {
    ObjectNode root = Json.object();
    ArrayNode list = Json.array();
    int enabled = 0;
    int unhealthy = 0;
    int healthy = 0;
    for (Provider p : registry.snapshot().providers()) {
      ObjectNode node = provider(p);
      list.add(node);
      if (!p.config.enabled()) continue;
      enabled++;
      String s = node.path("status").asText();
      if (s.equals(Status.UNHEALTHY.id())) unhealthy++;
      if (s.equals(Status.HEALTHY.id())) healthy++;
    }
    Status overall = enabled > 0 && unhealthy == enabled ? Status.UNHEALTHY
        : healthy == enabled ? Status.HEALTHY : Status.DEGRADED;
    root.put("status", overall.id());
    root.set("providers", list);
    return root;
  }

  /** One provider's report, or null if there is no such provider. */
  public ObjectNode provider(String name) {
    Provider p = registry.snapshot().provider(name);
    return p == null ? null : provider(p);
  }

  private ObjectNode provider(Provider p) {
    ObjectNode n = Json.object();
    n.put("name", p.name()).put("type", p.config.type()).put("enabled", p.config.enabled())
        .put("dispatch", p.config.dispatch() == null ? null : p.config.dispatch().name().toLowerCase(java.util.Locale.ROOT))
        .put("status", p.config.enabled() ? status(p).id() : "disabled");
    ArrayNode models = n.putArray("breakers");
    breakers.getOrDefault(p.name(), Map.of()).forEach((model, b) -> {
      ObjectNode m = models.addObject().put("model", model).put("state", b.state().name().toLowerCase(java.util.Locale.ROOT));
      long retryAt = b.retryAt();
      if (retryAt > 0 && b.state() == CircuitBreaker.State.OPEN) m.put("retry_at", Instant.ofEpochMilli(retryAt).toString());
    });
    ArrayNode keys = n.putArray("keys");
    for (KeyPool.KeyState k : p.keys.states()) {
      ObjectNode kn = keys.addObject().put("index", k.index()).put("state", k.state());
      if (k.untilMillis() > 0) kn.put("until", Instant.ofEpochMilli(k.untilMillis()).toString());
    }
    Probe probe = probes.get(p.name());
    if (probe == null) {
      n.putNull("last_probe");
    } else {
      ObjectNode pr = n.putObject("last_probe");
      pr.put("at", Instant.ofEpochMilli(probe.atMillis()).toString()).put("ok", probe.ok()).put("latency_ms", probe.latencyMs());
      if (probe.status() > 0) pr.put("status", probe.status());
      else pr.putNull("status");
      pr.put("error", probe.error());
    }
    return n;
  }

  static int intOption(ProviderConfig c, String key, int dflt) { return (int) longOption(c, key, dflt); }

  /** A numeric option; one that does not parse keeps the default (the config loader reports it). */
  static long longOption(ProviderConfig c, String key, long dflt) {
    String v = c.option(key);
    if (v == null || v.isBlank()) return dflt;
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return dflt;
    }
  }
}
