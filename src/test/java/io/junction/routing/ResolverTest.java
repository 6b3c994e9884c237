package io.junction.routing;

import static io.junction.routing.Providers.names;
import static io.junction.routing.Providers.openai;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.config.DispatchMode;
import io.junction.config.VirtualModelConfig;
import io.junction.config.VirtualModelConfig.Target;
import io.junction.protocol.GatewayException;
import io.junction.provider.ProviderRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Dispatch modes and virtual-model strategies: which candidates, in which order. */
class ResolverTest {
  static final List<String> KEY = List.of("k");
  final LatencyTracker latency = new LatencyTracker();

  private ModelResolver resolver(ProviderRegistry r, PriceLookup prices) {
    return new ModelResolver(r, io.junction.provider.Presets::familyOf, new HealthRegistry(r), latency, prices, RetryPolicy.DEFAULT);
  }

  private ModelResolver resolver(List<VirtualModelConfig> vms, Providers... ps) {
    return resolver(Providers.registry(vms, ps), PriceLookup.UNKNOWN);
  }

  private static VirtualModelConfig vm(String strategy, String sticky, Target... targets) {
    return new VirtualModelConfig("smart", strategy, List.of(targets), sticky);
  }

  private static Map<String, Integer> firstPicks(ModelResolver r, RouteQuery q, int n) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) counts.merge(names(r.resolve(q)).get(0), 1, Integer::sum);
    return counts;
  }

  @Test
  void exclusiveProvidersAloneWithoutFallback() {
    ModelResolver r = resolver(List.of(),
        openai("a", "http://a", KEY, "m"), openai("b", "http://b", KEY, "m").dispatch(DispatchMode.EXCLUSIVE),
        openai("c", "http://c", KEY, "m").dispatch(DispatchMode.FALLBACK), openai("d", "http://d", KEY, "m").dispatch(DispatchMode.EXCLUSIVE));
    assertThat(names(r.resolve("m"))).containsExactly("b", "d");
  }

  @Test
  void pooledByWeightThenFallbackInConfigOrderAndOffNever() {
    ModelResolver r = resolver(List.of(),
        openai("f2", "http://f2", KEY, "m").dispatch(DispatchMode.FALLBACK),
        openai("heavy", "http://h", KEY, "m").weight(3),
        openai("off", "http://o", KEY, "m").dispatch(DispatchMode.OFF),
        openai("light", "http://l", KEY, "m").weight(1),
        openai("f1", "http://f1", KEY, "m").dispatch(DispatchMode.FALLBACK));
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < 4000; i++) {
      List<String> order = names(r.resolve("m"));
      assertThat(order.subList(2, 4)).containsExactly("f2", "f1");
      assertThat(order.subList(0, 2)).containsExactlyInAnyOrder("heavy", "light");
      first.merge(order.get(0), 1, Integer::sum);
    }
    assertThat(first.get("heavy")).isBetween(2700, 3300); // 3:1 by weight
    assertThatThrownBy(() -> r.resolve("off/m")).isInstanceOf(GatewayException.class).hasMessageContaining("off/m");
  }

  @Test
  void fallbackStrategyKeepsConfigOrder() {
    ModelResolver r = resolver(List.of(vm("fallback", null, new Target("b", "mb", 1), new Target("a", "ma", 1))),
        openai("a", "http://a", KEY), openai("b", "http://b", KEY));
    List<Candidate> c = r.resolve("smart");
    assertThat(names(c)).containsExactly("b", "a");
    assertThat(c.get(0).upstreamModel()).isEqualTo("mb");
  }

  @Test
  void weightedStrategyPicksByWeight() {
    ModelResolver r = resolver(List.of(vm("weighted", null, new Target("a", "m", 1), new Target("b", "m", 3))),
        openai("a", "http://a", KEY), openai("b", "http://b", KEY));
    assertThat(firstPicks(r, RouteQuery.of("smart"), 4000).get("b")).isBetween(2700, 3300);
  }

  @Test
  void roundRobinRotatesTheFirstTarget() {
    ModelResolver r = resolver(List.of(vm("round_robin", null, new Target("a", "m", 1), new Target("b", "m", 1), new Target("c", "m", 1))),
        openai("a", "http://a", KEY), openai("b", "http://b", KEY), openai("c", "http://c", KEY));
    assertThat(names(r.resolve("smart"))).containsExactly("a", "b", "c");
    assertThat(names(r.resolve("smart"))).containsExactly("b", "c", "a");
    assertThat(names(r.resolve("smart"))).containsExactly("c", "a", "b");
    assertThat(names(r.resolve("smart"))).containsExactly("a", "b", "c");
  }

  @Test
  void leastLatencyPrefersUnmeasuredThenFastestAndUsesTtftForStreams() {
    ModelResolver r = resolver(List.of(vm("least_latency", null, new Target("slow", "m", 1), new Target("fast", "m", 1), new Target("new", "m", 1))),
        openai("slow", "http://s", KEY), openai("fast", "http://f", KEY), openai("new", "http://n", KEY));
    latency.record("slow", "m", 900, 50);
    latency.record("fast", "m", 300, 200);
    assertThat(names(r.resolve("smart"))).containsExactly("new", "fast", "slow");
    assertThat(names(r.resolve(new RouteQuery("smart", null, true)))).containsExactly("new", "slow", "fast");
    latency.record("new", "m", 5000, -1);
    assertThat(names(r.resolve("smart"))).containsExactly("fast", "slow", "new");
  }

  @Test
  void lowestCostCheapestFirstTiesByLatencyUnpricedLast() {
    Map<String, Double> prices = Map.of("a", 10.0, "b", 2.0, "c", 2.0);
    ProviderRegistry reg = Providers.registry(List.of(vm("lowest_cost", null,
            new Target("a", "m", 1), new Target("b", "m", 1), new Target("c", "m", 1), new Target("d", "m", 1))),
        openai("a", "http://a", KEY), openai("b", "http://b", KEY), openai("c", "http://c", KEY), openai("d", "http://d", KEY));
    ModelResolver r = resolver(reg, (provider, model) -> prices.getOrDefault(provider, Double.NaN));
    latency.record("b", "m", 800, -1);
    latency.record("c", "m", 100, -1);
    assertThat(names(r.resolve("smart"))).containsExactly("c", "b", "a", "d");
  }

  @Test
  void stickyUserAlwaysLandsOnTheSameTargetAndUsersSpread() {
    ModelResolver r = resolver(List.of(vm("weighted", "user", new Target("a", "m", 1), new Target("b", "m", 1), new Target("c", "m", 1))),
        openai("a", "http://a", KEY), openai("b", "http://b", KEY), openai("c", "http://c", KEY));
    Set<String> homes = new HashSet<>();
    for (int u = 0; u < 60; u++) {
      RouteQuery q = new RouteQuery("smart", "user-" + u, false);
      Map<String, Integer> picks = firstPicks(r, q, 20);
      assertThat(picks).hasSize(1);
      homes.addAll(picks.keySet());
      assertThat(r.resolve(q)).hasSize(3); // the others stay as failover
    }
    assertThat(homes).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void unknownStrategyIsAClearError() {
    ModelResolver r = resolver(List.of(vm("fastest", null, new Target("a", "m", 1))), openai("a", "http://a", KEY));
    assertThatThrownBy(() -> r.resolve("smart")).isInstanceOf(GatewayException.class)
        .hasMessageContaining("unknown strategy 'fastest'");
  }
}
