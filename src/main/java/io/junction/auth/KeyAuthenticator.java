package io.junction.auth;

import io.junction.admin.UsageLimiter;
import io.junction.admin.VirtualKeys;
import io.junction.config.Glob;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Usage;
import io.junction.store.VirtualKey;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Authentication by the master key or a virtual key (CONTRACT §5), answered from memory. With
 * no master key configured every request is {@link ClientIdentity#ANONYMOUS} and nothing is
 * limited. The master key is never limited either.
 */
public final class KeyAuthenticator implements ClientAuthenticator {
  private final byte[] masterKey;
  private final VirtualKeys keys;
  private final UsageLimiter limiter;

  /** {@code masterKey} null or blank = open gateway. */
  public KeyAuthenticator(String masterKey, VirtualKeys keys, UsageLimiter limiter) {
    this.masterKey = masterKey == null || masterKey.isBlank() ? null : masterKey.getBytes(StandardCharsets.UTF_8);
    this.keys = keys;
    this.limiter = limiter;
  }

  @Override
  public ClientIdentity authenticate(String presentedKey) {
    if (masterKey == null) return ClientIdentity.ANONYMOUS;
    if (presentedKey == null || presentedKey.isBlank()) {
      throw unauthorized("Missing API key: send it as 'Authorization: Bearer <key>', 'x-api-key' or 'x-goog-api-key'");
    }
    // Constant-time: the master key is chosen by a person, not random, so timing must not leak it.
    if (MessageDigest.isEqual(masterKey, presentedKey.getBytes(StandardCharsets.UTF_8))) return ClientIdentity.MASTER;
    return keys.bySecret(presentedKey)
        .map(k -> new ClientIdentity(k.id(), k.name(), false, k.allowedModels()))
        .orElseThrow(() -> unauthorized("Invalid API key"));
  }

  @Override
  public Future<Admission> admit(ClientIdentity who, AdmissionRequest request) {
    try {
      check(who, request.model());
      return Future.succeededFuture(new Admission(who, request.model(), 0));
    } catch (GatewayException e) {
      return Future.failedFuture(e);
    }
  }

  private void check(ClientIdentity who, String model) {
    if (who.master()) return;
    VirtualKey k = keys.byId(who.keyId()).filter(key -> !key.revoked())
        .orElseThrow(() -> unauthorized("This API key has been revoked"));
    if (!modelAllowed(k.allowedModels(), model)) {
      throw new GatewayException(ErrorKind.PERMISSION, 403, "model_not_allowed", "model",
          "This API key may not use the model '" + model + "'");
    }
    if (k.budgetUsd() != null && limiter.spentUsd(k.id()) >= k.budgetUsd()) {
      throw new GatewayException(ErrorKind.PERMISSION, 403, "budget_exceeded", null,
          "This API key has used its budget of $" + k.budgetUsd());
    }
    if (k.tpm() != null) {
      long wait = limiter.tokenWaitSeconds(k.id(), k.tpm());
      if (wait > 0) throw rateLimited("tokens-per-minute limit of " + k.tpm(), wait);
    }
    if (k.rpm() != null) {
      long wait = limiter.tryAcquireRequest(k.id(), k.rpm());
      if (wait > 0) throw rateLimited("requests-per-minute limit of " + k.rpm(), wait);
    }
  }

  @Override
  public void settle(Admission admission, Usage usage, double costUsd) {
    ClientIdentity who = admission.who();
    if (who.master() || who.keyId() == null) return;
    if (usage != null) limiter.addTokens(who.keyId(), usage.totalTokens());
    keys.addSpend(who.keyId(), costUsd);
  }

  /**
   * Empty = any model. Patterns are globs ({@code *} any run, {@code ?} one character) matched
   * against the model as requested; a request for {@code provider/model} also matches patterns
   * written for the bare {@code model}.
   */
  static boolean modelAllowed(List<String> patterns, String model) {
    if (patterns.isEmpty()) return true;
    if (model == null) return false;
    int slash = model.indexOf('/');
    String bare = slash < 0 ? null : model.substring(slash + 1);
    for (String p : patterns) {
      if (Glob.matches(p, model) || (bare != null && p.indexOf('/') < 0 && Glob.matches(p, bare))) return true;
    }
    return false;
  }

  private static GatewayException unauthorized(String message) {
    return new GatewayException(ErrorKind.AUTHENTICATION, 401, "invalid_api_key", null, message);
  }

  private static GatewayException rateLimited(String what, long retryAfterSeconds) {
    GatewayException e = new GatewayException(ErrorKind.RATE_LIMIT, 429, "rate_limit_exceeded", null,
        "This API key is over its " + what + "; retry in " + retryAfterSeconds + " s");
    e.retryAfterSeconds = retryAfterSeconds;
    return e;
  }
}
