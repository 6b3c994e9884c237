package io.junction.pipeline;

import io.vertx.core.Future;

/**
 * One concern of the request path (authentication, admission, routing, the attempts, ...). A stage
 * either answers the call itself (e.g. {@link Call#reject}) or passes it on with
 * {@link Chain#proceed}, and may act on the outcome when the future completes — the shape of
 * OkHttp's interceptors, made asynchronous. Stages run on the call's event loop and never block.
 */
public interface Stage {

  /** Handles {@code call}; the future completes once the client's answer is finished (or abandoned). */
  Future<Outcome> handle(Call call, Chain chain);

  /** The rest of the pipeline after this stage. */
  interface Chain {
    Future<Outcome> proceed(Call call);
  }
}
