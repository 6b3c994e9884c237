package io.junction.pipeline;

import io.junction.config.ProviderConfig;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.protocol.UpstreamCodec;
import io.junction.provider.LocalUpstream;
import io.junction.provider.Provider;
import io.junction.provider.UpstreamCall;
import io.junction.provider.UpstreamResponse;
import io.junction.routing.Failure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientRequest;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * One upstream request and its deadlines: connect and first byte (set on the HTTP request), then
 * the idle gap between data and the whole call, kept by one timer. Every upstream call goes
 * through here — the attempts of a request, and token counts, provider tests and health probes —
 * so all of them share the deadlines, the size limit on answers and the typed failures.
 */
public final class Exchange {
  private final Vertx vertx;
  private final ProviderConfig limits;
  /** A tighter whole-call deadline than the provider's own (side calls), 0 for none. */
  private final long capMs;
  private final long startNanos = System.nanoTime();
  private final Future<UpstreamResponse> response;
  private HttpClientRequest request;
  private long timer = -1;
  /** 0 until the response head arrived; then when data last came. */
  private long lastDataNanos;
  /** The deadline the gateway itself cut the exchange for, so the failure reads as that, not as a reset. */
  private TimeoutException cutBy;
  private boolean cancelled;
  private boolean closed;

  private Exchange(Gateway gw, Provider provider, UpstreamCall call, long capMs) {
    this.vertx = gw.vertx();
    this.limits = provider.config;
    this.capMs = capMs;
    if (provider.adapter instanceof LocalUpstream local && call.url().startsWith("local:")) {
      response = Future.succeededFuture(LocalUpstream.respond(vertx.getOrCreateContext(), local.answer(call)));
    } else {
      armTimer();
      response = gw.upstream().send(call, provider.config, req -> {
        request = req;
        if (cancelled) req.reset();
      }).map(r -> {
        lastDataNanos = System.nanoTime(); // the head is in: from now on the idle deadline applies
        return UpstreamResponse.of(r);
      });
    }
  }

  /** Sends {@code call} to {@code provider}'s upstream. */
  public static Exchange open(Gateway gw, Provider provider, UpstreamCall call) { return new Exchange(gw, provider, call, 0); }

  /**
   * A whole small exchange: sends {@code call} and reads the answer (a model list, a token count,
   * a probe), within the provider's deadlines, at most {@code capMs} in all, and the size limit.
   */
  public static Future<Reply> fetch(Gateway gw, Provider provider, UpstreamCall call, long capMs) {
    Exchange x = new Exchange(gw, provider, call, capMs);
    return x.response()
        .compose(r -> x.body(r).map(b -> new Reply(r.statusCode(), b)))
        .recover(err -> Future.failedFuture(x.failure(err).error()))
        .onComplete(ar -> x.close());
  }

  /** A complete small answer. */
  public record Reply(int status, Buffer body) {}

  public Future<UpstreamResponse> response() { return response; }

  /** Data arrived: the idle deadline starts again. */
  public void touch() { lastDataNanos = System.nanoTime(); }

  /** Abandons the exchange (client gone, stream broken): resets the upstream request. */
  public void cancel() {
    cancelled = true;
    close();
    if (request != null) request.reset();
  }

  /** The exchange is over: stops its timer. */
  public void close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Reads the whole body, failing with a 502 past the provider's {@code max_response_bytes} (the upstream is then reset). */
  public Future<Buffer> body(UpstreamResponse r) {
    Promise<Buffer> p = Promise.promise();
    Buffer acc = Buffer.buffer();
    r.handler(chunk -> {
      touch();
      if (acc.length() + (long) chunk.length() > limits.maxResponseBytes()) {
        if (p.tryFail(new TooLarge(limits.maxResponseBytes()))) cancel();
        return;
      }
      acc.appendBuffer(chunk);
    });
    r.exceptionHandler(p::tryFail);
    r.endHandler(v -> p.tryComplete(acc));
    return p.future();
  }

