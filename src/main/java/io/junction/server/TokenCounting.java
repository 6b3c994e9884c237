package io.junction.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.auth.ClientAuthenticator.AdmissionRequest;
import io.junction.auth.ClientIdentity;
import io.junction.auth.ClientKey;
import io.junction.pipeline.Exchange;
import io.junction.pipeline.Gateway;
import io.junction.pipeline.Headers;
import io.junction.pipeline.RequestIds;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.GatewayException;
import io.junction.protocol.InboundCodec;
import io.junction.protocol.TokenEstimator;
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
 * {@code x-junction-token-count} header says which one the client got. The upstream call goes
 * through the pipeline's {@link Exchange} (deadlines, size limit) with a key that leaves the
 * request rotation alone.
 */
final class TokenCounting {
  static final String SOURCE_HEADER = "x-junction-token-count";
  /** A count is a quick call; a client waiting for one should not wait a whole completion's deadline. */
  private static final long COUNT_TIMEOUT_MS = 10_000;

  private final Gateway gw;

  TokenCounting(Gateway gw) { this.gw = gw; }

  void handle(RoutingContext ctx, InboundCodec codec, Function<ObjectNode, ChatRequest> decode, LongFunction<Buffer> encode) {
    String requestId = RequestIds.of(ctx.request());
    try {
      ClientIdentity who = gw.authenticator().authenticate(ClientKey.of(ctx.request()));
      ChatRequest req = decode.apply(InboundRoutes.parseBody(ctx.body().buffer()));
      gw.authenticator().admit(who, new AdmissionRequest(req.model, 0, 0)).onComplete(ar -> {
        if (ar.failed()) {
          InboundRoutes.sendError(ctx, codec, ar.cause(), requestId);
          return;
        }
        gw.authenticator().settle(ar.result(), io.junction.protocol.Usage.ZERO, 0); // counting is never billed
        try {
          count(ctx, req, encode, requestId);
        } catch (GatewayException e) {
          InboundRoutes.sendError(ctx, codec, e, requestId);
        }
      });
    } catch (GatewayException e) {
      InboundRoutes.sendError(ctx, codec, e, requestId);
    }
  }

  private void count(RoutingContext ctx, ChatRequest req, LongFunction<Buffer> encode, String requestId) {
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
  }

  private record Count(long tokens, String source) {}

  /** The provider's own count, or a failed future when its protocol has no count endpoint or the call fails. */
  private Future<Long> upstreamCount(Provider p, String model, ChatRequest req) {
    UpstreamCodec codec = p.adapter.codec();
    Buffer body = codec.encodeCountTokensRequest(req, model);
    UpstreamCall call = body == null ? null : p.adapter.countTokens(p.config, p.keys.key(p.keys.peek()), model, body);
    if (call == null) return Future.failedFuture("no count endpoint");
    return Exchange.fetch(gw, p, call, COUNT_TIMEOUT_MS).map(reply -> {
      if (reply.status() != 200) throw new IllegalStateException("count endpoint answered " + reply.status());
      return codec.decodeCountTokensResponse(reply.body());
    });
  }
}
