package io.junction.config;

/** A price override, USD per 1M tokens. Cached-input and cache-write prices are optional. */
public record PriceConfig(String model, double input, double output, Double cachedInput, Double cacheWrite) {}
