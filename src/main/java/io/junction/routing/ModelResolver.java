package io.junction.routing;

import io.junction.catalog.ModelCatalog;
import io.junction.catalog.ModelInfo;
import io.junction.config.DispatchMode;
import io.junction.config.VirtualModelConfig;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.protocol.ModelNames;
import io.junction.provider.Provider;
import io.junction.provider.ProviderRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a client model name into the ordered candidates that may serve it (CONTRACT §3): explicit
 * {@code provider/model}, virtual models (ordered by their strategy, pinned per user when sticky),
 * model lists, then model families; then dispatch modes. Availability (breakers, keys, probes) is
 * applied later, attempt by attempt, by the {@link RoutePlan}.
 */
public final class ModelResolver {
  /** Strategy names a virtual model may use (for config validation). */
  public static final Set<String> STRATEGIES = Set.of("fallback", "weighted", "round_robin", "least_latency", "lowest_cost");
  /** The only {@code sticky} value: pin each end user to one target. */
  public static final String STICKY_USER = "user";

  private final ProviderRegistry registry;
  /** Model name to provider family ("openai", "anthropic", "mistral", …) or null. */
  private final Function<String, String> familyOf;
  private final HealthRegistry health;
  private final LatencyTracker latency;
  private final RetryPolicy policy;
  private final Map<String, RoutingStrategy> strategies;
  private final ModelCatalog catalog = ModelCatalog.shipped();

  public ModelResolver(ProviderRegistry registry, Function<String, String> familyOf) {
    this(registry, familyOf, new HealthRegistry(registry), new LatencyTracker(), PriceLookup.UNKNOWN, RetryPolicy.DEFAULT);
  }

  public ModelResolver(ProviderRegistry registry, Function<String, String> familyOf, HealthRegistry health,
      LatencyTracker latency, PriceLookup prices, RetryPolicy policy) {
    this.registry = registry;
    this.familyOf = familyOf;
    this.health = health;
    this.latency = latency;
    this.policy = policy;
    this.strategies = Map.of(
        "fallback", new FallbackStrategy(),
        "weighted", new WeightedStrategy(),
        "round_robin", new RoundRobinStrategy(),
        "least_latency", new LeastLatencyStrategy(latency),
        "lowest_cost", new LowestCostStrategy(prices, latency));
  }

  public HealthRegistry health() { return health; }

  public LatencyTracker latency() { return latency; }

  /** The route plan for one request; throws 404 {@code model_not_found} when nothing serves the model. */
  public RoutePlan plan(RouteQuery query) {
    return new RoutePlan(query.model(), resolve(query), health, latency, policy);
  }

  /** The candidates in the order to try them; throws 404 {@code model_not_found} when there are none. */
  public List<Candidate> resolve(String model) { return resolve(RouteQuery.of(model)); }

  public List<Candidate> resolve(RouteQuery query) {
    // Every protocol's model name passes here before it can reach a URL, a header or a label.
    String model = ModelNames.check(query.model());
    ProviderRegistry.Snapshot s = registry.snapshot();
    List<Candidate> explicit = explicit(s, model);
    if (explicit != null) {
      if (explicit.isEmpty()) throw GatewayException.modelNotFound(model);
      return capable(query, explicit);
    }
    VirtualModelConfig vm = s.virtualModels().get(model);
    if (vm != null) return capable(query, virtualModel(s, vm, query));
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
    return capable(query, dispatch(matched));
  }

  private List<Candidate> virtualModel(ProviderRegistry.Snapshot s, VirtualModelConfig vm, RouteQuery query) {
    List<Target> targets = new ArrayList<>();
    for (VirtualModelConfig.Target t : vm.targets()) {
      Provider p = s.provider(t.provider());
      if (usable(p)) targets.add(new Target(new Candidate(p, t.model()), t.weight()));
    }
    if (targets.isEmpty()) throw GatewayException.modelNotFound(vm.name());
    String name = vm.strategy() == null ? "fallback" : vm.strategy();
    RoutingStrategy strategy = strategies.get(name);
    if (strategy == null) {
      throw new GatewayException(ErrorKind.API_ERROR, 500, "invalid_config", "model",
          "Virtual model '" + vm.name() + "' has unknown strategy '" + name + "'; expected one of " + STRATEGIES);
    }
    List<Candidate> ordered = strategy.order(vm.name(), targets, query);
    boolean sticky = STICKY_USER.equals(vm.sticky()) && query.user() != null && !query.user().isEmpty();
    return sticky ? StickyUser.pin(query.user(), targets, ordered) : ordered;
  }

  /**
   * The candidates whose model can take the request's images and tools, in order. A model the
   * catalog does not know is kept; when the catalog rules every candidate out the request is a 400
   * naming them, rather than an upstream error from each.
   */
  private List<Candidate> capable(RouteQuery q, List<Candidate> candidates) {
    if (!q.needsImages() && !q.needsTools()) return candidates;
    List<Candidate> able = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (Candidate c : candidates) {
      Provider p = c.provider();
      ModelInfo info = catalog.find(p.name(), c.upstreamModel())
          .or(() -> p.config.preset() == null ? java.util.Optional.empty() : catalog.find(p.config.preset(), c.upstreamModel()))
          .orElse(null);
      boolean images = info == null || info.mayTakeImages();
      boolean tools = info == null || info.mayTakeTools();
      if ((!q.needsImages() || images) && (!q.needsTools() || tools)) able.add(c);
      else refused.add(p.name() + "/" + c.upstreamModel() + " takes no " + (q.needsImages() && !images ? "images" : "tools"));
    }
    if (able.isEmpty()) {
      throw new GatewayException(ErrorKind.INVALID_REQUEST, 400, "model_capability", "model",
          "No provider for '" + q.model() + "' can take this request: " + String.join("; ", refused));
    }
    return able;
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
   * CONTRACT §3.4: exclusive providers alone if any (in config order, no fallback); else pooled
   * ones in weighted-random order, then fallback ones in config order. The plan skips unavailable
   * ones, so fallback providers are reached only when every pooled one failed or is unavailable.
   */
  static List<Candidate> dispatch(List<Candidate> matched) {
    List<Candidate> exclusive = matched.stream().filter(c -> c.provider().config.dispatch() == DispatchMode.EXCLUSIVE).toList();
    if (!exclusive.isEmpty()) return exclusive;
    List<Candidate> pooled = matched.stream().filter(c -> c.provider().config.dispatch() == DispatchMode.POOLED).toList();
    List<Candidate> ordered = new ArrayList<>(WeightedOrder.shuffle(pooled, c -> c.provider().config.weight()));
    matched.stream().filter(c -> c.provider().config.dispatch() == DispatchMode.FALLBACK).forEach(ordered::add);
    return ordered;
  }
}
