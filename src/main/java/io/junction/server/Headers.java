package io.junction.server;

import io.vertx.core.http.HttpServerResponse;

/** The headers every answer carries (CONTRACT §3). */
final class Headers {
  static final String REQUEST_ID = "x-request-id";
  static final String PROVIDER = "x-junction-provider";
  static final String ATTEMPTS = "x-junction-attempts";
  /** Names the end user for sticky routing (overrides the body's user field). */
  static final String USER = "x-junction-user";

  private Headers() {}

  static void common(HttpServerResponse r, String requestId, String provider, int attempts) {
    r.putHeader(REQUEST_ID, requestId);
    if (provider != null) r.putHeader(PROVIDER, provider);
    r.putHeader(ATTEMPTS, Integer.toString(attempts));
  }
}
