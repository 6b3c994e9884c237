package io.junction.config;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every key the configuration accepts, per section: the single table that unknown-key checks use.
 * Adding a key is one line here plus the line that reads it.
 */
final class ConfigKeys {
  private ConfigKeys() {}

  static final Set<String> ROOT = Set.of(
      "server", "auth", "storage", "redis", "upstream_proxy", "logs", "responses", "providers", "models", "pricing", "cache");
  static final Set<String> SERVER = Set.of("host", "port", "max_body_bytes", "shutdown_grace_ms", "idle_timeout_ms",
      "header_timeout_ms", "max_connections");
  static final Set<String> AUTH = Set.of("master_key");
  static final Set<String> STORAGE = Set.of("url");
  static final Set<String> REDIS = Set.of("url", "fail_closed");
  static final Set<String> LOGS = Set.of("retention_days", "store_bodies");
  static final Set<String> RESPONSES = Set.of("retention_days");
  static final Set<String> CACHE = Set.of("enabled", "ttl_seconds", "max_entries", "max_entry_bytes");

  static final Set<String> PROVIDER_FIELDS = Set.of(
      "name", "type", "preset", "base_url", "api_keys", "dispatch", "weight", "models", "timeout_ms",
      "connect_timeout_ms", "first_byte_timeout_ms", "idle_timeout_ms", "max_retries", "headers", "enabled");

  /** Adapter options: accepted on any provider and collected into {@link ProviderConfig#options()}. */
  enum ProviderOption {
    API_VERSION("api_version", false),            // azure
    REGION("region", false),                      // bedrock
    PROJECT("project", false),                    // vertex (default: the service account's project)
    LOCATION("location", false),                  // vertex (default: global)
    PUBLISHER("publisher", false),                // vertex: google (Gemini) | anthropic (Claude)
    HEALTH_CHECK_INTERVAL_MS("health_check_interval_ms", true),
    MAX_CONNECTIONS("max_connections", true),         // connections to this upstream (CONTRACT §2)
    MAX_RESPONSE_BYTES("max_response_bytes", true),   // largest non-stream answer read
    RESPONSES_API("responses_api", false);            // openai, azure: serves POST /v1/responses itself

    final String key;
    final boolean nonNegativeInteger;

    ProviderOption(String key, boolean nonNegativeInteger) {
      this.key = key;
      this.nonNegativeInteger = nonNegativeInteger;
    }
  }

  static final Set<String> PROVIDER = union(PROVIDER_FIELDS,
      Arrays.stream(ProviderOption.values()).map(o -> o.key).toList());

  /** Provider keys the environment may supply when the file gives none (CONTRACT §2: file wins field by field). */
  static final List<String> ENV_MERGEABLE = List.of(
      "api_keys", "base_url", "dispatch", "enabled", ProviderOption.API_VERSION.key, ProviderOption.REGION.key,
      ProviderOption.PROJECT.key, ProviderOption.LOCATION.key);

  static final Set<String> VIRTUAL_MODEL = Set.of("name", "strategy", "targets", "sticky");
  static final Set<String> TARGET = Set.of("provider", "model", "weight");
  static final Set<String> PRICE = Set.of("model", "input", "output", "cached_input", "cache_write");

  static final List<String> TYPES = List.of("openai", "openai-responses", "anthropic", "gemini", "cohere", "bedrock", "azure", "vertex", "echo");
  static final List<String> STRATEGIES = List.of("fallback", "weighted", "round_robin", "least_latency", "lowest_cost");

  private static Set<String> union(Set<String> a, List<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
