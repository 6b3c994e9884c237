package io.junction.routing;

import java.util.List;

/** {@code strategy: weighted}: the first target drawn at random by weight, the rest likewise as failover. */
final class WeightedStrategy implements RoutingStrategy {
  @Override
  public List<Candidate> order(String virtualModel, List<Target> targets, RouteQuery query) {
    return RoutingStrategy.candidates(WeightedOrder.shuffle(targets, Target::weight));
  }
}
