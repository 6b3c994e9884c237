package io.junction.routing;

import io.junction.protocol.GatewayException;

/**
 * Why an attempt failed. {@code status} is the upstream HTTP status, 0 when none came back, and
 * {@code kind} says what went wrong. {@code retryable} follows CONTRACT §3: connection errors,
 * timeouts before the first byte, 408, 409, 429 and 5xx move on; other 4xx go back to the client —
 * except a key refused (401), which the route plan retries with the provider's next key. {@code
 * status} is the adapter's {@link io.junction.provider.ProviderAdapter#effectiveStatus}: 401 only
 * for the upstream's own verdict on the key; a 403 (no access to one model, a region, a policy) is
 * about the request, so it never takes a key out. A TLS failure (bad certificate, failed
 * handshake) is a configuration fault that a retry cannot mend, so it is not retried.
 */
public record Failure(GatewayException error, int status, Kind kind, long retryAfterMillis) {

  /** What went wrong, by phase. */
  public enum Kind {
    /** Could not open a connection (refused, unreachable, DNS). */
    CONNECT,
    /** The TLS handshake or the certificate failed. */
    TLS,
    /** A deadline passed: connect, first byte, idle between data, or the whole call. */
    TIMEOUT,
    /** The connection was reset or closed mid-exchange. */
    RESET,
    /** The upstream answered with an error status. */
    STATUS,
    /** The upstream answered 2xx with something unusable (garbage, too large, a broken stream). */
    BAD_ANSWER,
    /** The gateway's connection pool for the upstream is full. */
    POOL_FULL,
    /** Decided locally before any call: the provider cannot serve this operation. */
    UNSUPPORTED
  }

  /** A failure with an HTTP status from the upstream. */
  public static Failure status(GatewayException error, int status, long retryAfterMillis) {
    return new Failure(error, status, Kind.STATUS, retryAfterMillis);
  }

  public boolean timeout() { return kind == Kind.TIMEOUT; }

  public boolean retryable() {
    if (kind == Kind.TLS) return false;
    if (status == 0) return true;
    return status == 408 || status == 409 || status == 429 || status >= 500;
  }

  /** The upstream refused the provider key itself. */
  public boolean keyRejected() { return kind == Kind.STATUS && status == 401; }

  /** Says the upstream is unwell (counts against its circuit breaker), as opposed to a bad request or a busy key. */
  public boolean unhealthy() {
    return switch (kind) {
      case CONNECT, TLS, TIMEOUT, RESET, BAD_ANSWER -> true;
      case STATUS -> status == 408 || status >= 500;
      case POOL_FULL, UNSUPPORTED -> false;
    };
  }
}
