package io.junction.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.GatewayException;
import io.junction.protocol.InboundCodec;
import io.junction.protocol.TokenEstimator;
import io.junction.protocol.Usage;
import io.junction.protocol.UpstreamCodec;
import io.junction.provider.Provider;
import io.junction.provider.UpstreamCall;
import io.junction.routing.Candidate;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * Token counting in any inbound protocol (Anthropic {@code count_tokens}, Gemini {@code countTokens}):
 * asked of the first provider that would serve the model when its protocol has a count endpoint,
 * otherwise (or when that call fails) estimated locally with JTokkit. Counting is advisory and
 * never billed, so a failed upstream count degrades to an estimate, not an error; the
 * {@code x-junction-token-count} header says which one the client got.
 */
final class TokenCounting {
  static final String SOURCE_HEADER = "x-junction-token-count";

  private final Gateway gw;

  TokenCounting(Gateway gw) { this.gw = gw; }

  void handle(RoutingContext ctx, InboundCodec codec, Function<ObjectNode, ChatRequest> decode, LongFunction<Buffer> encode) {
    String requestId = RequestIds.of(ctx.request());
    try {
      ClientIdentity who = gw.authenticator().authenticate(ClientKey.of(ctx.request()));
      ChatRequest req = decode.apply(InboundRoutes.parseBody(ctx.body().buffer()));
      // Counting is no model call: the key must be allowed the model, but nothing is charged or reserved.
      gw.authenticator().admit(who, new ClientAuthenticator.AdmissionRequest(req.model, 0, 0))
          .onSuccess(a -> gw.authenticator().settle(a, Usage.ZERO, 0))
          .onSuccess(a -> count(ctx, codec, req, encode, requestId))
          .onFailure(e -> InboundRoutes.sendError(ctx, codec, e instanceof GatewayException ge ? ge
              : new GatewayException(io.junction.protocol.ErrorKind.API_ERROR, 500, "internal_error", null, "Internal gateway error"),
              requestId));
    } catch (GatewayException e) {
      InboundRoutes.sendError(ctx, codec, e, requestId);
    }
  }

  private void count(RoutingContext ctx, InboundCodec codec, ChatRequest req, LongFunction<Buffer> encode, String requestId) {
    try {
      List<Candidate> candidates = gw.resolver().resolve(req.model);
      if (candidates.isEmpty()) throw GatewayException.modelNotFound(req.model);
      Candidate first = candidates.get(0);
      Provider p = first.provider();
      upstreamCount(p, first.upstreamModel(), req)
          .map(tokens -> new Count(tokens, "provider"))
          .otherwise(e -> new Count(TokenEstimator.estimateInput(req), "estimate"))
          .onSuccess(count -> {
            Headers.common(ctx.response(), requestId, p.name(), 1);
            ctx.response().putHeader(SOURCE_HEADER, count.source()).putHeader("content-type", "application/json")
                .end(encode.apply(count.tokens()));
          });
    } catch (GatewayException e) {
      InboundRoutes.sendError(ctx, codec, e, requestId);
    }
  }

  private record Count(long tokens, String source) {}

  /** The provider's own count, or a failed future when its protocol has no count endpoint or the call fails. */
  private Future<Long> upstreamCount(Provider p, String model, ChatRequest req) {
    UpstreamCodec codec = p.adapter.codec();
    Buffer body = codec == null ? null : codec.encodeCountTokensRequest(req, model);
    UpstreamCall call = body == null ? null : p.adapter.countTokens(p.config, p.keys.key(p.keys.next()), model, body);
    if (call == null) return Future.failedFuture("no count endpoint");
    return gw.upstream().send(call, p.config, r -> { })
        .compose(resp -> resp.body().map(b -> {
          if (resp.statusCode() != 200) throw new IllegalStateException("count endpoint answered " + resp.statusCode());
          return codec.decodeCountTokensResponse(b);
        }));
  }
}
