package io.junction.routing;

import io.junction.config.DispatchMode;
import io.junction.config.VirtualModelConfig;
import io.junction.protocol.GatewayException;
import io.junction.provider.Provider;
import io.junction.provider.ProviderRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Turns a client model name into the ordered candidates that may serve it (CONTRACT §3): explicit
 * {@code provider/model}, virtual models, model lists, then model families; then dispatch modes.
 */
public final class ModelResolver {
  private final ProviderRegistry registry;
  /** Model name to provider family ("openai", "anthropic", "mistral", …) or null. */
  private final Function<String, String> familyOf;

  public ModelResolver(ProviderRegistry registry, Function<String, String> familyOf) {
    this.registry = registry;
    this.familyOf = familyOf;
  }

  /** The candidates in the order to try them; throws 404 {@code model_not_found} when there are none. */
  public List<Candidate> resolve(String model) {
    ProviderRegistry.Snapshot s = registry.snapshot();
    List<Candidate> explicit = explicit(s, model);
    if (explicit != null) {
      if (explicit.isEmpty()) throw GatewayException.modelNotFound(model);
      return explicit;
    }
    VirtualModelConfig vm = s.virtualModels().get(model);
    if (vm != null) {
      List<Candidate> targets = new ArrayList<>();
      for (VirtualModelConfig.Target t : vm.targets()) {
        Provider p = s.provider(t.provider());
        if (usable(p)) targets.add(new Candidate(p, t.model()));
      }
      if (targets.isEmpty()) throw GatewayException.modelNotFound(model);
      return targets;
    }
    List<Candidate> matched = new ArrayList<>();
    for (Provider p : s.providers()) {
      if (!usable(p)) continue;
      String upstream = p.match(model);
      if (upstream != null) matched.add(new Candidate(p, upstream));
    }
    if (matched.isEmpty()) {
      String family = familyOf.apply(model);
      if (family != null) {
        for (Provider p : s.providers()) if (usable(p) && inFamily(p, family)) matched.add(new Candidate(p, model));
      }
    }
    if (matched.isEmpty()) throw GatewayException.modelNotFound(model);
    return dispatch(matched);
  }

  /** {@code provider/model} or {@code provider:model} naming a configured provider; null if not explicit. */
  private static List<Candidate> explicit(ProviderRegistry.Snapshot s, String model) {
    int cut = -1;
    for (int i = 0; i < model.length(); i++) {
      char c = model.charAt(i);
      if (c == '/' || c == ':') { cut = i; break; }
    }
    if (cut <= 0 || cut == model.length() - 1) return null;
    Provider p = s.provider(model.substring(0, cut));
    if (p == null) return null;
    return usable(p) ? List.of(new Candidate(p, model.substring(cut + 1))) : List.of();
  }

  private static boolean usable(Provider p) {
    return p != null && p.config.enabled() && p.config.dispatch() != DispatchMode.OFF;
  }

  /** A provider is in a family by its preset, or by its type when it has no preset, or by its name. */
  private static boolean inFamily(Provider p, String family) {
    String kind = p.config.preset() != null ? p.config.preset() : p.config.type();
    return family.equals(kind) || family.equals(p.name());
  }

  /**
   * CONTRACT §3.4: exclusive providers alone if any; else pooled ones in weighted-random order,
   * then fallback ones in config order.
   */
  static List<Candidate> dispatch(List<Candidate> matched) {
    List<Candidate> exclusive = matched.stream().filter(c -> c.provider().config.dispatch() == DispatchMode.EXCLUSIVE).toList();
    if (!exclusive.isEmpty()) return exclusive;
    List<Candidate> pooled = new ArrayList<>(matched.stream().filter(c -> c.provider().config.dispatch() == DispatchMode.POOLED).toList());
    List<Candidate> ordered = new ArrayList<>(matched.size());
    while (!pooled.isEmpty()) ordered.add(pooled.remove(pickWeighted(pooled)));
    matched.stream().filter(c -> c.provider().config.dispatch() == DispatchMode.FALLBACK).forEach(ordered::add);
    return ordered;
  }

  private static int pickWeighted(List<Candidate> pool) {
    if (pool.size() == 1) return 0;
    long total = 0;
    for (Candidate c : pool) total += Math.max(0, c.provider().config.weight());
    if (total == 0) return ThreadLocalRandom.current().nextInt(pool.size());
    long r = ThreadLocalRandom.current().nextLong(total);
    for (int i = 0; i < pool.size(); i++) {
      r -= Math.max(0, pool.get(i).provider().config.weight());
      if (r < 0) return i;
    }
    return pool.size() - 1;
  }
}
