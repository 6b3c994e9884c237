package io.junction.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.protocol.InboundCodec;
import io.junction.protocol.StreamDecoder;
import io.junction.protocol.StreamEncoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.StreamTap;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.Usage;
import io.junction.protocol.openai.OpenAiCodec;
import io.junction.provider.LocalProvider;
import io.junction.provider.Provider;
import io.junction.provider.UpstreamCall;
import io.junction.routing.Attempt;
import io.junction.routing.Failure;
import io.junction.routing.RoutePlan;
import io.junction.routing.RouteQuery;
import io.junction.telemetry.AttemptEvent;
import io.junction.telemetry.RequestEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.TimeoutException;

/**
 * One client call carried to an upstream: it walks the route plan attempt by attempt, builds each
 * upstream request (fast path or translation), and relays the answer, streaming with backpressure.
 * Runs on the event loop of the client's connection; nothing here blocks.
 */
final class ProxyCall {
  enum Operation { CHAT, EMBEDDINGS }

  private final Gateway gw;
  private final HttpServerResponse response;
  private final InboundCodec inbound;
  private final ChatRequest request;
  private final ObjectNode rawBody;
  private final String requestedModel;
  private final boolean stream;
  private final boolean passthroughAllowed;
  private final Operation op;
  private final ClientIdentity identity;
  private final String requestId;
  private final long startNanos = System.nanoTime();

  private RoutePlan plan;
  private HttpClientRequest upstreamRequest;
  private HttpClientResponse upstreamResponse;
  private int attempts;
  private String lastProvider;
  private String lastModel;
  private boolean responseStarted;
  private boolean finished;
  private boolean clientGone;
  private long ttftNanos = -1;
  /** The current attempt's one timer: its back-off delay, then its deadlines (see checkDeadlines). */
  private long attemptTimer = -1;
  private ProviderConfig limits;
  private long attemptNanos;
  /** 0 until the current attempt's response head arrived; then when data last came. */
  private long lastDataNanos;
  /** The deadline the gateway itself cut the attempt for, so the failure reads as that, not as "Stream reset". */
  private TimeoutException cutBy;
  private Usage usage = Usage.ZERO;
  /** End user for sticky routing: header {@code x-junction-user}, else the body's user field. */
  private String routingUser;

  ProxyCall(Gateway gw, HttpServerResponse response, InboundCodec inbound, ChatRequest request, ObjectNode rawBody,
      String requestedModel, boolean stream, boolean passthroughAllowed, Operation op, ClientIdentity identity, String requestId) {
    this.gw = gw;
    this.response = response;
    this.inbound = inbound;
    this.request = request;
    this.rawBody = rawBody;
    this.requestedModel = requestedModel;
    this.stream = stream;
    this.passthroughAllowed = passthroughAllowed;
    this.op = op;
    this.identity = identity;
    this.requestId = requestId;
  }

  /** The end user named by the gateway's own header, which wins over the body's user field. */
  ProxyCall routingUser(String user) {
    if (user != null && !user.isBlank()) routingUser = user;
    return this;
  }

  void start() {
    response.closeHandler(v -> onClientGone());
    // Scale-out hook: admission is asynchronous (one Redis round trip when limits are shared).
    long inputEstimate = identity.master() ? 0 : ClientAuthenticator.AdmissionRequest.estimateInputTokens(rawBody);
    long maxOut = request == null || request.maxTokens == null ? 0 : request.maxTokens;
    gw.authenticator().admit(identity, new ClientAuthenticator.AdmissionRequest(requestedModel, inputEstimate, maxOut))
        .onComplete(ar -> {
          if (ar.failed()) {
            fail(ar.cause() instanceof GatewayException ge ? ge
                : new GatewayException(io.junction.protocol.ErrorKind.API_ERROR, 500, "internal_error", null, "Internal gateway error"));
            return;
          }
          admission = ar.result();
          if (finished) { // the client left while admission was pending
            settle();
            return;
          }
          try {
            plan = gw.resolver().plan(new RouteQuery(requestedModel, endUser(), stream));
          } catch (GatewayException e) {
            fail(e);
            return;
          }
          next(null);
        });
  }

  private ClientAuthenticator.Admission admission;

  private void settle() {
    if (admission == null) return;
    double cost = lastProvider == null ? 0 : gw.pricing().cost(lastProvider, lastModel, usage);
    gw.authenticator().settle(admission, usage, cost);
    admission = null;
  }