  /** An answer larger than the gateway reads. */
  static final class TooLarge extends RuntimeException {
    TooLarge(long limit) { super("Upstream answer is larger than the limit of " + limit + " bytes", null, false, false); }
  }

  /** The typed failure for an error of this exchange ({@code err} as the HTTP client reported it). */
  public Failure failure(Throwable err) {
    if (err instanceof GatewayException ge) return new Failure(ge, 0, Failure.Kind.BAD_ANSWER, 0);
    if (cutBy != null) err = cutBy;
    Failure.Kind kind = kindOf(err);
    String what = describe(err);
    GatewayException e = switch (kind) {
      case TIMEOUT -> new GatewayException(ErrorKind.TIMEOUT, 504, "upstream_timeout", null, "Upstream timed out: " + what);
      case TLS -> new GatewayException(ErrorKind.BAD_GATEWAY, 502, "upstream_tls_error", null, "TLS with the upstream failed: " + what);
      case POOL_FULL -> new GatewayException(ErrorKind.OVERLOADED, 503, "upstream_pool_full", null,
          "Too many requests waiting for a connection to the upstream");
      case BAD_ANSWER -> GatewayException.badGateway(what);
      default -> new GatewayException(ErrorKind.BAD_GATEWAY, 502, "upstream_unreachable", null, "Upstream connection failed: " + what);
    };
    return new Failure(e, 0, kind, 0);
  }

  static Failure.Kind kindOf(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) return Failure.Kind.TIMEOUT;
      if (t instanceof SSLException || t instanceof CertificateException) return Failure.Kind.TLS;
      if (t instanceof ConnectionPoolTooBusyException) return Failure.Kind.POOL_FULL;
      if (t instanceof TooLarge) return Failure.Kind.BAD_ANSWER;
      if (t instanceof ConnectException || t instanceof UnknownHostException) return Failure.Kind.CONNECT;
      if (t instanceof io.netty.channel.ConnectTimeoutException) return Failure.Kind.TIMEOUT;
    }
    return Failure.Kind.RESET;
  }

  static String describe(Throwable err) {
    String m = err.getMessage();
    return m == null || m.isBlank() ? err.getClass().getSimpleName() : m;
  }

  /** An upstream error answer (status >= 400) as the exception to report, its body kept for same-protocol clients. */
  static GatewayException upstreamError(int status, Buffer body, UpstreamCodec codec) {
    GatewayException e = new GatewayException(ErrorKind.forStatus(status), status, "upstream_error", null,
        codec.errorMessage(status, body));
    e.upstreamBody = body;
    e.upstreamProtocol = codec.protocol();
    return e;
  }

  /**
   * One timer enforces the whole-call deadline and, once the response head is in, the idle gap
   * (streams count each chunk as activity). It is armed for the nearer of the two and re-armed only
   * when it fires early, so a normal call costs one timer. Vert.x's own request idle timer covers
   * connect-to-first-byte; it is not used for the body because Vert.x cancels it only at the head.
   */
  private void armTimer() {
    timer = -1;
    if (closed) return;
    long now = System.nanoTime();
    long total = capMs > 0 && (limits.timeoutMs() <= 0 || capMs < limits.timeoutMs()) ? capMs : limits.timeoutMs();
    long idle = limits.idleTimeoutMs();
    long elapsedMs = (now - startNanos) / 1_000_000;
    long quietMs = lastDataNanos == 0 ? 0 : (now - lastDataNanos) / 1_000_000;
    if (total > 0 && elapsedMs >= total) {
      cut(new TimeoutException("total timeout of " + total + " ms"));
    } else if (idle > 0 && lastDataNanos != 0 && quietMs >= idle) {
      cut(new TimeoutException("no data from upstream for " + idle + " ms"));
    } else {
      long next = Math.min(total > 0 ? total - elapsedMs : Long.MAX_VALUE, idle > 0 ? idle - quietMs : Long.MAX_VALUE);
      if (next != Long.MAX_VALUE) timer = vertx.setTimer(Math.max(1, next), id -> armTimer());
    }
  }

  private void cut(TimeoutException why) {
    cutBy = why;
    if (request != null) request.reset(0, why);
  }
}
