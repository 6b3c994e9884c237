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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
  /**
   * One client (so one connection pool) per provider and pool size: a provider's
   * {@code max_connections} bounds its connections (over HTTP/2, {@link #http2Connections}), and as
   * many requests again may wait for one; past that a request fails at once (503) instead of
   * queueing without bound.
   */
  private final Map<String, HttpClientAgent> pools = new ConcurrentHashMap<>();

  public UpstreamClient(Vertx vertx, String proxyUrl) {
    this.vertx = vertx;
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
  }

  private HttpClientAgent pool(ProviderConfig config, boolean tls) {
    int max = config.maxConnections();
    return pools.computeIfAbsent(config.name() + "|" + max + "|" + tls, k -> {
      PoolOptions pool = new PoolOptions().setHttp1MaxSize(max).setHttp2MaxSize(http2Connections(max)).setMaxWaitQueueSize(max);
      return vertx.httpClientBuilder().with(tls ? tlsOptions : plainOptions).with(pool).build();
    });
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
    HttpClientAgent client = pool(config, call.url().startsWith("https:"));
    return client.request(opts).compose(req -> {
      // Failures reach the caller through the response future and the response's handlers; without
      // a handler here Vert.x also logs every deliberate reset (client gone) as an ERROR with a trace.
      req.exceptionHandler(err -> { });
      onRequest.accept(req);
      return call.body() == null ? req.send() : req.send(call.body());
    });
  }

  public Future<Void> close() {
    return Future.join(pools.values().stream().map(HttpClientAgent::close).toList()).mapEmpty();
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
