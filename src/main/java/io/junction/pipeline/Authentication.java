package io.junction.pipeline;

import io.vertx.core.Future;

/** Who is calling: the master key, a virtual key, or anyone on an open gateway (401 otherwise). */
final class Authentication implements Stage {
  private final Gateway gw;

  Authentication(Gateway gw) { this.gw = gw; }

  @Override
  public Future<Outcome> handle(Call call, Chain chain) {
    call.identity = gw.authenticator().authenticate(call.presentedKey);
    return chain.proceed(call);
  }
}
