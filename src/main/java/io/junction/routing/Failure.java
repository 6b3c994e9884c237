package io.junction.routing;

import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;

/**
 * Why an attempt failed. {@code status} is the upstream HTTP status, 0 when none came back.
 * {@code retryable} follows CONTRACT §3: connection errors, timeouts before the first byte, 408,
 * 409, 429 and 5xx move on; other 4xx go back to the client — except a key refused (401), which
 * the route plan retries with the provider's next key. {@code status} is the adapter's
 * {@link io.junction.provider.ProviderAdapter#effectiveStatus}: 401 only for the upstream's own
 * verdict on the key. A 403 (no access to one model, a region, a policy) is about the request,
 * so it never takes a key out.
 */
public record Failure(GatewayException error, int status, boolean timeout, long retryAfterMillis) {

  public boolean retryable() {
    if (status == 0) return true;
    return status == 408 || status == 409 || status == 429 || status >= 500;
  }

  /** The upstream refused the provider key itself. */
  public boolean keyRejected() { return status == 401; }

  /** Says the upstream is unwell (counts against its circuit breaker), as opposed to a bad request or a busy key. */
  public boolean unhealthy() {
    if (status == 0) return error.kind == ErrorKind.TIMEOUT || error.kind == ErrorKind.BAD_GATEWAY;
    return status == 408 || status >= 500;
  }
}