  // ---- attempts ----

  private void next(Failure last) {
    if (finished) return;
    Attempt a = plan.next(last);
    if (a == null) {
      fail(plan.exhausted(last));
      return;
    }
    if (a.delayMs() > 0) {
      attemptTimer = gw.vertx().setTimer(a.delayMs(), id -> {
        attemptTimer = -1;
        launch(a);
      });
    } else {
      launch(a);
    }
  }

  private void launch(Attempt a) {
    if (finished) return;
    attempts++;
    Provider p = a.candidate().provider();
    lastProvider = p.name();
    lastModel = a.candidate().upstreamModel();
    long t0 = System.nanoTime();
    if (p.adapter instanceof LocalProvider local) {
      serveLocal(local, a, t0);
      return;
    }
    UpstreamCall call;
    try {
      call = buildCall(a);
    } catch (GatewayException e) {
      attemptFailed(a, t0, new Failure(e, e.status, false, 0));
      return;
    }
    if (call == null) {
      GatewayException e = new GatewayException(ErrorKind.INVALID_REQUEST, 400, "unsupported_operation", "model",
          "Provider '" + p.name() + "' does not support " + op.name().toLowerCase() + " for model '" + requestedModel + "'");
      attemptFailed(a, t0, new Failure(e, 0, false, 0));
      return;
    }
    limits = p.config;
    attemptNanos = System.nanoTime();
    lastDataNanos = 0;
    checkDeadlines();
    gw.upstream().send(call, p.config, req -> {
      upstreamRequest = req;
      if (clientGone) req.reset();
    }).onComplete(ar -> {
      if (ar.succeeded()) onResponse(a, t0, ar.result());
      else attemptFailed(a, t0, failureOf(causeOf(ar.cause())));
    });
  }

  private UpstreamCall buildCall(Attempt a) {
    Provider p = a.candidate().provider();
    String model = a.candidate().upstreamModel();
    if (op == Operation.EMBEDDINGS) {
      rawBody.put("model", model);
      return p.adapter.embeddings(p.config, a.apiKey(), io.junction.protocol.Json.buffer(rawBody));
    }
    Buffer body = sameProtocol(p)
        ? FastPath.rewrite(rawBody, inbound.protocol(), model, stream)
        : p.adapter.codec().encodeRequest(request, model);
    return p.adapter.chat(p.config, a.apiKey(), model, stream, body);
  }

  private boolean sameProtocol(Provider p) { return p.adapter.protocol() == inbound.protocol(); }

  private void onResponse(Attempt a, long t0, HttpClientResponse resp) {
    if (finished) return;
    upstreamResponse = resp;
    int status = resp.statusCode();
    Provider p = a.candidate().provider();
    lastDataNanos = System.nanoTime(); // the head is in: from now on the idle timeout applies
    if (status >= 400) {
      resp.body().onComplete(ar -> {
        Buffer body = ar.succeeded() ? ar.result() : Buffer.buffer();
        UpstreamCodec codec = p.adapter.codec();
        GatewayException e = new GatewayException(ErrorKind.forStatus(status), status, "upstream_error", null,
            codec.errorMessage(status, body));
        e.upstreamBody = body;
        e.upstreamProtocol = codec.protocol();
        long retryAfterMs = retryAfterMillis(resp);
        e.retryAfterSeconds = retryAfterMs < 0 ? -1 : (retryAfterMs + 999) / 1000;
        attemptFailed(a, t0, new Failure(e, p.adapter.effectiveStatus(status, body), false, Math.max(0, retryAfterMs)));
      });
      return;
    }
    if (op == Operation.CHAT && stream) {
      relayStream(a, t0, resp);
    } else {
      resp.body().onComplete(ar -> {
        if (ar.succeeded()) completeJson(a, t0, status, ar.result());
        else attemptFailed(a, t0, failureOf(causeOf(ar.cause())));
      });
    }
  }

  private void completeJson(Attempt a, long t0, int status, Buffer body) {
    if (finished) return;
    Provider p = a.candidate().provider();
    Buffer out;
    try {
      if (op == Operation.EMBEDDINGS || sameProtocol(p)) {
        // Relayed as-is, but read first: garbage with a 200 must not reach the client as success.
        usage = p.adapter.codec().usageOf(body);
        out = body;
      } else {
        ChatResponse cr = p.adapter.codec().decodeResponse(body);
        usage = cr.usage;
        out = inbound.encodeResponse(cr, request);
      }
    } catch (GatewayException e) {
      attemptFailed(a, t0, new Failure(e, 502, false, 0));
      return;
    }
    attemptEnded(a, t0, status, null);
    startResponse(200, "application/json");
    response.end(out);
    finish(200, null);
  }

