package io.junction.pipeline;

import io.junction.auth.ClientAuthenticator.Admission;
import io.junction.auth.ClientIdentity;
import io.junction.auth.ClientKey;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.protocol.InboundCodec;
import io.junction.protocol.Json;
import io.junction.protocol.Usage;
import io.junction.routing.RoutePlan;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One client request on its way through the {@link Pipeline}: what the client sent, what the
 * stages learned about it, and its answer. The request body is kept as bytes and read shallowly
 * ({@link RequestHead}); it is decoded into the canonical model only when a translation needs it
 * ({@link #decoded}). Confined to the event loop of the client's connection.
 */
public final class Call {
  /** What the client asked for. */
  public enum Operation { CHAT, EMBEDDINGS }

  public final String requestId;
  public final Operation operation;
  public final InboundCodec inbound;
  /** The client's request headers (the pipeline forwards a few, e.g. {@code anthropic-beta}). */
  public final MultiMap clientHeaders;
  /** The raw request body; replaced only through {@link #replaceBody}. */
  public byte[] body;
  /** The model from the URL (Gemini), else null. */
  public final String pathModel;
  /** The stream flag from the URL (Gemini's method names), overriding the body's; null when the body says. */
  public final Boolean pathStream;
  /**
   * Whether a same-protocol stream may be relayed byte for byte; false when the client wants a
   * framing the upstream cannot give as-is (Gemini's JSON-array streaming).
   */
  public final boolean passthroughAllowed;
  final HttpServerResponse response;
  final long startNanos = System.nanoTime();
  final long startMillis = System.currentTimeMillis();

  /** The key the client presented (any of the protocols' headers, or {@code ?key=}). */
  String presentedKey;
  ClientIdentity identity;
  RequestHead head;
  /** The end user named by the gateway's own header; wins over the body's user field. */
  String userHeader;
  private ChatRequest decoded;
  Admission admission;
  RoutePlan plan;
  /** This request's trace (set by {@link Accounting}); null when tracing is off. */
  io.junction.telemetry.Tracing.Trace trace;

  // What the answer was, for the request event.
  int attempts;
  /** The pool position of the provider key whose attempt answered; -1 until one does. */
  int answeringKey = -1;
  String provider;
  String upstreamModel;
  Usage usage = Usage.ZERO;
  long ttftNanos = -1;
  boolean responseStarted;
  boolean clientGone;
  /** The answer's own end marker was seen (a client that leaves after it got a whole answer). */
  boolean completeSeen;
  /** Upstream stream chunks relayed: the output estimate (about a token each) when usage never came. */
  long upstreamChunks;
  /** The answer kept for the response cache while it is relayed; null unless {@link Caching} wants it. */
  Recording recording;
  private final List<Runnable> onClientGone = new ArrayList<>(2);
  private final List<Supplier<io.vertx.core.Future<Void>>> beforeEnd = new ArrayList<>(1);

  public Call(String requestId, Operation operation, InboundCodec inbound, MultiMap clientHeaders, byte[] body,
      String pathModel, Boolean pathStream, boolean passthroughAllowed, HttpServerResponse response) {
    this.requestId = requestId;
    this.operation = operation;
    this.inbound = inbound;
    this.clientHeaders = clientHeaders;
    this.body = body;
    this.pathModel = pathModel;
    this.pathStream = pathStream;
    this.passthroughAllowed = passthroughAllowed;
    this.response = response;
  }

  /** A call for the request of {@code ctx}, with its body, key, request id and end-user header. */
  public static Call of(RoutingContext ctx, Operation operation, InboundCodec inbound, String pathModel, Boolean pathStream,
      boolean passthroughAllowed) {
    HttpServerRequest req = ctx.request();
    Buffer b = ctx.body().buffer();
    Call c = new Call(RequestIds.of(req), operation, inbound, req.headers(), b == null ? new byte[0] : b.getBytes(),
        pathModel, pathStream, passthroughAllowed, ctx.response());
    c.presentedKey = ClientKey.of(req);
    String user = req.getHeader(Headers.USER);
    if (user != null && !user.isBlank()) c.userHeader = user;
    return c;
  }

  void start() {
    response.closeHandler(v -> {
      // Over HTTP/2 the stream closes as the response ends: that is no disconnect.
      if (response.ended() || clientGone) return;
      clientGone = true;
      for (Runnable r : List.copyOf(onClientGone)) r.run();
    });
  }

  // ---- what stages read ----

  public ClientIdentity identity() { return identity; }

  public RequestHead head() { return head; }

  /** The model the client asked for (the URL's for Gemini). */
  public String model() { return pathModel != null ? pathModel : head == null ? null : head.model(); }

  public boolean stream() { return pathStream != null ? pathStream : head != null && head.stream(); }

  /** The end user for sticky routing and logs: {@code x-junction-user}, else the body's. */
  public String user() { return userHeader != null ? userHeader : head == null ? null : head.user(); }

  public boolean clientGone() { return clientGone; }

  public Usage usage() { return usage; }

  /**
   * The request in the canonical model, decoded on first use: only translations need it. Throws
   * the 400 {@link GatewayException} the inbound codec raises for what it cannot express.
   */
  public ChatRequest decoded() {
    if (decoded == null) {
      ChatRequest r;
      try {
        r = inbound.decodeRequest(Json.parse(Buffer.buffer(body)), pathModel);
      } catch (java.io.IOException e) {
        throw GatewayException.invalid(null, "Request body is not valid JSON");
      }
      if (pathStream != null) r.stream = pathStream;
      decoded = r;
    }
    return decoded;
  }

  /**
   * Replaces the request body before routing (the Responses API splices in the earlier turns of
   * {@code previous_response_id}); the head is read again and the canonical decode starts over.
   */
  public void replaceBody(byte[] newBody) {
    body = newBody;
    head = RequestHead.read(newBody);
    decoded = null;
  }

  /** Runs {@code r} if the client hangs up before its answer is complete. */
  public void onClientGone(Runnable r) { onClientGone.add(r); }

  /** An asynchronous step the relay waits for before it sends the answer's last bytes (e.g. storing the response). */
  public void beforeEnd(Supplier<io.vertx.core.Future<Void>> step) { beforeEnd.add(step); }

  io.vertx.core.Future<Void> runBeforeEnd() {
    if (beforeEnd.isEmpty()) return io.vertx.core.Future.succeededFuture();
    List<io.vertx.core.Future<Void>> all = new ArrayList<>(beforeEnd.size());
    for (var s : beforeEnd) all.add(s.get());
    return io.vertx.core.Future.join(all).mapEmpty();
  }

  // ---- the answer ----

  /** Sends the response head with the gateway's headers. */
  void startResponse(String contentType, boolean streamed) {
    responseStarted = true;
    response.setStatusCode(200);
    Headers.common(response, requestId, provider, attempts);
    response.putHeader(Headers.CONTENT_TYPE, "application/json".equals(contentType) ? Headers.JSON : contentType);
    if (streamed) {
      response.setChunked(true);
      response.putHeader(Headers.CACHE_CONTROL, Headers.NO_CACHE);
      if (ttftNanos < 0) ttftNanos = System.nanoTime() - startNanos;
    }
  }

  HttpServerResponse response() { return response; }

  /** Keeps {@code b} for the response cache if it records this call; called before {@code b} is written. */
  void record(Buffer b) {
    if (recording != null) recording.append(b);
  }

  /** As {@link #record}, for the answer's last bytes: the recorded answer is then whole. */
  void recordLast(Buffer b, String contentType, boolean streamed) {
    if (recording == null) return;
    recording.append(b);
    recording.finished(contentType, streamed);
  }

  /**
   * Answers the call with an error in the client's protocol (or, when the upstream's own error
   * body came in the client's protocol, with that body) unless an answer already started; returns
   * the outcome to report. Anything but a {@link GatewayException} is a bug: logged, answered 500.
   */
  public Outcome reject(Throwable err) {
    GatewayException e;
    if (err instanceof GatewayException ge) {
      e = ge;
    } else {
      org.slf4j.LoggerFactory.getLogger(Call.class).error("Unexpected error in request {}", requestId, err);
      e = new GatewayException(ErrorKind.API_ERROR, 500, "internal_error", null, "Internal gateway error");
    }
    if (clientGone) return new Outcome(499, "client closed the connection");
    if (!responseStarted && !response.ended()) {
      responseStarted = true;
      response.setStatusCode(e.status);
      Headers.common(response, requestId, provider, attempts);
      if (e.retryAfterSeconds >= 0) response.putHeader("retry-after", Long.toString(e.retryAfterSeconds));
      response.putHeader(Headers.CONTENT_TYPE, Headers.JSON);
      boolean relayRaw = e.upstreamBody != null && e.upstreamBody.length() > 0 && e.upstreamProtocol == inbound.protocol();
      response.end(relayRaw ? e.upstreamBody : inbound.encodeError(e));
    }
    return new Outcome(e.status, e.getMessage());
  }
}
