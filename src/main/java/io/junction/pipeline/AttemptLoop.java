package io.junction.pipeline;

import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Protocol;
import io.junction.provider.Provider;
import io.junction.provider.ProviderAdapter;
import io.junction.provider.UpstreamCall;
import io.junction.provider.UpstreamResponse;
import io.junction.routing.Attempt;
import io.junction.routing.Failure;
import io.junction.telemetry.AttemptEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The last stage: walks the route plan attempt by attempt (back-off and Retry-After waits, the
 * next key of a pool, the next candidate), runs each attempt as an {@link Exchange} whose answer
 * a {@link Relay} carries to the client, and reports each attempt's outcome to the plan (breakers,
 * key pools, latency) and to telemetry. Once the client has received a byte there is no retry.
 */
final class AttemptLoop implements Stage {
  /** Client headers relayed to an upstream of the client's own protocol (CONTRACT §8). */
  private static final List<String> ANTHROPIC_HEADERS = List.of("anthropic-version", "anthropic-beta");

  private final Gateway gw;

  AttemptLoop(Gateway gw) { this.gw = gw; }

  @Override
  public Future<Outcome> handle(Call call, Chain chain) {
    Promise<Outcome> done = Promise.promise();
    new Run(call, done).next(null);
    return done.future();
  }

  /** The attempts of one call. */
  private final class Run {
    private final Call call;
    private final Promise<Outcome> done;
    private Exchange exchange;
    private long backoffTimer = -1;

    Run(Call call, Promise<Outcome> done) {
      this.call = call;
      this.done = done;
      call.onClientGone(this::clientGone);
    }

    void next(Failure last) {
      if (done.future().isComplete()) return;
      Attempt a = call.plan.next(last);
      if (a == null) {
        done.tryComplete(call.reject(call.plan.exhausted(last)));
      } else if (a.delayMs() > 0) {
        backoffTimer = gw.vertx().setTimer(a.delayMs(), id -> {
          backoffTimer = -1;
          launch(a);
        });
      } else {
        launch(a);
      }
    }

    private void launch(Attempt a) {
      if (done.future().isComplete()) return;
      Provider p = a.candidate().provider();
      call.attempts++;
      call.provider = p.name();
      call.upstreamModel = a.candidate().upstreamModel();
      long t0 = System.nanoTime();
      boolean relayed = p.adapter.serves(call.inbound.protocol(), p.config);
      UpstreamCall upstreamCall;
      try {
        upstreamCall = build(a, relayed);
      } catch (GatewayException e) {
        // The request can't be put in this provider's protocol: another candidate may still take it.
        failed(a, t0, new Failure(e, 0, Failure.Kind.UNSUPPORTED, 0));
        return;
      }
      if (call.trace != null) upstreamCall.header("traceparent", call.trace.attemptHeader(a.number()));
      Exchange x = exchange = Exchange.open(gw, p, upstreamCall);
      x.response().onComplete(ar -> {
        if (ar.failed()) x.close(); // its deadline timer must not outlive it
        if (x != exchange) return; // abandoned (client gone)
        if (ar.failed()) failed(a, t0, x.failure(ar.cause()));
        else answered(a, t0, x, ar.result(), relayed);
      });
    }

    private UpstreamCall build(Attempt a, boolean relayed) {
      Provider p = a.candidate().provider();
      ProviderAdapter adapter = p.adapter;
      String model = a.candidate().upstreamModel();
      Protocol in = call.inbound.protocol();
      if (call.operation == Call.Operation.EMBEDDINGS) {
        UpstreamCall c = adapter.embeddings(p.config, a.apiKey(), call.head.rewrite(call.body, model, true, false));
        if (c == null) throw unsupported(p, "embeddings");
        return c;
      }
      boolean stream = call.stream();
      if (!relayed) return adapter.chat(p.config, a.apiKey(), model, stream, adapter.codec().encodeRequest(call.decoded(), model));
      // Same protocol: the client's bytes with the model renamed (and OpenAI streams asked for usage).
      Buffer body = call.head.rewrite(call.body, model, in.modelInBody, stream && in == Protocol.OPENAI);
      UpstreamCall c = adapter.call(in, p.config, a.apiKey(), model, stream, body);
      if (in == Protocol.ANTHROPIC) {
        for (String h : ANTHROPIC_HEADERS) {
          String v = call.clientHeaders.get(h);
          if (v != null) c.header(h, v);
        }
      }
      return c;
    }

