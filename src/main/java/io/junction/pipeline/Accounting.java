package io.junction.pipeline;

import io.junction.protocol.GatewayException;
import io.junction.protocol.TokenEstimator;
import io.junction.protocol.Usage;
import io.junction.telemetry.Price;
import io.junction.telemetry.RequestEvent;
import io.vertx.core.Future;

/**
 * The first stage: once the call is over, however it ended (answered, rejected by a later stage,
 * abandoned by the client), emits its one request event — priced once here — and settles its
 * admission with the real cost. Metrics, the request log and traces hang off that event.
 */
public final class Accounting implements Stage {
  private final Gateway gw;

  Accounting(Gateway gw) { this.gw = gw; }

  @Override
  public Future<Outcome> handle(Call call, Chain chain) {
    call.trace = gw.telemetry().tracing().start(call.clientHeaders.get("traceparent"),
        call.operation == Call.Operation.EMBEDDINGS ? "embeddings" : "chat");
    return chain.proceed(call).andThen(ar -> record(call, ar.succeeded() ? ar.result() : new Outcome(500, "internal error")));
  }

  private void record(Call call, Outcome o) {
    Usage usage = billable(call, o);
    Price.Cost cost = call.provider == null ? Price.Cost.ZERO : gw.pricing().bill(call.provider, call.upstreamModel, usage);
    long latency = (System.nanoTime() - call.startNanos) / 1000;
    Outcome reported = o.status() == 499 && call.completeSeen ? Outcome.OK : o;
    RequestEvent event = new RequestEvent(call.startMillis, call.requestId, call.identity == null ? null : call.identity.keyId(),
        call.inbound.protocol().id, call.model(), call.provider, call.upstreamModel, call.stream(), reported.status(),
        latency, call.ttftNanos < 0 ? -1 : call.ttftNanos / 1000, usage, call.attempts, reported.error(), cost, call.answeringKey);
    gw.telemetry().request(event);
    if (call.trace != null) gw.telemetry().tracing().request(call.trace, event);
    if (call.admission != null) gw.authenticator().settle(call.admission, usage, cost.totalUsd());
  }

  /**
   * Logs a request refused before it could enter the pipeline (its body over {@code max_body_bytes}):
   * every request gets its row (CONTRACT §8).
   */
  public static void refusedAtTheDoor(Gateway gw, String requestId, String protocol, int status, String error) {
    gw.telemetry().request(new RequestEvent(System.currentTimeMillis(), requestId, null, protocol, null, null, null, false,
        status, 0, -1, Usage.ZERO, 0, error, Price.Cost.ZERO, -1));
  }

  /**
   * The usage to bill. A stream cut short (client gone, upstream broken) may never have carried the
   * upstream's usage: what reached the client is still billed, input estimated from the request and
   * output at about one token per relayed chunk.
   */
  static Usage billable(Call call, Outcome o) {
    Usage u = call.usage;
    if (call.upstreamChunks == 0 || (u.inputTokens() > 0 && u.outputTokens() > 0)) return u;
    long in = u.inputTokens();
    if (in == 0) {
      try {
        in = TokenEstimator.estimateInput(call.decoded());
      } catch (GatewayException e) {
        in = call.body.length / 4; // a relayed request the gateway cannot decode
      }
    }
    long out = Math.max(u.outputTokens(), call.upstreamChunks);
    return new Usage(in, out, u.cacheReadTokens(), u.cacheWriteTokens(), u.reasoningTokens());
  }
}
