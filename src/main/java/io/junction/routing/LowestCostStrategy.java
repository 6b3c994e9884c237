package io.junction.routing;

import java.util.Comparator;
import java.util.List;

/** {@code strategy: lowest_cost}: cheapest first; unpriced targets last; equal prices by latency. */
final class LowestCostStrategy implements RoutingStrategy {
  private final PriceLookup prices;
  private final LatencyTracker latency;

  LowestCostStrategy(PriceLookup prices, LatencyTracker latency) {
    this.prices = prices;
    this.latency = latency;
  }

  @Override
  public List<Candidate> order(String virtualModel, List<Target> targets, RouteQuery query) {
    Comparator<Target> byPrice = Comparator.comparingDouble(t -> {
      double p = prices.perMillionTokens(t.provider(), t.model());
      return Double.isNaN(p) ? Double.POSITIVE_INFINITY : p;
    });
    return targets.stream().sorted(byPrice.thenComparing(LeastLatencyStrategy.byLatency(latency, query)))
        .map(Target::candidate).toList();
  }
}
