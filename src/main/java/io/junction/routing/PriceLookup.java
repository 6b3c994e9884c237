package io.junction.routing;

/**
 * Price of a provider's model for {@code lowest_cost} routing: USD per 1M tokens (input plus
 * output, or any blend used consistently), NaN when unknown. The pricing catalog plugs in here.
 */
@FunctionalInterface
public interface PriceLookup {
  double perMillionTokens(String provider, String model);

  PriceLookup UNKNOWN = (provider, model) -> Double.NaN;
}
