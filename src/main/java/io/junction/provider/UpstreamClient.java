package io.junction.provider;

import io.junction.config.ProviderConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The pooled HTTP client for every upstream. TLS upstreams negotiate HTTP/2 by ALPN (falling back
 * to HTTP/1.1); plain-HTTP upstreams (local servers) use HTTP/1.1 keep-alive, since h2c upgrade
 * would break servers that don't offer it.
 */
public final class UpstreamClient {
  /**
   * Streams an HTTP/2 connection is counted on for: RFC 9113's recommended floor for
   * SETTINGS_MAX_CONCURRENT_STREAMS, and what most servers offer (some offer more).
   */
  static final int HTTP2_STREAMS_PER_CONNECTION = 100;
  /** The fewest HTTP/2 connections a provider's pool may open. */
  private static final int HTTP2_MIN_CONNECTIONS = 8;
  /**
   * The connection-level flow-control window for HTTP/2 upstreams. HTTP/2's default, 64 KiB,
   * is shared by every stream on the connection: a hundred streams at once then arrive in bursts
   * as window updates come back (and each stream's first bytes late). Each stream keeps the default
   * 64 KiB window, so a stream paused for a slow client still holds at most that.
   */
  static final int HTTP2_CONNECTION_WINDOW = 16 * 1024 * 1024;

  private final Vertx vertx;
  private final HttpClientOptions tlsOptions;
  private final HttpClientOptions plainOptions;
  /** The live providers, whose configs size the pools; null for a standalone client (each call's own config). */
  private final ProviderRegistry registry;
  /**
   * One client (so one connection pool) per provider and scheme, sized by the provider's
   * {@code max_connections}: it bounds its connections (over HTTP/2, {@link #http2Connections}), and
   * as many requests again may wait for one; past that a request fails at once (503) instead of
   * queueing without bound. Guarded by itself.
   */
  private final Map<String, Pool> pools = new HashMap<>();

  /** One provider's connection pool, and how many calls are still opening a request on it (until its answer's head). */
  private static final class Pool {
    final String provider;
    final int maxConnections;
    final long graceMs;
    final HttpClientAgent agent;
    int opening;
    boolean retired;

    Pool(String provider, int maxConnections, long graceMs, HttpClientAgent agent) {
      this.provider = provider;
      this.maxConnections = maxConnections;
      this.graceMs = graceMs;
      this.agent = agent;
    }
  }

  /** A standalone client: each call's own config sizes its provider's pool, and no pool is replaced. */
  public UpstreamClient(Vertx vertx, String proxyUrl) { this(vertx, proxyUrl, null); }

  /**
   * A client over {@code registry}'s providers: a pool is sized by its provider's live config, and
   * when a change gives the provider another {@code max_connections}, or removes it, its old pool
   * takes no more requests and closes once the calls on it are answered.
   */
  public UpstreamClient(Vertx vertx, String proxyUrl, ProviderRegistry registry) {
    this.vertx = vertx;
    this.registry = registry;
    HttpClientOptions base = new HttpClientOptions()
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setDecompressionSupported(false)
        .setMaxInitialLineLength(16 * 1024)
        .setMaxHeaderSize(64 * 1024);
    if (proxyUrl != null && !proxyUrl.isBlank()) base.setProxyOptions(proxy(proxyUrl));
    this.tlsOptions = new HttpClientOptions(base).setSsl(true).setUseAlpn(true)
        .setProtocolVersion(HttpVersion.HTTP_2).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
        .setHttp2ConnectionWindowSize(HTTP2_CONNECTION_WINDOW);
    this.plainOptions = new HttpClientOptions(base).setProtocolVersion(HttpVersion.HTTP_1_1);
    if (registry != null) registry.onChange(this::retireStale);
  }

  /** The pool for a call to {@code config}'s provider, counted as opening until {@link #release}. */
  private Pool acquire(ProviderConfig config, boolean tls) {
    Provider live = registry == null ? null : registry.snapshot().provider(config.name());
    ProviderConfig sizing = live != null ? live.config : config;
    String key = config.name() + "|" + tls;
    synchronized (pools) {
      Pool pool = pools.get(key);
      if (pool == null || pool.maxConnections != sizing.maxConnections()) {
        if (pool != null) retire(pool);
        pool = open(sizing, tls);
        // A call of a provider removed since it began: its own pool, closed when it is answered.
        if (registry != null && live == null) pool.retired = true;
        else pools.put(key, pool);
      }
      pool.opening++;
      return pool;
    }
  }

  private Pool open(ProviderConfig config, boolean tls) {
    int max = config.maxConnections();
    PoolOptions options = new PoolOptions().setHttp1MaxSize(max).setHttp2MaxSize(http2Connections(max)).setMaxWaitQueueSize(max);
    HttpClientAgent agent = vertx.httpClientBuilder().with(tls ? tlsOptions : plainOptions).with(options).build();
    // The calls on a retired pool are bounded by their total deadline; without one, by the default.
    long graceMs = config.timeoutMs() > 0 ? config.timeoutMs() : ProviderConfig.DEFAULT_TIMEOUT_MS;
    return new Pool(config.name(), max, graceMs, agent);
  }

