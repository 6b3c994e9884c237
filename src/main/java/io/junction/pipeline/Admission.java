package io.junction.pipeline;

import io.junction.auth.ClientAuthenticator.AdmissionRequest;
import io.vertx.core.Future;

/**
 * Model permission, rate limits and budget, asked of the authenticator before any upstream call;
 * what it reserves is settled by {@link Accounting} when the call is over.
 */
final class Admission implements Stage {
  /** Bytes per token for the input estimate: cheap, and close enough for a reservation. */
  private static final int BYTES_PER_TOKEN = 4;

  private final Gateway gw;

  Admission(Gateway gw) { this.gw = gw; }

  @Override
  public Future<Outcome> handle(Call call, Chain chain) {
    AdmissionRequest request = new AdmissionRequest(call.model(), call.body.length / BYTES_PER_TOKEN, call.head.maxOutputTokens());
    return gw.authenticator().admit(call.identity, request).compose(admission -> {
      call.admission = admission;
      return chain.proceed(call);
    });
  }
}
