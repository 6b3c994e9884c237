package io.junction.routing;

import java.util.List;

/**
 * How a virtual model orders its targets for one request: the first is tried first, the others
 * are the failover order. {@code targets} are the usable ones, in config order.
 */
public interface RoutingStrategy {
  List<Candidate> order(String virtualModel, List<Target> targets, RouteQuery query);

  static List<Candidate> candidates(List<Target> targets) { return targets.stream().map(Target::candidate).toList(); }
}
