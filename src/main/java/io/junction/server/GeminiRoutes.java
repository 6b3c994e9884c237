package io.junction.server;

import io.junction.auth.ClientKey;
import io.junction.pipeline.Gateway;
import io.junction.pipeline.RequestIds;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.protocol.gemini.GeminiCodec;
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
  private final TokenCounting counting;
  private final GeminiCodec codec = GeminiCodec.INSTANCE;

  GeminiRoutes(Gateway gw, InboundRoutes api, TokenCounting counting) {
    this.gw = gw;
    this.api = api;
    this.counting = counting;
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
      case "countTokens" -> counting.handle(ctx, codec, body -> codec.decodeCountTokens(body, model), codec::encodeCountTokens);
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
}
