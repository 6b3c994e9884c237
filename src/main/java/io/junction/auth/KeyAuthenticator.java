package io.junction.auth;

import io.junction.admin.UsageLimiter;
import io.junction.admin.UsageLimiter.BudgetWindow;
import io.junction.admin.UsageLimiter.Check;
import io.junction.admin.UsageLimiter.Ticket;
import io.junction.admin.UsageLimiter.Verdict;
import io.junction.admin.VirtualKeys;
import io.junction.config.Glob;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Usage;
import io.junction.store.VirtualKey;
import io.junction.telemetry.Price;
import io.junction.telemetry.Pricing;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Authentication by the master key or a virtual key (CONTRACT §5), answered from memory, and
 * admission against the key's limits and budgets through the {@link UsageLimiter} (shared across
 * instances when Redis is configured). With no master key configured every request is
 * {@link ClientIdentity#ANONYMOUS} and nothing is limited. The master key is never limited either.
 */
public final class KeyAuthenticator implements ClientAuthenticator {
  /** Output tokens reserved for a request that names no maximum, until the model catalog says the model's own limit. */
  public static final long DEFAULT_MAX_OUTPUT_TOKENS = 4096;

  private final byte[] masterKey;
  private final VirtualKeys keys;
  private final UsageLimiter limiter;
  private final Pricing pricing;
  private final Clock clock;

  /** {@code masterKey} null or blank = open gateway. */
  public KeyAuthenticator(String masterKey, VirtualKeys keys, UsageLimiter limiter, Pricing pricing, Clock clock) {
    this.masterKey = masterKey == null || masterKey.isBlank() ? null : masterKey.getBytes(StandardCharsets.UTF_8);
    this.keys = keys;
    this.limiter = limiter;
    this.pricing = pricing;
    this.clock = clock;
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
    String model = request.model();
    if (who.master()) return Future.succeededFuture(new Admission(who, model, 0, null));
    VirtualKey k;
    try {
      k = keys.byId(who.keyId()).filter(key -> !key.revoked()).orElseThrow(() -> unauthorized("This API key has been revoked"));
      if (!modelAllowed(k.allowedModels(), model)) {
        throw new GatewayException(ErrorKind.PERMISSION, 403, "model_not_allowed", "model",
            "This API key may not use the model '" + model + "'");
      }
    } catch (GatewayException e) {
      return Future.failedFuture(e);
    }
    if (k.rpm() == null && k.tpm() == null && k.budgets().isEmpty()) {
      return Future.succeededFuture(new Admission(who, model, 0, null)); // nothing to check: no round trip
    }
    List<BudgetWindow> budgets = keys.budgetWindows(k, clock.millis());
    double reserve = budgets.isEmpty() ? 0 : estimateCost(model, request);
    return limiter.admit(new Check(k.id(), k.rpm(), k.tpm(), budgets, reserve)).map(v -> {
      if (!v.admitted()) throw refusal(k, v);
      return new Admission(who, model, v.ticket().reservedUsd(), v.ticket());
    });
  }

  @Override
  public void settle(Admission admission, Usage usage, double costUsd) {
    ClientIdentity who = admission.who();
    if (who.master() || who.keyId() == null) return;
    if (admission.hold() instanceof Ticket t) limiter.settle(t, usage == null ? 0 : usage.totalTokens(), costUsd);
    keys.addSpend(who.keyId(), costUsd);
  }

  /** The most the call may cost: its input estimate plus its output cap at the model's list price; 0 when unpriced. */
  double estimateCost(String model, AdmissionRequest r) {
    if (model == null) return 0;
    int slash = model.indexOf('/');
    Optional<Price> price = slash > 0
        ? pricing.find(model.substring(0, slash), model.substring(slash + 1)).or(() -> pricing.find(null, model))
        : pricing.find(null, model);
    long out = r.maxOutputTokens() > 0 ? r.maxOutputTokens() : DEFAULT_MAX_OUTPUT_TOKENS;
    return price.map(p -> p.cost(Math.max(0, r.estimatedInputTokens()), out, 0, 0)).orElse(0.0);
  }

  private static GatewayException refusal(VirtualKey k, Verdict v) {
    return switch (v.refused()) {
      case RPM -> rateLimited("requests-per-minute limit of " + k.rpm(), v.retryAfterSeconds());
      case TPM -> rateLimited("tokens-per-minute limit of " + k.tpm(), v.retryAfterSeconds());
      case BUDGET -> new GatewayException(ErrorKind.PERMISSION, 403, "budget_exceeded", null,
          "This API key has used its " + (v.budget().period() == io.junction.store.BudgetPeriod.TOTAL ? "" : v.budget().period().id() + " ")
              + "budget of $" + v.budget().limitUsd());
    };
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
