package io.junction.routing;

import io.junction.protocol.GatewayException;

/**
 * Why an attempt failed. {@code status} is the upstream HTTP status, 0 when none came back.
 * {@code retryable} follows CONTRACT §3: connection errors, timeouts before the first byte, 408,
 * 409, 429 and 5xx move on; other 4xx go back to the client.
 */
public record Failure(GatewayException error, int status, boolean timeout, long retryAfterMillis) {

  public boolean retryable() {
    if (status == 0) return true;
    return status == 408 || status == 409 || status == 429 || status >= 500;
  }
}
