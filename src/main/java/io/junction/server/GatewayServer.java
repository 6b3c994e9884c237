package io.junction.server;

import io.junction.auth.ClientKey;
import io.junction.pipeline.Accounting;
import io.junction.pipeline.Gateway;
import io.junction.pipeline.Pipeline;
import io.junction.responses.ResponsesStage;
import io.junction.responses.ResponsesState;
import io.junction.pipeline.RequestIds;
import io.junction.protocol.Codecs;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.protocol.InboundCodec;
import io.junction.protocol.Protocol;
import io.junction.protocol.anthropic.AnthropicCodec;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The HTTP front: one router, served by one HttpServer per event loop on the same port (Vert.x
 * spreads connections across them). Extra route groups (management API) plug in as {@code extensions}.
 */
public final class GatewayServer {
  private final Gateway gw;
  private final List<Consumer<Router>> extensions;
  private final List<HttpServer> servers = new ArrayList<>();
  private volatile boolean ready;
  private ConnectionGuard guard;

  private final ResponsesState responses;
  private final java.util.function.Supplier<String> storeDown;

  /** {@code storeDown} tells why the store is unavailable (then {@code /ready} is 503), or null. */
  public GatewayServer(Gateway gw, List<Consumer<Router>> extensions, ResponsesState responses,
      java.util.function.Supplier<String> storeDown) {
    this.responses = responses;
    this.gw = gw;
    this.extensions = extensions;
    this.storeDown = storeDown;
  }

  /** Starts listening; fails with the bind error (port taken) as is. Returns the actual port. */
  public Future<Integer> start(String host, int port, int instances) {
    var limits = gw.config().server();
    guard = new ConnectionGuard(limits.idleTimeoutMs(), limits.headerTimeoutMs(), limits.maxConnections());
    Router router = router();
    // Idle and header timeouts are the guard's: Vert.x's own idle timeout would also cut a quiet stream.
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
        .setTcpNoDelay(true).setCompressionSupported(false).setMaxHeaderSize(64 * 1024).setIdleTimeout(0)
        // h2c detection would hold a new connection back from the guard until its first bytes, and
        // keep a shutdown waiting on a socket that never sent any (the whole grace period).
        .setHttp2ClearTextEnabled(false);
    Future<HttpServer> first = gw.vertx().createHttpServer(options).connectionHandler(guard::accept)
        .requestHandler(router).listen();
    return first.compose(s -> {
      servers.add(s);
      // Further instances with the same options share the listening socket (port 0 included);
      // each gets its own event loop, so connections spread across cores.
      List<Future<HttpServer>> more = new ArrayList<>();
      for (int i = 1; i < instances; i++) {
        more.add(gw.vertx().createHttpServer(options).connectionHandler(guard::accept).requestHandler(router).listen());
      }
      return Future.all(more).map(cf -> {
        for (int i = 0; i < more.size(); i++) servers.add(cf.resultAt(i));
        ready = true;
        return s.actualPort();
      });
    });
  }

  /** Readiness goes down first, so load balancers stop sending before the listeners close. */
  public void markNotReady() { ready = false; }

  public boolean ready() { return ready; }

  public Future<Void> close() { return shutdown(0); }

  /**
   * Stops accepting connections at once; requests and streams in flight get {@code graceMs} to
   * finish (idle keep-alive connections close right away), then what is left is closed.
   */
  public Future<Void> shutdown(long graceMs) {
    ready = false;
    return Future.all(servers.stream().map(s -> s.shutdown(graceMs, TimeUnit.MILLISECONDS)).toList()).mapEmpty();
  }

