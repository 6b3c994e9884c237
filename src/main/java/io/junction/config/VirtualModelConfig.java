package io.junction.config;

import java.util.List;

/** A virtual model: a name clients use, served by targets chosen by a strategy. */
public record VirtualModelConfig(String name, String strategy, List<Target> targets, String sticky) {

  public record Target(String provider, String model, int weight) {}
}
