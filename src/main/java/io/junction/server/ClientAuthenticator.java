package io.junction.server;

import io.junction.protocol.GatewayException;
import io.junction.protocol.Usage;

/**
 * Decides who a presented client key belongs to and whether it may make a call. Called on the
 * event loop: implementations answer from memory (caches, counters), never block.
 */
public interface ClientAuthenticator {

  /** The identity for {@code presentedKey} (null when the client sent none); throws a 401 {@link GatewayException}. */
  ClientIdentity authenticate(String presentedKey);

  /** Checks model permission (403), rate limits (429 with Retry-After) and budget (403) before a call. */
  default void admit(ClientIdentity who, String model) {}

  /** Accounts a finished call against the key's token and budget counters. */
  default void record(ClientIdentity who, String model, Usage usage, double costUsd) {}
}