  Router router() {
    Router router = Router.router(gw.vertx());
    Pipeline pipeline = Pipeline.standard(gw, List.of(new ResponsesStage(responses)));
    InboundRoutes api = new InboundRoutes(gw, pipeline);
    long maxBody = gw.config().server().maxBodyBytes();
    if (guard != null) router.route().handler(guard::requestStarted);
    // Every body here is JSON, whatever its content type says (curl -d sends a form type): a form
    // type would make the body handler decode it as form fields (and fail past 1,024 of them).
    router.route().handler(ctx -> {
      String type = ctx.request().getHeader("content-type");
      if (type != null && isFormType(type)) ctx.request().headers().remove("content-type");
      ctx.next();
    });
    router.route().handler(BodyHandler.create(false).setBodyLimit(maxBody).setHandleFileUploads(false));
    if (guard != null) router.route().handler(guard::bodyRead);

    // Clients and load balancers probe the root before anything else.
    router.get("/").handler(ctx -> ctx.json(new io.vertx.core.json.JsonObject().put("name", "junction").put("status", "ok")));
    router.head("/").handler(ctx -> ctx.response().putHeader("content-type", "application/json").end());
    router.get("/health").handler(ctx -> ctx.json(new io.vertx.core.json.JsonObject().put("status", "ok")));
    router.get("/ready").handler(ctx -> {
      String storeProblem = storeDown.get();
      var body = new io.vertx.core.json.JsonObject().put("status", ready && storeProblem == null ? "ready" : "not_ready");
      if (ready && storeProblem != null) body.put("reason", "storage unavailable: " + storeProblem);
      ctx.response().setStatusCode(ready && storeProblem == null ? 200 : 503)
          .putHeader("content-type", "application/json").end(body.encode());
    });

    InboundCodec openai = Codecs.inbound(Protocol.OPENAI);
    router.post("/v1/chat/completions").handler(ctx -> api.chat(ctx, openai, null, null, true));
    router.post("/v1/chat").handler(ctx -> api.chat(ctx, openai, null, null, true));
    router.post("/v1/embeddings").handler(api::embeddings);
    TokenCounting counting = new TokenCounting(gw);
    GeminiRoutes gemini = new GeminiRoutes(gw, api, counting);
    router.get("/v1/models").handler(ctx -> {
      if (ClientKey.isGoogleStyle(ctx.request())) gemini.listModels(ctx);
      else if (AnthropicModelList.wanted(ctx)) AnthropicModelList.answer(ctx, gw, api.servedModels());
      else api.listModels(ctx);
    });
    InboundCodec anthropic = Codecs.inbound(Protocol.ANTHROPIC);
    router.post("/v1/messages").handler(ctx -> api.chat(ctx, anthropic, null, null, true));
    AnthropicCodec anthropicCodec = AnthropicCodec.INSTANCE;
    router.post("/v1/messages/count_tokens").handler(ctx -> counting.handle(ctx, anthropicCodec,
        anthropicCodec::decodeCountTokensRequest, anthropicCodec::encodeCountTokensResponse));
    gemini.register(router);

    new ResponsesRoutes(gw, pipeline, responses).accept(router);
    extensions.forEach(e -> e.accept(router));

    router.route().last().handler(ctx -> InboundRoutes.sendError(ctx, codecFor(ctx),
        new GatewayException(ErrorKind.NOT_FOUND, 404, "not_found", null,
            "No route for " + ctx.request().method() + " " + ctx.request().path()), RequestIds.of(ctx.request())));
    router.route().failureHandler(this::failure);
    return router;
  }

  private static boolean isFormType(String contentType) {
    String t = contentType.trim().toLowerCase(java.util.Locale.ROOT);
    return t.startsWith("application/x-www-form-urlencoded") || t.startsWith("multipart/");
  }

  private void failure(RoutingContext ctx) {
    int status = ctx.statusCode();
    String requestId = RequestIds.of(ctx.request());
    GatewayException e;
    if (status == 413) {
      e = new GatewayException(ErrorKind.REQUEST_TOO_LARGE, 413, "request_too_large", null,
          "Request body is larger than the limit of " + gw.config().server().maxBodyBytes() + " bytes");
      Accounting.refusedAtTheDoor(gw, requestId, codecFor(ctx).protocol().id, 413, e.getMessage());
    } else if (ctx.failure() instanceof GatewayException ge) {
      e = ge;
    } else if (ctx.failure() instanceof io.junction.store.StoreUnavailableException down) {
      e = new GatewayException(ErrorKind.OVERLOADED, 503, "storage_unavailable", null,
          "The gateway's database is unavailable (" + down.getMessage() + "); requests are still served");
      e.retryAfterSeconds = 1;
    } else {
      org.slf4j.LoggerFactory.getLogger(GatewayServer.class).error("Unhandled error on {}", ctx.request().path(), ctx.failure());
      e = new GatewayException(ErrorKind.API_ERROR, status > 0 ? status : 500, "internal_error", null, "Internal gateway error");
    }
    InboundRoutes.sendError(ctx, codecFor(ctx), e, requestId);
  }

  /** The protocol a path belongs to, so that even routing errors answer in the client's own shape. */
  static InboundCodec codecFor(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path.startsWith("/v1/messages")) return Codecs.inbound(Protocol.ANTHROPIC);
    if (path.startsWith("/v1beta/") || (path.startsWith("/v1/models/") && path.contains(":"))) return Codecs.inbound(Protocol.GEMINI);
    return Codecs.inbound(Protocol.OPENAI);
  }
}
