package io.junction.routing;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Recent latency per provider+model as exponentially weighted moving averages, fed by every
 * successful attempt: total latency, and time to first token for streams. Read by the
 * least-latency and lowest-cost strategies.
 */
public final class LatencyTracker {
  /** Weight of the newest sample: about the last ten calls matter. */
  static final double ALPHA = 0.2;
  /** Clients choose model names ({@code provider/anything}): past this many targets, new ones go unmeasured. */
  static final int MAX_TARGETS = 10_000;

  private final ConcurrentHashMap<String, Averages> byTarget = new ConcurrentHashMap<>();

  private static final class Averages {
    double latencyMs = Double.NaN;
    double ttftMs = Double.NaN;

    synchronized void add(double latency, double ttft) {
      latencyMs = ewma(latencyMs, latency);
      if (ttft >= 0) ttftMs = ewma(ttftMs, ttft);
    }

    private static double ewma(double avg, double sample) { return Double.isNaN(avg) ? sample : avg + ALPHA * (sample - avg); }
  }

  /** One successful attempt; {@code ttftMs} is negative for answers that were not streamed. */
  public void record(String provider, String model, double latencyMs, double ttftMs) {
    String key = key(provider, model);
    Averages a = byTarget.get(key);
    if (a == null) {
      if (byTarget.size() >= MAX_TARGETS) return;
      a = byTarget.computeIfAbsent(key, k -> new Averages());
    }
    a.add(latencyMs, ttftMs);
  }

  /** Average total latency in ms, NaN while unmeasured. */
  public double latencyMs(String provider, String model) {
    Averages a = byTarget.get(key(provider, model));
    return a == null ? Double.NaN : a.latencyMs;
  }

  /** Average time to first token in ms (streams), NaN while unmeasured. */
  public double ttftMs(String provider, String model) {
    Averages a = byTarget.get(key(provider, model));
    return a == null ? Double.NaN : a.ttftMs;
  }

  /** What a caller waits for: time to first token for streams when known, else total latency. */
  public double expectedMs(String provider, String model, boolean stream) {
    double ttft = stream ? ttftMs(provider, model) : Double.NaN;
    return Double.isNaN(ttft) ? latencyMs(provider, model) : ttft;
  }

  private static String key(String provider, String model) { return provider + '\u0000' + model; }
}
