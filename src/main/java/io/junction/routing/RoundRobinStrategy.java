package io.junction.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code strategy: round_robin}: each request starts one target further; the others follow in config order. */
final class RoundRobinStrategy implements RoutingStrategy {
  private final ConcurrentHashMap<String, AtomicInteger> cursors = new ConcurrentHashMap<>();

  @Override
  public List<Candidate> order(String virtualModel, List<Target> targets, RouteQuery query) {
    int n = targets.size();
    int start = Math.floorMod(cursors.computeIfAbsent(virtualModel, k -> new AtomicInteger()).getAndIncrement(), n);
    List<Candidate> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(targets.get((start + i) % n).candidate());
    return out;
  }
}
