package io.junction.server;

import io.junction.protocol.ChatRequest;
import io.junction.protocol.GatewayException;
import io.junction.protocol.TokenEstimator;
import io.junction.protocol.anthropic.AnthropicCodec;
import io.junction.provider.AnthropicAdapter;
import io.junction.provider.Provider;
import io.junction.provider.UpstreamCall;
import io.junction.routing.Candidate;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code POST /v1/messages/count_tokens}: asked of the first provider that would serve the model
 * when it has a count endpoint, otherwise (or when that call fails) estimated locally. Counting
 * is advisory and never billed, so a failed upstream count degrades to an estimate, not an error.
 */
final class AnthropicCountTokens {
  private final Gateway gw;
  private final AnthropicCodec codec = AnthropicCodec.INSTANCE;

  AnthropicCountTokens(Gateway gw) { this.gw = gw; }

  void handle(RoutingContext ctx) {
    String requestId = RequestIds.of(ctx.request());
    try {
      ClientIdentity who = gw.authenticator().authenticate(ClientKey.of(ctx.request()));
      ChatRequest req = codec.decodeCountTokensRequest(InboundRoutes.parseBody(ctx.body().buffer()));
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
            ctx.response().putHeader("content-type", "application/json").end(codec.encodeCountTokensResponse(tokens));
          });
    } catch (GatewayException e) {
      InboundRoutes.sendError(ctx, codec, e, requestId);
    }
  }

  /** The provider's own count, or a failed future when it has none or the call does not succeed. */
  private Future<Long> upstreamCount(Provider p, String model, ChatRequest req) {
    if (!(p.adapter instanceof AnthropicAdapter anthropic)) return Future.failedFuture("no count endpoint");
    Buffer body = codec.encodeCountTokensRequest(req, model);
    UpstreamCall call = anthropic.countTokens(p.config, p.keys.key(p.keys.next()), model, body);
    return gw.upstream().send(call, p.config, r -> { })
        .compose(resp -> resp.body().map(b -> {
          if (resp.statusCode() != 200) throw new IllegalStateException("count_tokens answered " + resp.statusCode());
          return codec.decodeCountTokensResponse(b);
        }));
  }
}
