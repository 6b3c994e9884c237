package io.junction.routing;

/** A virtual model's target with its weight (weighted strategy, sticky hashing). */
public record Target(Candidate candidate, int weight) {
  public String provider() { return candidate.provider().name(); }

  public String model() { return candidate.upstreamModel(); }
}
