package io.junction.config;

import java.util.List;
import java.util.Map;

/**
 * One upstream provider as configured (file, environment, or management API), after presets are
 * applied. {@code type} names the adapter; {@code options} carries adapter-specific settings
 * (azure {@code api_version}, bedrock {@code region}). Timeouts are in milliseconds; 0 = none.
 */
public record ProviderConfig(
    String name,
    String type,
    String preset,
    String baseUrl,
    List<String> apiKeys,
    DispatchMode dispatch,
    int weight,
    List<String> models,
    long timeoutMs,
    long connectTimeoutMs,
    long firstByteTimeoutMs,
    long idleTimeoutMs,
    int maxRetries,
    Map<String, String> headers,
    boolean enabled,
    Map<String, String> options) {

  public static final long DEFAULT_TIMEOUT_MS = 600_000;
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_FIRST_BYTE_TIMEOUT_MS = 120_000;
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 120_000;
  public static final int DEFAULT_MAX_RETRIES = 2;

  /** A provider with defaults for everything but name, type, base URL, keys and models. */
  public static ProviderConfig simple(String name, String type, String baseUrl, List<String> keys, List<String> models) {
    return new ProviderConfig(name, type, null, baseUrl, keys, DispatchMode.POOLED, 1, models,
        DEFAULT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_FIRST_BYTE_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS,
        DEFAULT_MAX_RETRIES, Map.of(), true, Map.of());
  }

  public static final int DEFAULT_MAX_CONNECTIONS = 1024;
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L << 20;

  public String option(String key) { return options == null ? null : options.get(key); }

  /** Connections the gateway opens to this upstream at most; as many requests again may wait for one. */
  public int maxConnections() {
    String v = option("max_connections");
    return v == null ? DEFAULT_MAX_CONNECTIONS : (int) Math.max(1, Math.min(Integer.MAX_VALUE, Long.parseLong(v)));
  }

  /** The largest non-stream answer (or error body) the gateway reads from this upstream; larger is a 502. */
  public long maxResponseBytes() {
    String v = option("max_response_bytes");
    return v == null ? DEFAULT_MAX_RESPONSE_BYTES : Math.max(1, Long.parseLong(v));
  }
}
