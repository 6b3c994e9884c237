package io.junction.routing;

import io.junction.config.DispatchMode;
import io.junction.config.ProviderConfig;
import io.junction.config.VirtualModelConfig;
import io.junction.provider.Provider;
import io.junction.provider.ProviderRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds provider configs for routing tests: defaults, then only what a test cares about. */
final class Providers {
  private ProviderConfig c;

  private Providers(String name, String baseUrl, List<String> keys, List<String> models) {
    c = ProviderConfig.simple(name, "openai", baseUrl, keys, models);
  }

  static Providers openai(String name, String baseUrl, List<String> keys, String... models) {
    return new Providers(name, baseUrl, keys, List.of(models));
  }

  Providers dispatch(DispatchMode d) {
    c = new ProviderConfig(c.name(), c.type(), c.preset(), c.baseUrl(), c.apiKeys(), d, c.weight(), c.models(), c.timeoutMs(),
        c.connectTimeoutMs(), c.firstByteTimeoutMs(), c.idleTimeoutMs(), c.maxRetries(), c.headers(), c.enabled(), c.options());
    return this;
  }

  Providers weight(int w) {
    c = new ProviderConfig(c.name(), c.type(), c.preset(), c.baseUrl(), c.apiKeys(), c.dispatch(), w, c.models(), c.timeoutMs(),
        c.connectTimeoutMs(), c.firstByteTimeoutMs(), c.idleTimeoutMs(), c.maxRetries(), c.headers(), c.enabled(), c.options());
    return this;
  }

  Providers retries(int n) {
    c = new ProviderConfig(c.name(), c.type(), c.preset(), c.baseUrl(), c.apiKeys(), c.dispatch(), c.weight(), c.models(), c.timeoutMs(),
        c.connectTimeoutMs(), c.firstByteTimeoutMs(), c.idleTimeoutMs(), n, c.headers(), c.enabled(), c.options());
    return this;
  }

  /** Total, connect, first-byte and idle timeouts in ms (0 = none). */
  Providers timeouts(long total, long connect, long firstByte, long idle) {
    c = new ProviderConfig(c.name(), c.type(), c.preset(), c.baseUrl(), c.apiKeys(), c.dispatch(), c.weight(), c.models(), total,
        connect, firstByte, idle, c.maxRetries(), c.headers(), c.enabled(), c.options());
    return this;
  }

  Providers option(String key, String value) {
    Map<String, String> o = new HashMap<>(c.options());
    o.put(key, value);
    c = new ProviderConfig(c.name(), c.type(), c.preset(), c.baseUrl(), c.apiKeys(), c.dispatch(), c.weight(), c.models(), c.timeoutMs(),
        c.connectTimeoutMs(), c.firstByteTimeoutMs(), c.idleTimeoutMs(), c.maxRetries(), c.headers(), c.enabled(), Map.copyOf(o));
    return this;
  }

  ProviderConfig config() { return c; }

  static ProviderRegistry registry(List<VirtualModelConfig> vms, Providers... ps) {
    return new ProviderRegistry(java.util.Arrays.stream(ps).map(Providers::config).toList(), vms);
  }

  static List<String> names(List<Candidate> cs) { return cs.stream().map(c -> c.provider().name()).toList(); }

  static Provider provider(ProviderRegistry r, String name) { return r.snapshot().provider(name); }
}
