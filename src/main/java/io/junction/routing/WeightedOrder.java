package io.junction.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToIntFunction;

/** Weighted random order without replacement: each position is drawn by weight among the rest. */
final class WeightedOrder {
  private WeightedOrder() {}

  static <T> List<T> shuffle(List<T> items, ToIntFunction<T> weight) {
    List<T> rest = new ArrayList<>(items);
    List<T> out = new ArrayList<>(items.size());
    while (!rest.isEmpty()) out.add(rest.remove(pick(rest, weight)));
    return out;
  }

  /** Negative weights count as 0; when all are 0 the pick is uniform. */
  private static <T> int pick(List<T> pool, ToIntFunction<T> weight) {
    if (pool.size() == 1) return 0;
    long total = 0;
    for (T t : pool) total += Math.max(0, weight.applyAsInt(t));
    if (total == 0) return ThreadLocalRandom.current().nextInt(pool.size());
    long r = ThreadLocalRandom.current().nextLong(total);
    for (int i = 0; i < pool.size(); i++) {
      r -= Math.max(0, weight.applyAsInt(pool.get(i)));
      if (r < 0) return i;
    }
    return pool.size() - 1;
  }
}