  // ---- streams ----

  private void relayStream(Attempt a, long t0, HttpClientResponse resp) {
    Provider p = a.candidate().provider();
    boolean passthrough = sameProtocol(p) && passthroughAllowed;
    StreamTap tap = passthrough ? p.adapter.codec().passthroughTap(request.includeUsage) : null;
    StreamDecoder decoder = passthrough ? null : p.adapter.codec().streamDecoder();
    StreamEncoder encoder = inbound.streamEncoder(request);
    StreamRelay relay = new StreamRelay(a, t0, encoder);
    resp.handler(chunk -> {
      if (finished) return;
      lastDataNanos = System.nanoTime();
      if (passthrough) {
        relay.write(tap.relay(chunk));
        if (tap.error() != null) relay.broken(tap.error());
      } else {
        decoder.feed(chunk, relay::onEvent);
      }
      relay.flushSoon(resp);
    });
    resp.exceptionHandler(err -> relay.broken(describe(causeOf(err))));
    resp.endHandler(v -> {
      if (finished) return;
      if (passthrough) {
        relay.write(tap.finish());
        usage = usage.merge(tap.usage());
        if (!tap.complete()) relay.broken(tap.error() != null ? tap.error() : "Upstream stream ended before it was complete");
        else relay.end();
      } else {
        decoder.finish(relay::onEvent);
        relay.end();
      }
    });
  }

  /** The client side of one relayed stream: buffers what the upstream chunks produced, then writes it. */
  private final class StreamRelay {
    private final Attempt attempt;
    private final long t0;
    private final StreamEncoder encoder;
    private Buffer pending = Buffer.buffer();
    private boolean flushQueued;
    private boolean isBroken;

    StreamRelay(Attempt attempt, long t0, StreamEncoder encoder) {
      this.attempt = attempt;
      this.t0 = t0;
      this.encoder = encoder;
    }

    void onEvent(StreamEvent e) {
      if (finished) return;
      switch (e) {
        case StreamEvent.Error err -> broken(err.message());
        case StreamEvent.UsageReport u -> {
          usage = usage.merge(u.usage());
          encoder.encode(e, pending);
        }
        case StreamEvent.Start s -> {
          usage = usage.merge(s.usage());
          encoder.encode(e, pending);
        }
        default -> encoder.encode(e, pending);
      }
    }

    void write(Buffer b) { if (b.length() > 0) pending.appendBuffer(b); }

    /**
     * Flushes once the event loop is done with the current socket read, not per chunk: a burst of
     * upstream chunks (one read) then leaves in one write instead of one syscall each.
     */
    void flushSoon(HttpClientResponse resp) {
      if (flushQueued || finished || pending.length() == 0) return;
      flushQueued = true;
      gw.vertx().runOnContext(v -> {
        flushQueued = false;
        if (upstreamResponse == resp) flush(resp); // else this attempt was abandoned for a retry
      });
    }

    /** Sends what is pending; pauses the upstream while the client's write queue is full. */
    void flush(HttpClientResponse resp) {
      if (finished || pending.length() == 0) return;
      startStream();
      response.write(pending);
      pending = Buffer.buffer();
      if (response.writeQueueFull()) {
        resp.pause();
        response.drainHandler(v -> resp.resume());
      }
    }

    void end() {
      // A stream that broke before its first byte is being retried: this attempt has nothing left to end.
      if (finished || isBroken) return;
      startStream();
      attemptEnded(attempt, t0, 200, null);
      response.end(pending); // the last events and the closing chunk in one write
      finish(200, null);
    }

    private void startStream() {
      if (responseStarted) return;
      startResponse(200, inbound.streamContentType(request));
      ttftNanos = System.nanoTime() - startNanos;
    }