    private void answered(Attempt a, long t0, Exchange x, UpstreamResponse r, boolean relayed) {
      Provider p = a.candidate().provider();
      int status = r.statusCode();
      if (status >= 400) {
        x.body(r).onComplete(ar -> {
          x.close();
          if (x != exchange) return;
          if (ar.failed()) {
            failed(a, t0, x.failure(ar.cause()));
            return;
          }
          Buffer body = p.keys.secrets().scrub(ar.result());
          GatewayException e = Exchange.upstreamError(status, body, p.adapter.codec(call.inbound.protocol()));
          long retryAfterMs = retryAfterMillis(r);
          e.retryAfterSeconds = retryAfterMs < 0 ? -1 : (retryAfterMs + 999) / 1000;
          failed(a, t0, Failure.status(e, p.adapter.effectiveStatus(status, body), Math.max(0, retryAfterMs)));
        });
        return;
      }
      Relay relay = new Relay(gw, call, x, r, p, relayed);
      Future<Outcome> delivered = call.operation == Call.Operation.CHAT && call.stream() ? relay.stream() : relay.json();
      delivered.onComplete(ar -> {
        x.close();
        if (x != exchange) return;
        if (ar.failed()) {
          Failure f = ar.cause() instanceof Relay.NotDelivered nd ? nd.failure : x.failure(ar.cause());
          failed(a, t0, f);
          return;
        }
        Outcome o = ar.result();
        ended(a, t0, 200, o.error());
        if (o.error() != null) call.plan.failed(a, new Failure(GatewayException.badGateway(o.error()), 0, Failure.Kind.BAD_ANSWER, 0));
        done.tryComplete(o);
      });
    }

    private void failed(Attempt a, long t0, Failure f) {
      if (done.future().isComplete()) return;
      exchange = null;
      ended(a, t0, f.status(), f.error().getMessage());
      call.plan.failed(a, f);
      next(f);
    }

    private void ended(Attempt a, long t0, int status, String error) {
      long now = System.nanoTime();
      AttemptEvent event = new AttemptEvent(call.requestId, a.number(), a.candidate().provider().name(),
          a.candidate().upstreamModel(), a.keyIndex(), status, (now - t0) / 1000, error);
      gw.telemetry().attempt(event);
      if (call.trace != null) gw.telemetry().tracing().attempt(call.trace, event);
      if (error == null) {
        call.answeringKey = a.keyIndex();
        long ttftMs = call.ttftNanos < 0 ? -1 : (call.startNanos + call.ttftNanos - t0) / 1_000_000;
        call.plan.succeeded(a, (now - t0) / 1_000_000, ttftMs);
      }
    }

    /**
     * The client left: the answer is abandoned (a 499, not a provider failure — counted as one, a
     * load balancer's disconnects would trip the breakers), and the upstream request is reset.
     */
    private void clientGone() {
      if (backoffTimer >= 0) gw.vertx().cancelTimer(backoffTimer);
      Exchange x = exchange;
      exchange = null;
      done.tryComplete(new Outcome(499, "client closed the connection"));
      if (x != null) x.cancel();
    }
  }

  private static GatewayException unsupported(Provider p, String what) {
    return new GatewayException(ErrorKind.INVALID_REQUEST, 400, "unsupported_operation", "model",
        "Provider '" + p.name() + "' does not support " + what);
  }

  /** OpenAI's {@code retry-after-ms} when present (finer), else {@code retry-after}; -1 when neither. */
  static long retryAfterMillis(UpstreamResponse resp) {
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
