package io.junction.routing;

import java.util.List;

/** {@code strategy: fallback}: targets in config order. */
final class FallbackStrategy implements RoutingStrategy {
  @Override
  public List<Candidate> order(String virtualModel, List<Target> targets, RouteQuery query) {
    return RoutingStrategy.candidates(targets);
  }
}
