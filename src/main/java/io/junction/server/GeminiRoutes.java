package io.junction.server;

import io.junction.protocol.ChatRequest;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Protocol;
import io.junction.protocol.TokenEstimator;
import io.junction.protocol.gemini.GeminiCodec;
import io.junction.provider.Provider;
import io.junction.provider.UpstreamCall;
import io.junction.routing.Candidate;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemini's surface (CONTRACT §4) under {@code /v1beta} and {@code /v1}: {@code models/{model}:generateContent},
 * {@code :streamGenerateContent} ({@code ?alt=sse}, else one streamed JSON array), {@code :countTokens}
 * and the model list. The model may itself contain a slash ({@code models/openai/gpt-4o:generateContent}).
 */
final class GeminiRoutes {
  /** {@code /v1beta/models/gemini-2.5-flash:generateContent}; the model may hold slashes ({@code openai/gpt-4o}). */
  private static final String CALL = "/(?:v1beta|v1)/models/(?<model>.+):(?<method>[A-Za-z]+)";
  private final Gateway gw;
  private final InboundRoutes api;
  private final GeminiCodec codec = GeminiCodec.INSTANCE;

  GeminiRoutes(Gateway gw, InboundRoutes api) {
    this.gw = gw;
    this.api = api;
  }

  /** {@code GET /v1/models} is not registered here: it answers in Gemini's shape only for Google-style keys. */
  void register(Router router) {
    router.postWithRegex(CALL).handler(this::call);
    router.get("/v1beta/models").handler(this::listModels);
  }

  private void call(RoutingContext ctx) {
    String model = ctx.pathParam("model");
    switch (ctx.pathParam("method")) {
      case "generateContent" -> api.chat(ctx, codec, model, false, true);
      case "streamGenerateContent" -> {
        // Upstream Gemini streams are always SSE, so only SSE clients can take them unchanged.
        boolean sse = "sse".equals(ctx.request().getParam("alt"));
        api.chat(ctx, sse ? codec : codec.arrayStreaming(), model, true, sse);
      }
      case "countTokens" -> countTokens(ctx, model);
      default -> InboundRoutes.sendError(ctx, codec, new GatewayException(ErrorKind.NOT_FOUND, 404, "not_found",
          null, "Method '" + ctx.pathParam("method") + "' is not supported; use generateContent, streamGenerateContent or countTokens"),
          RequestIds.of(ctx.request()));
    }
  }

  void listModels(RoutingContext ctx) {
    try {
      gw.authenticator().authenticate(ClientKey.of(ctx.request()));
      List<String> models = new ArrayList<>(api.servedModels().keySet());
      ctx.response().putHeader("content-type", "application/json").end(codec.encodeModelList(models));
    } catch (GatewayException e) {
      InboundRoutes.sendError(ctx, codec, e, RequestIds.of(ctx.request()));
    }
  }

  /** Asked of a Gemini upstream when one serves the model; otherwise, or if that fails, estimated locally. */
  private void countTokens(RoutingContext ctx, String pathModel) {
    String requestId = RequestIds.of(ctx.request());
    try {
      ClientIdentity who = gw.authenticator().authenticate(ClientKey.of(ctx.request()));
      ChatRequest req = codec.decodeCountTokens(InboundRoutes.parseBody(ctx.body().buffer()), pathModel);
      gw.authenticator().admit(who, req.model);
      List<Candidate> candidates = gw.resolver().resolve(req.model);
      if (candidates.isEmpty()) throw GatewayException.modelNotFound(req.model);
      Candidate first = candidates.get(0);
      Provider p = first.provider();
      long estimate = TokenEstimator.estimateInput(req);
      upstreamCount(p, first.upstreamModel(), req)
          .otherwise(estimate)
          .onSuccess(tokens -> {
            Headers.common(ctx.response(), requestId, p.name(), 1);
            ctx.response().putHeader("content-type", "application/json").end(codec.encodeCountTokens(tokens));
          });
    } catch (GatewayException e) {
      InboundRoutes.sendError(ctx, codec, e, requestId);
    }
  }

  private Future<Long> upstreamCount(Provider p, String model, ChatRequest req) {
    // The body is Gemini's, so only a Gemini provider's count endpoint can take it.
    UpstreamCall call = p.adapter.protocol() != Protocol.GEMINI ? null
        : p.adapter.countTokens(p.config, p.keys.key(p.keys.next()), model, codec.encodeCountTokensRequest(req, model));
    if (call == null) return Future.failedFuture("no count endpoint");
    return gw.upstream().send(call, p.config, r -> { })
        .compose(resp -> resp.body().map((Buffer b) -> {
          if (resp.statusCode() != 200) throw new IllegalStateException("countTokens answered " + resp.statusCode());
          return codec.decodeCountTokensResponse(b);
        }));
  }
}