    /** The stream broke: retry if the client has seen nothing yet, else end it visibly incomplete. */
    void broken(String message) {
      // Resetting the upstream request fires its exception handler again, synchronously: once is enough.
      if (finished || isBroken) return;
      isBroken = true;
      if (upstreamRequest != null) upstreamRequest.reset();
      if (!responseStarted) {
        attemptFailed(attempt, t0, new Failure(GatewayException.badGateway(message), 502, false, 0));
        return;
      }
      GatewayException e = GatewayException.badGateway(message);
      encoder.fail(e, pending);
      response.write(pending);
      pending = Buffer.buffer();
      attemptEnded(attempt, t0, 200, message);
      plan.failed(attempt, new Failure(e, 502, false, 0));
      response.end();
      finish(502, message);
    }
  }

  // ---- local providers ----

  private void serveLocal(LocalProvider local, Attempt a, long t0) {
    String model = a.candidate().upstreamModel();
    if (op != Operation.CHAT) {
      attemptFailed(a, t0, new Failure(new GatewayException(ErrorKind.INVALID_REQUEST, 400, "unsupported_operation", "model",
          "Provider '" + lastProvider + "' does not support embeddings"), 0, false, 0));
      return;
    }
    if (stream) {
      StreamEncoder encoder = inbound.streamEncoder(request);
      startResponse(200, inbound.streamContentType(request));
      ttftNanos = System.nanoTime() - startNanos;
      for (StreamEvent e : local.stream(request, model)) {
        Buffer out = Buffer.buffer();
        if (e instanceof StreamEvent.UsageReport u) usage = usage.merge(u.usage());
        encoder.encode(e, out);
        if (out.length() > 0) response.write(out);
      }
      attemptEnded(a, t0, 200, null);
      response.end();
    } else {
      ChatResponse r = local.respond(request, model);
      usage = r.usage;
      attemptEnded(a, t0, 200, null);
      startResponse(200, "application/json");
      response.end(inbound.encodeResponse(r, request));
    }
    finish(200, null);
  }

  // ---- endings ----

  private void attemptFailed(Attempt a, long t0, Failure f) {
    if (finished) return;
    cancelTimer();
    attemptEnded(a, t0, f.status(), f.error().getMessage());
    plan.failed(a, f);
    upstreamRequest = null;
    upstreamResponse = null;
    cutBy = null;
    next(f);
  }

  private void attemptEnded(Attempt a, long t0, int status, String error) {
    cancelTimer();
    long now = System.nanoTime();
    gw.telemetry().attempt(new AttemptEvent(requestId, a.number(), a.candidate().provider().name(),
        a.candidate().upstreamModel(), a.keyIndex(), status, (now - t0) / 1000, error));
    if (error == null) plan.succeeded(a, (now - t0) / 1_000_000, ttftNanos < 0 ? -1 : (startNanos + ttftNanos - t0) / 1_000_000);
  }

  private void cancelTimer() {
    if (attemptTimer >= 0) {
      gw.vertx().cancelTimer(attemptTimer);
      attemptTimer = -1;
    }
  }

  /**
   * One timer per attempt enforces the whole-call deadline and, once the response head is in, the
   * idle timeout (streams count each chunk as activity; a JSON body must arrive within it). It is
   * armed for the nearest of the two and re-armed only when it fires early, so a normal call costs
   * one timer. Vert.x's own request idle timer covers connect-to-first-byte; it is not used for the
   * body because Vert.x only cancels it at the response head: one armed later would stay scheduled,
   * pinning the finished request in memory, until it fired.
   */
  private void checkDeadlines() {
    attemptTimer = -1;
    long now = System.nanoTime();
    long total = limits.timeoutMs();
    long idle = limits.idleTimeoutMs();
    long elapsedMs = (now - attemptNanos) / 1_000_000;
    long quietMs = lastDataNanos == 0 ? 0 : (now - lastDataNanos) / 1_000_000;
    if (total > 0 && elapsedMs >= total) {
      cutUpstream(new TimeoutException("total timeout of " + total + " ms"));
    } else if (idle > 0 && lastDataNanos != 0 && quietMs >= idle) {
      cutUpstream(new TimeoutException("no data from upstream for " + idle + " ms"));
    } else {
      long next = Math.min(total > 0 ? total - elapsedMs : Long.MAX_VALUE, idle > 0 ? idle - quietMs : Long.MAX_VALUE);
      if (next != Long.MAX_VALUE) attemptTimer = gw.vertx().setTimer(Math.max(1, next), id -> checkDeadlines());
    }
  }

  private void cutUpstream(TimeoutException why) {
    cutBy = why;
    if (upstreamRequest != null) upstreamRequest.reset(0, why);
  }

