package io.junction.routing;

import java.util.Comparator;
import java.util.List;

/**
 * {@code strategy: least_latency}: fastest first by the moving average of recent calls (time to
 * first token for streams). Unmeasured targets go first, so each gets measured.
 */
final class LeastLatencyStrategy implements RoutingStrategy {
  private final LatencyTracker latency;

  LeastLatencyStrategy(LatencyTracker latency) { this.latency = latency; }

  @Override
  public List<Candidate> order(String virtualModel, List<Target> targets, RouteQuery query) {
    return targets.stream().sorted(byLatency(latency, query)).map(Target::candidate).toList();
  }

  /** Ascending expected latency, unmeasured (NaN) first; stable, so ties keep config order. */
  static Comparator<Target> byLatency(LatencyTracker latency, RouteQuery query) {
    return Comparator.comparingDouble(t -> {
      double ms = latency.expectedMs(t.provider(), t.model(), query.stream());
      return Double.isNaN(ms) ? -1 : ms;
    });
  }
}
