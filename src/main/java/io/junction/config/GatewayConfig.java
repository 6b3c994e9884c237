package io.junction.config;

import java.util.List;

/** The whole, validated configuration (CONTRACT §2), after environment substitution and merging. */
public record GatewayConfig(
    Server server,
    String masterKey,
    String storageUrl,
    String redisUrl,
    /** With Redis unreachable: true answers 503, false falls back to each instance's own limits. */
    boolean redisFailClosed,
    String upstreamProxy,
    Logs logs,
    Responses responses,
    List<ProviderConfig> providers,
    List<VirtualModelConfig> models,
    List<PriceConfig> pricing,
    /** The response cache; null when the config has no {@code cache:} section (or it says {@code enabled: false}). */
    Cache cache) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8094;
  public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
  public static final String DEFAULT_STORAGE_URL = "jdbc:sqlite:junction.db";

  public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;
  public static final long DEFAULT_HEADER_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_MAX_CONNECTIONS = 20_000;

  /**
   * The listener (CONTRACT §2). {@code idleTimeoutMs}: a client connection with no request in
   * flight is closed after this long; {@code headerTimeoutMs}: a request's head and body must
   * arrive within this from its first byte; {@code maxConnections}: connections beyond this are
   * closed as they are accepted. 0 turns a timeout off.
   */
  public record Server(String host, int port, long maxBodyBytes, long shutdownGraceMs, long idleTimeoutMs,
      long headerTimeoutMs, int maxConnections) {

    public Server(String host, int port, long maxBodyBytes, long shutdownGraceMs) {
      this(host, port, maxBodyBytes, shutdownGraceMs, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_HEADER_TIMEOUT_MS,
          DEFAULT_MAX_CONNECTIONS);
    }

    public Server withAddress(String h, int p) {
      return new Server(h, p, maxBodyBytes, shutdownGraceMs, idleTimeoutMs, headerTimeoutMs, maxConnections);
    }

    public Server withLimits(long idleMs, long headerMs, int connections) {
      return new Server(host, port, maxBodyBytes, shutdownGraceMs, idleMs, headerMs, connections);
    }
  }

  /** Request-log settings: retention in days (0 = keep forever), whether bodies are stored. */
  public record Logs(int retentionDays, boolean storeBodies) {}

  /** Stored Responses API responses: kept this many days (0 = forever). */
  public record Responses(int retentionDays) {}

  public static final long DEFAULT_CACHE_TTL_SECONDS = 3_600;
  public static final int DEFAULT_CACHE_MAX_ENTRIES = 1_000;
  public static final int DEFAULT_CACHE_MAX_ENTRY_BYTES = 256 * 1024;

  /**
   * The exact-match response cache: answers live {@code ttlSeconds}; the in-memory store keeps at
   * most {@code maxEntries} (least recently used go first); an answer over {@code maxEntryBytes}
   * is not stored.
   */
  public record Cache(long ttlSeconds, int maxEntries, int maxEntryBytes) {
    public static Cache defaults() {
      return new Cache(DEFAULT_CACHE_TTL_SECONDS, DEFAULT_CACHE_MAX_ENTRIES, DEFAULT_CACHE_MAX_ENTRY_BYTES);
    }
  }

  public static GatewayConfig defaults() {
    return new GatewayConfig(new Server(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, 30_000), null,
        DEFAULT_STORAGE_URL, null, false, null, new Logs(30, false), new Responses(30), List.of(), List.of(), List.of(), null);
  }

  public GatewayConfig withProviders(List<ProviderConfig> p) {
    return new GatewayConfig(server, masterKey, storageUrl, redisUrl, redisFailClosed, upstreamProxy, logs, responses, p, models, pricing, cache);
  }

  public GatewayConfig withServer(Server s) {
    return new GatewayConfig(s, masterKey, storageUrl, redisUrl, redisFailClosed, upstreamProxy, logs, responses, providers, models, pricing, cache);
  }

  public GatewayConfig withMasterKey(String k) {
    return new GatewayConfig(server, k, storageUrl, redisUrl, redisFailClosed, upstreamProxy, logs, responses, providers, models, pricing, cache);
  }

  public GatewayConfig withStorageUrl(String u) {
    return new GatewayConfig(server, masterKey, u, redisUrl, redisFailClosed, upstreamProxy, logs, responses, providers, models, pricing, cache);
  }

  public GatewayConfig withModels(List<VirtualModelConfig> m) {
    return new GatewayConfig(server, masterKey, storageUrl, redisUrl, redisFailClosed, upstreamProxy, logs, responses, providers, m, pricing, cache);
  }

  public GatewayConfig withCache(Cache c) {
    return new GatewayConfig(server, masterKey, storageUrl, redisUrl, redisFailClosed, upstreamProxy, logs, responses, providers, models, pricing, c);
  }
}
