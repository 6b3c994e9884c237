package io.junction.auth;

import io.junction.protocol.Usage;
import io.vertx.core.Future;

/**
 * Decides who a presented client key belongs to and whether it may make a call. Called on the
 * event loop: {@link #authenticate} answers from memory; {@link #admit} may make one non-blocking
 * round trip to shared state (limits across instances), never block.
 */
public interface ClientAuthenticator {

  /** The identity for {@code presentedKey} (null when the client sent none); throws a 401 {@link io.junction.protocol.GatewayException}. */
  ClientIdentity authenticate(String presentedKey);

  /**
   * Checks model permission (403), rate limits (429 with Retry-After) and budget (403) before a
   * call, and reserves what the call may cost. Completes with the admission to {@link #settle}, or
   * fails with the {@link io.junction.protocol.GatewayException} to answer.
   */
  default Future<Admission> admit(ClientIdentity who, AdmissionRequest request) {
    return Future.succeededFuture(new Admission(who, request.model(), 0));
  }

  /**
   * The admitted call is over (answered, failed or abandoned): charges its real tokens and cost and
   * releases the reservation. Called exactly once per successful {@link #admit}; returns at once.
   */
  default void settle(Admission admission, Usage usage, double costUsd) {}

  /** What a call asks to be admitted for: its model and the most it may use. */
  record AdmissionRequest(String model, long estimatedInputTokens, long maxOutputTokens) {}

  /** An admitted call: who, for which model, and the USD reserved against its budget (0 when none). */
  record Admission(ClientIdentity who, String model, double reservedUsd) {}
}
