package io.junction.routing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * {@code sticky: user}: one end user always lands on the same target, chosen by weighted
 * rendezvous hashing — adding or removing a target moves only the users of that target. The
 * strategy's order follows as the failover.
 */
final class StickyUser {
  private StickyUser() {}

  static List<Candidate> pin(String user, List<Target> targets, List<Candidate> ordered) {
    Target home = home(user, targets);
    List<Candidate> out = new ArrayList<>(ordered.size());
    out.add(home.candidate());
    for (Candidate c : ordered) if (!c.equals(home.candidate())) out.add(c);
    return out;
  }

  static Target home(String user, List<Target> targets) {
    Target best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (Target t : targets) {
      double score = score(user, t);
      if (score > bestScore) {
        bestScore = score;
        best = t;
      }
    }
    return best;
  }

  /** Weighted rendezvous score: -w / ln(u), u a hash of (user, target) in (0, 1). */
  private static double score(String user, Target t) {
    CRC32C crc = new CRC32C();
    crc.update((user + '\u0000' + t.provider() + '\u0000' + t.model()).getBytes(StandardCharsets.UTF_8));
    long h = mix(crc.getValue());
    double u = ((h >>> 11) + 0.5) / (1L << 53);
    return -Math.max(1, t.weight()) / Math.log(u);
  }

  /** A 64-bit finalizer (SplitMix64) so close inputs spread over the whole range. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
