package io.junction.server;

import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Accepts the master key only; with none configured, everyone is let in (loopback-only binding guards that). */
public final class MasterKeyAuthenticator implements ClientAuthenticator {
  private final byte[] masterKey;

  public MasterKeyAuthenticator(String masterKey) {
    this.masterKey = masterKey == null || masterKey.isEmpty() ? null : masterKey.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public ClientIdentity authenticate(String presentedKey) {
    if (masterKey == null) return ClientIdentity.ANONYMOUS;
    if (presentedKey == null || presentedKey.isEmpty()) throw missingKey();
    if (MessageDigest.isEqual(masterKey, presentedKey.getBytes(StandardCharsets.UTF_8))) return ClientIdentity.MASTER;
    throw invalidKey();
  }

  public static GatewayException missingKey() {
    return new GatewayException(ErrorKind.AUTHENTICATION, 401, "missing_api_key", null,
        "No API key provided. Send it as 'Authorization: Bearer <key>', 'x-api-key', 'x-goog-api-key' or '?key='");
  }

  public static GatewayException invalidKey() {
    return new GatewayException(ErrorKind.AUTHENTICATION, 401, "invalid_api_key", null, "Invalid API key");
  }
}