  private void release(Pool pool) {
    synchronized (pools) {
      pool.opening--;
      if (pool.retired && pool.opening == 0) shutDown(pool);
    }
  }

  /** Takes {@code pool} out of service (the caller removes it from {@link #pools}); shut down once no call is opening on it. */
  private void retire(Pool pool) {
    pool.retired = true;
    if (pool.opening == 0) shutDown(pool);
  }

  /**
   * Vert.x's graceful shutdown: idle connections close now, busy ones once their answer is in
   * (HTTP/2: after a GOAWAY, when their streams end); whatever is left after the grace is closed.
   * ({@code close()} would cut the calls in flight.)
   */
  private static void shutDown(Pool pool) {
    pool.agent.shutdown(pool.graceMs, TimeUnit.MILLISECONDS);
  }

  /** After a registry change: retires the pools of removed providers and of ones with another {@code max_connections}. */
  private void retireStale() {
    ProviderRegistry.Snapshot now = registry.snapshot();
    synchronized (pools) {
      pools.values().removeIf(pool -> {
        Provider p = now.provider(pool.provider);
        if (p != null && p.config.maxConnections() == pool.maxConnections) return false;
        retire(pool);
        return true;
      });
    }
  }

  /**
   * HTTP/2 connections a pool may open for a provider's {@code max_connections}: one per
   * {@link #HTTP2_STREAMS_PER_CONNECTION} requests in flight, at least {@link #HTTP2_MIN_CONNECTIONS},
   * so that {@code max_connections} requests in flight fit over HTTP/2 as over HTTP/1.1 (where each
   * needs its own connection). A new connection is opened only when the open ones are full.
   */
  static int http2Connections(int maxConnections) {
    return Math.max(HTTP2_MIN_CONNECTIONS, (maxConnections + HTTP2_STREAMS_PER_CONNECTION - 1) / HTTP2_STREAMS_PER_CONNECTION);
  }

  /**
   * Sends a prepared call. The provider's configured extra {@code headers} are added here, once for
   * every kind of call (chat, embeddings, counts, model lists, probes); the adapter's own headers
   * (auth, protocol version) win over them.
   *
   * <p>Opens the request (connect timeout from config; idle timeout = first-byte timeout until the
   * caller switches it) and sends the body. The request is handed to {@code onRequest} first so
   * the caller can reset it (client gone, total deadline).
   */
  public Future<io.vertx.core.http.HttpClientResponse> send(UpstreamCall call, ProviderConfig config,
      java.util.function.Consumer<HttpClientRequest> onRequest) {
    // Auth that needs I/O first (Vertex's OAuth token): awaited here, for every kind of call.
    if (call.lateAuth() != null) return call.resolved().compose(ready -> send(ready, config, onRequest));
    if (config.headers() != null) config.headers().forEach((name, value) -> {
      if (!call.headers().contains(name)) call.headers().set(name, value);
    });
    RequestOptions opts = new RequestOptions()
        .setMethod(call.method())
        .setAbsoluteURI(call.url())
        .setHeaders(call.headers());
    if (config.connectTimeoutMs() > 0) opts.setConnectTimeout(config.connectTimeoutMs());
    if (config.firstByteTimeoutMs() > 0) opts.setIdleTimeout(config.firstByteTimeoutMs());
    Pool pool = acquire(config, call.url().startsWith("https:"));
    Future<io.vertx.core.http.HttpClientResponse> answer;
    try {
      answer = pool.agent.request(opts).compose(req -> {
        // Failures reach the caller through the response future and the response's handlers; without
        // a handler here Vert.x also logs every deliberate reset (client gone) as an ERROR with a trace.
        req.exceptionHandler(err -> { });
        onRequest.accept(req);
        return call.body() == null ? req.send() : req.send(call.body());
      });
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    return answer.andThen(done -> release(pool));
  }

  /** Closes the pools in service at once; retired ones are closing on their own. */
  public Future<Void> close() {
    List<Pool> open;
    synchronized (pools) {
      open = List.copyOf(pools.values());
      pools.clear();
    }
    return Future.join(open.stream().map(p -> p.agent.close()).toList()).mapEmpty();
  }

  private static ProxyOptions proxy(String url) {
    URI u = URI.create(url);
    ProxyOptions p = new ProxyOptions().setType(ProxyType.HTTP).setHost(u.getHost()).setPort(u.getPort() < 0 ? 3128 : u.getPort());
    if (u.getUserInfo() != null) {
      String[] up = u.getUserInfo().split(":", 2);
      p.setUsername(up[0]);
      if (up.length > 1) p.setPassword(up[1]);
    }
    return p;
  }
}