  private Throwable causeOf(Throwable err) { return cutBy != null ? cutBy : err; }

  private void startResponse(int status, String contentType) {
    responseStarted = true;
    response.setStatusCode(status);
    Headers.common(response, requestId, lastProvider, attempts);
    response.putHeader(Headers.CONTENT_TYPE, "application/json".equals(contentType) ? Headers.JSON : contentType);
    if (stream && op == Operation.CHAT) {
      response.setChunked(true);
      response.putHeader(Headers.CACHE_CONTROL, Headers.NO_CACHE);
    }
  }

  private void fail(GatewayException e) {
    if (finished) return;
    if (!clientGone && !responseStarted) {
      responseStarted = true;
      response.setStatusCode(e.status);
      Headers.common(response, requestId, lastProvider, attempts);
      if (e.retryAfterSeconds >= 0) response.putHeader("retry-after", Long.toString(e.retryAfterSeconds));
      response.putHeader(Headers.CONTENT_TYPE, Headers.JSON);
      boolean relayRaw = e.upstreamBody != null && e.upstreamBody.length() > 0 && e.upstreamProtocol == inbound.protocol();
      response.end(relayRaw ? e.upstreamBody : inbound.encodeError(e));
    }
    finish(e.status, e.getMessage());
  }

  private void onClientGone() {
    // Over HTTP/2 the stream closes as the response ends, before finish() runs: that is no disconnect.
    if (finished || response.ended()) return;
    clientGone = true;
    HttpClientRequest upstream = upstreamRequest;
    // Finished first: the reset fails the attempt at once, and a client that left is no failure of the
    // provider's (counted as one, a load balancer's disconnects would trip its circuit breaker).
    finish(499, "client closed the connection");
    if (upstream != null) upstream.reset();
  }

  private void finish(int status, String error) {
    if (finished) return;
    finished = true;
    cancelTimer();
    if (plan != null) plan.close();
    long latency = (System.nanoTime() - startNanos) / 1000;
    gw.telemetry().request(new RequestEvent(System.currentTimeMillis(), requestId, identity.keyId(), inbound.protocol().id,
        requestedModel, lastProvider, lastModel, stream, status, latency, ttftNanos < 0 ? -1 : ttftNanos / 1000, usage,
        attempts, error));
    settle();
  }

  // ---- helpers ----

  private String endUser() {
    if (routingUser != null) return routingUser;
    if (request != null) return request.user;
    com.fasterxml.jackson.databind.JsonNode u = rawBody == null ? null : rawBody.get("user");
    return u != null && u.isTextual() ? u.asText() : null;
  }

  private static Failure failureOf(Throwable err) {
    boolean timeout = isTimeout(err);
    GatewayException e = timeout
        ? new GatewayException(ErrorKind.TIMEOUT, 504, "upstream_timeout", null, "Upstream timed out: " + describe(err))
        : new GatewayException(ErrorKind.BAD_GATEWAY, 502, "upstream_unreachable", null, "Upstream connection failed: " + describe(err));
    return new Failure(e, 0, timeout, 0);
  }

  private static boolean isTimeout(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) return true;
    }
    return false;
  }

  private static String describe(Throwable err) {
    String m = err.getMessage();
    return m == null || m.isBlank() ? err.getClass().getSimpleName() : m;
  }

  /** OpenAI's {@code retry-after-ms} when present (finer), else {@code retry-after}; -1 when neither. */
  static long retryAfterMillis(HttpClientResponse resp) {
    String ms = resp.getHeader("retry-after-ms");
    if (ms != null) {
      try {
        return Math.max(0, (long) Math.ceil(Double.parseDouble(ms.trim())));
      } catch (NumberFormatException ignored) {
        // fall back to retry-after
      }
    }
    long s = retryAfterSeconds(resp.getHeader("retry-after"));
    return s < 0 ? -1 : s * 1000;
  }

  static long retryAfterSeconds(String header) {
    if (header == null) return -1;
    try {
      return Math.max(0, (long) Math.ceil(Double.parseDouble(header.trim())));
    } catch (NumberFormatException e) {
      try {
        long at = java.time.ZonedDateTime.parse(header.trim(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        return Math.max(0, at - System.currentTimeMillis() / 1000);
      } catch (RuntimeException ignored) {
        return -1;
      }
    }
  }
}
